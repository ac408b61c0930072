"""Table exports and imports over HTTP with boto3: ExportTableToPointInTime writes DynamoDB's
export files (also as files of the server's --exports-dir), DescribeExport / ListExports follow
it to COMPLETED on engine time, ImportTable makes a new table from the exported files — and from
files put in the directory by hand, as a real export copied from S3 would be. Engine time is
paused and stepped, so nothing depends on how fast this machine runs."""

import gzip
import hashlib
import json
import subprocess

import boto3
import pytest

from conftest import _server_binary, _session_kwargs
from test_explain import playground

PREFIX = "dynaplay-server listening on "
TABLE = "Music"


@pytest.fixture
def server(tmp_path):
    """A server whose exports directory is tmp_path/exports; yields (endpoint, directory)."""
    exports = tmp_path / "exports"
    proc = subprocess.Popen(
        [str(_server_binary()), "--port", "0", "--exports-dir", str(exports)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith(PREFIX), f"unexpected first line from the server: {line!r}"
        yield line[len(PREFIX):], exports
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def advance(endpoint, ms):
    status, body = playground(endpoint, "PlaygroundAdvanceTime", {"Milliseconds": ms})
    assert status == 200, body


def creation(name):
    return {
        "TableName": name,
        "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "Year", "KeyType": "RANGE"}],
        "AttributeDefinitions": [
            {"AttributeName": "Artist", "AttributeType": "S"},
            {"AttributeName": "Year", "AttributeType": "N"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
    }


ITEMS = [
    {"Artist": {"S": "Elvis"}, "Year": {"N": "1956"}, "Tags": {"SS": ["rock", "live"]},
     "Cover": {"B": b"\x00\x01\xff"}, "Label": {"M": {"Name": {"S": "Sun"}, "Owners": {"L": [{"NULL": True}]}}}},
    {"Artist": {"S": "Cash"}, "Year": {"N": "1957"}, "Scores": {"NS": ["1", "2.5"]}, "Live": {"BOOL": False}},
]


@pytest.fixture
def music(server):
    endpoint, exports = server
    status, body = playground(endpoint, "PlaygroundUpdateTime", {"Paused": True})
    assert status == 200, body
    client = boto3.client("dynamodb", **_session_kwargs(endpoint))
    client.create_table(**creation(TABLE))
    client.update_continuous_backups(
        TableName=TABLE, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    advance(endpoint, 2000)
    for item in ITEMS:
        client.put_item(TableName=TABLE, Item=item)
    advance(endpoint, 1000)
    return endpoint, exports, client


def scan(client, table):
    return sorted(client.scan(TableName=table)["Items"], key=lambda i: i["Artist"]["S"])


def test_export_files_on_disk_and_import_them(music):
    endpoint, exports, client = music
    table_arn = client.describe_table(TableName=TABLE)["Table"]["TableArn"]
    described = client.export_table_to_point_in_time(
        TableArn=table_arn, S3Bucket="my-bucket", S3Prefix="music"
    )["ExportDescription"]
    assert described["ExportStatus"] == "IN_PROGRESS"
    assert described["ExportFormat"] == "DYNAMODB_JSON"
    arn = described["ExportArn"]
    export_id = arn.rsplit("/", 1)[1]
    assert arn == f"{table_arn}/export/{export_id}"
    advance(endpoint, 10_000)
    done = client.describe_export(ExportArn=arn)["ExportDescription"]
    assert (done["ExportStatus"], done["ItemCount"]) == ("COMPLETED", 2)
    assert [s["ExportArn"] for s in client.list_exports(TableArn=table_arn)["ExportSummaries"]] == [arn]

    # On disk, as DynamoDB writes an export to S3.
    root = exports / "my-bucket" / "music" / "AWSDynamoDB" / export_id
    summary = json.loads((root / "manifest-summary.json").read_text())
    assert summary["exportArn"] == arn and summary["itemCount"] == 2 and summary["outputFormat"] == "DYNAMODB_JSON"
    md5 = hashlib.md5((root / "manifest-summary.json").read_bytes()).hexdigest()
    assert (root / "manifest-summary.checksum").read_text() == md5
    assert (root / "_started").exists()
    entries = [json.loads(line) for line in (root / "manifest-files.json").read_text().splitlines()]
    assert len(entries) == 1
    data = (exports / "my-bucket" / entries[0]["dataFileS3Key"]).read_bytes()
    assert entries[0]["etag"] == hashlib.md5(data).hexdigest()
    lines = [json.loads(line) for line in gzip.decompress(data).decode().splitlines()]
    assert sorted(line["Item"]["Artist"]["S"] for line in lines) == ["Cash", "Elvis"]

    # Imported back: an equal table, types, sets, binary and nested maps included.
    imported = client.import_table(
        S3BucketSource={"S3Bucket": "my-bucket", "S3KeyPrefix": f"music/AWSDynamoDB/{export_id}/data/"},
        InputFormat="DYNAMODB_JSON",
        InputCompressionType="GZIP",
        TableCreationParameters=creation("MusicCopy"),
    )["ImportTableDescription"]
    assert imported["ImportStatus"] == "IN_PROGRESS"
    assert client.describe_table(TableName="MusicCopy")["Table"]["TableStatus"] == "CREATING"
    advance(endpoint, 10_000)
    finished = client.describe_import(ImportArn=imported["ImportArn"])["ImportTableDescription"]
    assert (finished["ImportStatus"], finished["ImportedItemCount"], finished["ErrorCount"]) == ("COMPLETED", 2, 0)
    assert scan(client, "MusicCopy") == scan(client, TABLE)
    assert [s["ImportArn"] for s in client.list_imports()["ImportSummaryList"]] == [imported["ImportArn"]]


def test_import_files_put_in_the_directory_by_hand(music):
    endpoint, exports, client = music
    folder = exports / "hand-made" / "incoming"
    folder.mkdir(parents=True)
    lines = [json.dumps({"Item": {"Artist": {"S": f"a{n}"}, "Year": {"N": str(n)}}}) for n in range(5)]
    (folder / "part-1.json.gz").write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    (folder / "part-2.json.gz").write_bytes(gzip.compress(b'{"Item": {"Artist": {"S": "no year"}}}\n'))
    imported = client.import_table(
        S3BucketSource={"S3Bucket": "hand-made", "S3KeyPrefix": "incoming/"},
        InputFormat="DYNAMODB_JSON",
        InputCompressionType="GZIP",
        TableCreationParameters=creation("Hand"),
    )["ImportTableDescription"]
    advance(endpoint, 10_000)
    finished = client.describe_import(ImportArn=imported["ImportArn"])["ImportTableDescription"]
    assert (finished["ProcessedItemCount"], finished["ImportedItemCount"], finished["ErrorCount"]) == (6, 5, 1)
    assert len(scan(client, "Hand")) == 5


def test_export_errors(music):
    endpoint, exports, client = music
    table_arn = client.describe_table(TableName=TABLE)["Table"]["TableArn"]
    with pytest.raises(client.exceptions.InvalidExportTimeException):
        client.export_table_to_point_in_time(TableArn=table_arn, S3Bucket="b1", ExportTime=1_000_000)
    client.update_continuous_backups(
        TableName=TABLE, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False}
    )
    with pytest.raises(client.exceptions.PointInTimeRecoveryUnavailableException):
        client.export_table_to_point_in_time(TableArn=table_arn, S3Bucket="b1")
    with pytest.raises(client.exceptions.ExportNotFoundException):
        client.describe_export(ExportArn=f"{table_arn}/export/01767225600000-00000000")
    with pytest.raises(client.exceptions.ResourceInUseException):
        client.import_table(
            S3BucketSource={"S3Bucket": "b1"}, InputFormat="CSV", TableCreationParameters=creation(TABLE)
        )
