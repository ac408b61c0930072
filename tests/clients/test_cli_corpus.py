"""The browser's AWS CLI against the real one (awscli from requirements.txt).

Each entry of tests/cli/corpus.txt runs, in order, through bash and the real `aws` against one
dynaplay-server, behind a proxy that records every request the CLI sends and every answer it
gets. Then `cli-replay` (tests/src/bin/cli-replay.rs: the browser's parser, natively) reads the
same text and is handed the same answers, and must send the same requests (operation and JSON
body) and print the same output — stdout byte for byte, or the CLI's error text and exit status.
So the words (bash's splitting), options, shorthand, JSON, paging, waiters, output shaping and
error lines are all checked against the CLI itself.

The corpus format is described at the top of corpus.txt. Also checked here: every request member
of every command is the option the real CLI has for it (botocore's kebab-casing), and
web/src/cli/shapes.rs is what tests/cli/output_shapes.py writes from the pinned botocore.
"""

import http.client
import http.server
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import botocore
import botocore.session
import pytest

from conftest import DUMMY_CREDENTIALS, REPO

CORPUS = REPO / "tests" / "cli" / "corpus.txt"
AWS = Path(sys.executable).parent / "aws"
# Options of AWS CLI v2 that v1 does not know: removed before v1 runs a `#! v2` entry.
V2_ONLY = re.compile(r"\s--(no-cli-pager|no-cli-auto-prompt|cli-auto-prompt)\b|\s--cli-binary-format[= ]\S+")
# The usage banner AWS CLI v1 writes before its argument errors.
BANNER = re.compile(r"\Ausage: \s*Note: AWS CLI version 2.*?aws <command> <subcommand> help\n", re.S)


def replay_binary():
    server = Path(os.environ.get("DYNAPLAY_SERVER_BIN", "target/debug/dynaplay-server"))
    if not server.is_absolute():
        server = REPO / server
    path = server.parent / "cli-replay"
    if not path.exists():
        pytest.fail(f"{path} does not exist: build it first (cargo build --workspace)")
    return path


def read_corpus():
    """The entries: (line number, directives, text) — text as written, continuations kept."""
    entries, directives, lines, start = [], [], [], 0
    for number, raw in enumerate(CORPUS.read_text().splitlines(), 1):
        if not lines:
            if raw.startswith("#!"):
                directives.append(raw[2:].strip())
                continue
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            start = number
        lines.append(raw)
        if not raw.endswith("\\"):
            entries.append((start, directives, "\n".join(lines)))
            directives, lines = [], []
    assert not lines, "the corpus ends inside a continued command"
    return entries


ENTRIES = read_corpus()


class Recorder(http.server.BaseHTTPRequestHandler):
    """Forwards each request to the server and keeps it and its answer."""

    protocol_version = "HTTP/1.1"
    upstream = None
    exchanges = []

    def do_POST(self):  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        conn = http.client.HTTPConnection(*self.upstream, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        conn.request("POST", self.path, body=body, headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        self.exchanges.append(
            {
                "target": self.headers.get("X-Amz-Target", ""),
                "body": json.loads(body) if body else {},
                "status": answer.status,
                "answer": data.decode(),
            }
        )
        self.send_response(answer.status)
        for k, v in answer.getheaders():
            if k.lower() not in ("connection", "transfer-encoding", "date", "server"):
                self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        conn.close()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def cli_env(tmp_path_factory):
    """A fresh server, the recording proxy in front of it, and the environment `aws` runs in."""
    server = subprocess.Popen([str(replay_binary().parent / "dynaplay-server"), "--port", "0"], stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline().strip()
    assert line.startswith("dynaplay-server listening on "), line
    host, port = line.rsplit("//", 1)[1].split(":")
    Recorder.upstream = (host, int(port))
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    bin_dir = tmp_path_factory.mktemp("bin")
    (bin_dir / "aws").write_text(f'#!/bin/sh\nexec "{AWS}" "$@"\n')
    (bin_dir / "aws").chmod(0o755)
    endpoint = f"http://127.0.0.1:{proxy.server_address[1]}"
    env = {**os.environ, **DUMMY_CREDENTIALS}
    env.update(
        PATH=f"{bin_dir}:{env['PATH']}",
        HOME=str(tmp_path_factory.mktemp("home")),
        AWS_ENDPOINT_URL=endpoint,
        AWS_PAGER="",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_MAX_ATTEMPTS="1",
    )
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_OUTPUT"):
        env.pop(name, None)
    state = {"env": env, "endpoint": endpoint, "values": {}}
    yield state
    proxy.shutdown()
    server.terminate()
    server.wait(timeout=10)


def remember(values, stdout):
    """Values later entries name as {Placeholder}: the last of each the CLI printed."""
    try:
        data = json.loads(stdout)
    except ValueError:
        return

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                if k in ("LatestStreamArn", "StreamArn"):
                    values["StreamArn"] = x
                elif k in ("ShardIterator", "NextShardIterator") and x:
                    values["ShardIterator"] = x
                elif k in ("ShardId", "NextToken", "TableArn", "BackupArn", "ExportArn", "ImportArn") and isinstance(x, str):
                    values[k] = x
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)

    walk(data)


def replay(text, exchanges):
    answers = [{"status": e["status"], "body": e["answer"]} for e in exchanges]
    done = subprocess.run(
        [str(replay_binary())],
        input=json.dumps({"line": text, "answers": answers}) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def expand(text, values):
    def value(m):
        assert m.group(1) in values, f"no earlier output gave {{{m.group(1)}}}"
        return values[m.group(1)]

    return re.sub(r"\{(StreamArn|ShardId|ShardIterator|NextToken|TableArn|BackupArn|ExportArn|ImportArn)\}", value, text)


@pytest.mark.parametrize("number,directives,text", ENTRIES, ids=[f"line{n}" for n, _, _ in ENTRIES])
def test_corpus_entry(cli_env, number, directives, text):
    text = expand(text, cli_env["values"])
    kind = directives[0].split(":")[0] if directives else "runs"
    ours = None
    if kind == "dynaplay-refuses":
        ours = replay(text, [])
        assert ours["error"] is not None and not ours["requests"], f"dynaplay ran a line it should refuse: {ours}"
        return
    if kind == "newer-than-the-cli":
        newer_than_the_cli(cli_env, number, text)
        return
    shell_text = text if "v2" not in directives else V2_ONLY.sub("", text)
    shell_text = re.sub(r"--endpoint-url[= ]\S+", f"--endpoint-url {cli_env['endpoint']}", shell_text)
    Recorder.exchanges = []
    done = subprocess.run(["bash", "-c", shell_text], env=cli_env["env"], capture_output=True, text=True, timeout=120)
    sent = list(Recorder.exchanges)
    stderr = BANNER.sub("", done.stderr).strip("\n")
    ours = replay(text, sent)
    context = f"corpus line {number}: {text}\nAWS CLI (exit {done.returncode}): {done.stdout}{stderr}\ndynaplay: {ours}"

    if kind.startswith("refused"):
        assert done.returncode != 0 and not sent, f"the AWS CLI did not refuse it\n{context}"
        assert ours["error"] is not None and not ours["requests"], f"dynaplay did not refuse it\n{context}"
        if kind == "refused":
            assert ours["error"]["message"] == stderr, context
            assert ours["error"]["exit_code"] == done.returncode, context
        return

    # It runs: the same requests, in order, and the same output.
    cli_requests = []
    for e, mine in zip(sent, ours["requests"] + [None] * len(sent)):
        body = dict(e["body"])
        # The CLI makes up a ClientRequestToken (a ClientToken for exports and imports) when
        # the line gives none (an idempotency token for its own retries); without one the
        # engine treats each request as new, as it does a fresh token.
        for token in ("ClientRequestToken", "ClientToken"):
            if token in body and (mine is None or token not in mine["body"]):
                del body[token]
        cli_requests.append({"target": e["target"], "body": body})
    assert ours["requests"] == cli_requests, context
    if done.returncode == 0:
        assert ours["error"] is None, context
        assert ours["stdout"] == done.stdout, context
        remember(cli_env["values"], done.stdout)
    else:
        assert ours["error"] is not None, context
        assert ours["error"]["message"] == stderr, context
        assert ours["error"]["exit_code"] == done.returncode, context


def newer_than_the_cli(cli_env, number, text):
    """A command the pinned AWS CLI predates: dynaplay's parser runs it against the server (each
    request it makes is sent, and answered, before it is replayed with one answer more); it must
    succeed and print the last answer as JSON."""
    answers = []
    for _ in range(10):
        ours = replay(text, answers)
        if len(ours["requests"]) <= len(answers):
            break
        request = ours["requests"][len(answers)]
        host, port = cli_env["endpoint"].rsplit("//", 1)[1].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=60)
        # The server refuses an X-Amz-Date more than 15 minutes off its clock, as DynamoDB
        # does; without --credentials it checks nothing else of the signature.
        now = time.gmtime()
        headers = {
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": request["target"],
            "X-Amz-Date": time.strftime("%Y%m%dT%H%M%SZ", now),
            "Authorization": f"AWS4-HMAC-SHA256 Credential=AKIDDYNAPLAYTEST/{time.strftime('%Y%m%d', now)}/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0",
        }
        conn.request("POST", "/", body=json.dumps(request["body"]), headers=headers)
        answer = conn.getresponse()
        answers.append({"status": answer.status, "answer": answer.read().decode()})
        conn.close()
    context = f"corpus line {number}: {text}\nanswers: {answers}\ndynaplay: {ours}"
    assert answers and ours["error"] is None, context
    assert json.loads(ours["stdout"]) == json.loads(answers[-1]["answer"]), context
    remember(cli_env["values"], ours["stdout"])


def test_the_corpus_covers_every_command():
    """Every command of both services is in the corpus, and ten or more refusals."""
    commands = set()
    for _, _, text in ENTRIES:
        words = text.replace("\\\n", " ").split()
        if len(words) > 2 and words[0] == "aws":
            commands.add(" ".join(words[1:3]))
    served = json.loads(subprocess.run([str(replay_binary()), "--options"], capture_output=True, text=True, check=True).stdout)
    missing = sorted(set(served) - commands)
    assert not missing, f"commands the corpus does not run: {missing}"
    refused = [d for _, d, _ in ENTRIES if d and d[0] == "refused"]
    assert len(refused) >= 10, len(refused)
    assert len(ENTRIES) >= 60, len(ENTRIES)


# Members the real CLI has and the engine's schema does not (features the playground does not
# model): these options are refused as unknown. A change on either side shows up here.
NOT_MODELLED = {
    "dynamodb create-table": {
        "--global-table-source-arn",
        "--global-table-settings-replication-mode",
    },
    "dynamodb update-table": {
        "--global-table-settings-replication-mode",
        "--disassociation-protection-enabled",
    },
    "dynamodbstreams get-shard-iterator": {"--timestamp"},
    # An export of a filtered part of a table is not simulated.
    "dynamodb export-table-to-point-in-time": {"--filter-specification"},
    # Target tracking only: step and predictive scaling are not simulated.
    "application-autoscaling put-scaling-policy": {
        "--step-scaling-policy-configuration",
        "--predictive-scaling-policy-configuration",
    },
}


def test_every_request_member_is_the_cli_option_of_that_name():
    served = json.loads(subprocess.run([str(replay_binary()), "--options"], capture_output=True, text=True, check=True).stdout)
    session = botocore.session.get_session()
    for command, ours in sorted(served.items()):
        service, name = command.split()
        model = session.get_service_model(service)
        op = next(o for o in model.operation_names if botocore.xform_name(o, "-") == name)
        shape = model.operation_model(op).input_shape
        theirs = {botocore.xform_name(m, "-"): m for m in (shape.members if shape else {})}
        for option, member in ours.items():
            assert theirs.get(option) == member, f"{command}: --{option} sets {member}; the CLI's --{option} sets {theirs.get(option)}"
        missing = {f"--{o}" for o in theirs if o not in ours}
        assert missing == NOT_MODELLED.get(command, set()), f"{command}: the CLI's options the parser lacks: {sorted(missing)}"


def test_output_shapes_are_up_to_date():
    operations = subprocess.run([str(replay_binary()), "--operations"], capture_output=True, text=True, check=True).stdout.split()
    generated = subprocess.run(
        [sys.executable, str(REPO / "tests" / "cli" / "output_shapes.py"), *operations],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    committed = (REPO / "web" / "src" / "cli" / "shapes.rs").read_text()
    assert committed == generated, "web/src/cli/shapes.rs is stale: regenerate it with tests/cli/output_shapes.py"
