"""Writes web/src/cli/shapes.rs: the AWS CLI's output shapes for the operations dynaplay serves,
read from the botocore model the pinned awscli installs (tests/clients/requirements.txt).

The AWS CLI prints a structure's members in the order of the API model, not in the order they
came, so the browser's CLI printer needs that order. The table is text, one structure a line:

    Name=Member Member>Struct Member[... Member{...

A member's type after its name: nothing for a scalar, `>X` for structure X, `[T` for a list of
T, `{T` for a map of T (T again one of these). A line named after an operation is its output.
Members whose name the engine's source never writes are left out: the engine cannot answer
with them, and the printer drops what the model does not name, as the CLI does.

    python3 tests/cli/output_shapes.py SERVED... > web/src/cli/shapes.rs

where SERVED are the operations the engine serves (`cli-replay --operations` prints them);
tests/clients/test_cli_corpus.py checks the committed file is what this writes.
"""

import re
import sys
from pathlib import Path

import botocore.session

ENGINE = Path(__file__).resolve().parents[2] / "engine" / "src"


def engine_names():
    """Every name the engine's source writes as a JSON member ("Name" or \\"Name\\")."""
    text = "\n".join(p.read_text() for p in ENGINE.rglob("*.rs"))
    return set(re.findall(r'\\?"([A-Za-z][A-Za-z0-9]*)\\?"', text))


def members(shape, names, structs):
    """A structure's members the engine can write, in the model's order, with their types."""
    return " ".join(n + type_of(m, structs) for n, m in shape.members.items() if n in names)


def type_of(shape, structs):
    t = shape.type_name
    if t == "structure":
        structs.append(shape)
        return ">" + shape.name
    if t == "list":
        return "[" + type_of(shape.member, structs)
    if t == "map":
        return "{" + type_of(shape.value, structs)
    return ""


def main(served):
    session = botocore.session.get_session()
    names = engine_names()
    lines = {}
    owner = {}  # each structure's service
    for service in ("dynamodb", "dynamodbstreams", "application-autoscaling"):
        model = session.get_service_model(service)
        for op in model.operation_names:
            if op not in served:
                continue
            output = model.operation_model(op).output_shape
            structs = []
            lines[op] = members(output, names, structs) if output else ""
            while structs:
                s = structs.pop()
                if s.name in lines:
                    # One table for the three services: a name two of them give different
                    # shapes would print one service's answers in the other's order.
                    if owner.get(s.name, service) != service:
                        assert lines[s.name] == members(s, names, []), f"{s.name} differs between services"
                    continue
                owner[s.name] = service
                lines[s.name] = members(s, names, structs)
    out = [
        "//! The AWS CLI's output shapes for the operations the engine serves: each structure's",
        "//! members in the API model's order, which is the order the CLI prints them in. Written by",
        "//! `tests/cli/output_shapes.py` from the botocore model of the pinned awscli (the",
        "//! real-client tests check it is up to date); the format is described there.",
        "",
        "/// One structure a line: `Name=Member Member>Struct Member[… Member{…`.",
        "pub(super) const SHAPES: &str = \"\\",
    ]
    for name in sorted(lines):
        out.append(f"{name}={lines[name]}\\n\\")
    out.append("\";")
    print("\n".join(out))


if __name__ == "__main__":
    main(set(sys.argv[1:]))
