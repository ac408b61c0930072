"""Checks the exports `design/examples/export_samples.rs` wrote, with readers that are not ours.

Usage: check_exports.py EXPORT_DIR SYNTH_DIR

- the YAML template, read by PyYAML (YAML 1.1, as CloudFormation reads it), is the JSON one;
- the table the CDK app synthesized (SYNTH_DIR/<Stack>/<Stack>.template.json, from aws-cdk-lib)
  has the same properties and policies as the CloudFormation export;
- the S3 export archive is a sound zip (zipfile), its data file gzip (gzip) of JSON lines, one
  {"Item": ...} per item exported, and its manifests count and checksum that file;
- the NoSQL Workbench model is JSON whose table and sample data are the table's.

Prints one line per check and closes with "N passed, M failed".
"""

import base64
import gzip
import hashlib
import io
import json
import pathlib
import sys
import zipfile

import yaml

passed = 0
failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {name}")
    else:
        failed += 1
        print(f"FAIL - {name}: {detail}")


def normalized(resource):
    """A table resource with its unordered lists in one order, and CloudFormation's defaults."""
    properties = json.loads(json.dumps(resource.get("Properties", {})))
    properties.setdefault("BillingMode", "PROVISIONED")
    for member, key in [("AttributeDefinitions", "AttributeName"), ("Tags", "Key"),
                        ("GlobalSecondaryIndexes", "IndexName"), ("LocalSecondaryIndexes", "IndexName")]:
        if member in properties:
            properties[member] = sorted(properties[member], key=lambda entry: entry[key])
    return {
        "DeletionPolicy": resource.get("DeletionPolicy"),
        "UpdateReplacePolicy": resource.get("UpdateReplacePolicy"),
        "Properties": properties,
    }


def the_table(template):
    tables = [r for r in template["Resources"].values() if r["Type"] == "AWS::DynamoDB::Table"]
    return tables[0] if len(tables) == 1 else None


def main(export_dir, synth_dir):
    export_dir = pathlib.Path(export_dir)
    synth_dir = pathlib.Path(synth_dir)
    templates = sorted(export_dir.glob("*.template.json"))
    check("the samples were exported", len(templates) >= 4, f"{len(templates)} templates")
    for json_path in templates:
        name = json_path.name[: -len(".template.json")]
        template = json.loads(json_path.read_text())
        from_yaml = yaml.safe_load((export_dir / f"{name}.template.yaml").read_text())
        check(f"{name}: the YAML template reads (YAML 1.1) as the JSON one", from_yaml == template,
              json.dumps(from_yaml)[:400])
        exported = the_table(template)

        stacks = [p for p in synth_dir.glob("*/*.template.json")
                  if the_table(json.loads(p.read_text())) is not None
                  and the_table(json.loads(p.read_text()))["Properties"].get("TableName") == name]
        if len(stacks) != 1:
            check(f"{name}: the CDK app synthesized its table", False, f"{len(stacks)} stacks name it")
        else:
            synthesized = the_table(json.loads(stacks[0].read_text()))
            want, got = normalized(exported), normalized(synthesized)
            differences = [k for k in set(want["Properties"]) | set(got["Properties"])
                           if want["Properties"].get(k) != got["Properties"].get(k)]
            check(f"{name}: the CDK app's table is the CloudFormation export's",
                  want == got, f"differs in {sorted(differences)} or the policies: "
                  f"{json.dumps(got)[:600]}")

        items = [json.loads(line) for line in (export_dir / f"{name}.items.jsonl").read_text().splitlines() if line]
        archive = zipfile.ZipFile(io.BytesIO((export_dir / f"{name}.s3-export.zip").read_bytes()))
        check(f"{name}: the S3 export is a sound zip", archive.testzip() is None)
        paths = archive.namelist()
        data_paths = [p for p in paths if "/data/" in p and p.endswith(".json.gz")]
        summary_paths = [p for p in paths if p.endswith("/manifest-summary.json")]
        files_paths = [p for p in paths if p.endswith("/manifest-files.json")]
        check(f"{name}: the export holds its manifests and one data file",
              len(data_paths) == 1 and len(summary_paths) == 1 and len(files_paths) == 1
              and any(p.endswith("/_started") for p in paths)
              and all(p.startswith("exports/dynaplay/AWSDynamoDB/") for p in paths), paths)
        if len(data_paths) != 1 or len(summary_paths) != 1 or len(files_paths) != 1:
            continue
        data = archive.read(data_paths[0])
        lines = gzip.decompress(data).decode("utf-8").splitlines()
        check(f"{name}: the data file is gzip JSON lines, one Item each, of every item",
              [json.loads(line) for line in lines] == [{"Item": item} for item in items], lines[:2])
        summary = json.loads(archive.read(summary_paths[0]))
        manifest = [json.loads(line) for line in archive.read(files_paths[0]).decode().splitlines()]
        check(f"{name}: the manifests count and checksum the data file",
              summary["itemCount"] == len(items) and summary["outputFormat"] == "DYNAMODB_JSON"
              and summary["manifestFilesS3Key"] == files_paths[0]
              and len(manifest) == 1 and manifest[0]["dataFileS3Key"] == data_paths[0]
              and manifest[0]["itemCount"] == len(items)
              and manifest[0]["md5Checksum"] == base64.b64encode(hashlib.md5(data).digest()).decode(),
              json.dumps([summary, manifest]))

        model = json.loads((export_dir / f"{name}.workbench.json").read_text())
        table = model["DataModel"][0]
        check(f"{name}: the Workbench model holds the table and its items",
              model["ModelMetadata"]["AWSService"] == "Amazon DynamoDB" and table["TableName"] == name
              and table["TableData"] == items, json.dumps(table)[:400])


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
    print(f"check_exports: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
