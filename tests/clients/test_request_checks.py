"""What the server checks before a request reaches the engine, through real clients and raw
HTTP: compressed bodies (Content-Encoding gzip / deflate), the 15-minute clock skew of
X-Amz-Date, and — with `--credentials FILE` — SigV4 signatures verified as DynamoDB does."""

import datetime
import gzip
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import REGION, _server_binary

SIGNATURE_SHAPE = (
    "AWS4-HMAC-SHA256 Credential=AKIDDYNAPLAYTEST/{day}/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=" + "0" * 64
)


def amz_date(when):
    return when.strftime("%Y%m%dT%H%M%SZ")


def raw_call(endpoint, operation, body, headers=None, when=None):
    """One POST with a well-formed (unverified) signature; returns (status, parsed JSON)."""
    when = when or datetime.datetime.now(datetime.timezone.utc)
    all_headers = {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": "DynamoDB_20120810." + operation,
        "X-Amz-Date": amz_date(when),
        "Authorization": SIGNATURE_SHAPE.format(day=when.strftime("%Y%m%d")),
        **(headers or {}),
    }
    request = urllib.request.Request(endpoint + "/", data=body, headers=all_headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


CREATE = json.dumps({
    "TableName": "Zipped",
    "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
    "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
    "BillingMode": "PAY_PER_REQUEST",
}).encode()


def test_gzip_and_deflate_bodies_are_read(endpoint):
    status, body = raw_call(endpoint, "CreateTable", gzip.compress(CREATE), {"Content-Encoding": "gzip"})
    assert status == 200, body
    put = json.dumps({"TableName": "Zipped", "Item": {"pk": {"S": "a"}}}).encode()
    assert raw_call(endpoint, "PutItem", zlib.compress(put), {"Content-Encoding": "deflate"})[0] == 200
    # Raw deflate, as some clients send it under the same name.
    raw_deflate = zlib.compressobj(wbits=-15)
    get = json.dumps({"TableName": "Zipped", "Key": {"pk": {"S": "a"}}}).encode()
    status, body = raw_call(
        endpoint, "GetItem", raw_deflate.compress(get) + raw_deflate.flush(), {"Content-Encoding": "deflate"}
    )
    assert (status, body) == (200, {"Item": {"pk": {"S": "a"}}})


def test_corrupt_or_unknown_encodings_and_oversized_bodies_are_refused(endpoint):
    for encoding, data in [("gzip", b"not gzip at all"), ("gzip", gzip.compress(CREATE)[:20]), ("br", CREATE)]:
        status, body = raw_call(endpoint, "CreateTable", data, {"Content-Encoding": encoding})
        assert status == 400
        assert body == {
            "__type": "com.amazon.coral.service#SerializationException",
            "message": f"The request body could not be decoded as Content-Encoding: {encoding}",
        }
    # 17 MiB of spaces compress to a few KiB: the 16 MB limit applies to what they unpack to.
    bomb = gzip.compress(CREATE[:-1] + b" " * (17 * 1024 * 1024) + b"}")
    assert len(bomb) < 100_000
    status, body = raw_call(endpoint, "CreateTable", bomb, {"Content-Encoding": "gzip"})
    assert status == 413
    assert body["__type"] == "com.amazon.coral.service#RequestEntityTooLargeException"


def test_a_date_more_than_15_minutes_off_is_refused(endpoint):
    now = datetime.datetime.now(datetime.timezone.utc)
    list_tables = b"{}"
    assert raw_call(endpoint, "ListTables", list_tables, when=now - datetime.timedelta(minutes=14))[0] == 200
    status, body = raw_call(endpoint, "ListTables", list_tables, when=now - datetime.timedelta(minutes=20))
    assert status == 400
    assert body["__type"] == "com.amazon.coral.service#InvalidSignatureException"
    assert body["message"].startswith(f"Signature expired: {amz_date(now - datetime.timedelta(minutes=20))} is now earlier than ")
    assert body["message"].endswith(" - 15 min.)")
    status, body = raw_call(endpoint, "ListTables", list_tables, when=now + datetime.timedelta(minutes=20))
    assert status == 400
    assert body["message"].startswith(
        f"Signature not yet current: {amz_date(now + datetime.timedelta(minutes=20))} is still later than "
    )
    assert body["message"].endswith(" + 15 min.)")


@pytest.fixture
def checked_endpoint(tmp_path):
    """A server started with --credentials: one key, AKIDCHECKED with its secret."""
    keys = tmp_path / "keys"
    keys.write_text("# access key id, secret\nAKIDCHECKED s3cret/Key+With=Odd/Chars\n")
    proc = subprocess.Popen(
        [str(_server_binary()), "--port", "0", "--credentials", str(keys)], stdout=subprocess.PIPE, text=True
    )
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("dynaplay-server listening on "), line
        yield line.rsplit(" ", 1)[-1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def client_for(endpoint, key, secret, region=REGION):
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def test_credentials_verify_signatures_as_dynamodb_does(checked_endpoint):
    good = client_for(checked_endpoint, "AKIDCHECKED", "s3cret/Key+With=Odd/Chars")
    good.create_table(
        TableName="Signed",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    good.put_item(TableName="Signed", Item={"pk": {"S": "é ünïcode"}, "n": {"N": "1"}})
    assert good.list_tables()["TableNames"] == ["Signed"]
    streams = boto3.client(
        "dynamodbstreams", endpoint_url=checked_endpoint, region_name=REGION,
        aws_access_key_id="AKIDCHECKED", aws_secret_access_key="s3cret/Key+With=Odd/Chars",
    )
    assert streams.list_streams()["Streams"] == []

    with pytest.raises(ClientError) as bad:
        client_for(checked_endpoint, "AKIDUNKNOWN", "whatever").list_tables()
    assert bad.value.response["Error"] == {
        "Code": "UnrecognizedClientException",
        "Message": "The security token included in the request is invalid",
    }
    with pytest.raises(ClientError) as bad:
        client_for(checked_endpoint, "AKIDCHECKED", "the wrong secret").list_tables()
    assert bad.value.response["Error"] == {
        "Code": "InvalidSignatureException",
        "Message": "The request signature we calculated does not match the signature you provided. "
        "Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    }
    with pytest.raises(ClientError) as bad:
        client_for(checked_endpoint, "AKIDCHECKED", "s3cret/Key+With=Odd/Chars", region="mars-north-1").list_tables()
    assert bad.value.response["Error"] == {
        "Code": "InvalidSignatureException",
        "Message": "Credential should be scoped to a valid region, not 'mars-north-1'. ",
    }
    # Any AWS Region is served, in that Region (a global table's replicas are told apart so).
    west = client_for(checked_endpoint, "AKIDCHECKED", "s3cret/Key+With=Odd/Chars", region="eu-west-1")
    assert west.list_tables()["TableNames"] == []
    # A well-formed but unverifiable signature passes only without --credentials.
    status, body = raw_call(checked_endpoint, "ListTables", b"{}")
    assert (status, body["__type"]) == (400, "com.amazon.coral.service#UnrecognizedClientException")


def test_the_aws_cli_signs_for_a_checked_server(checked_endpoint):
    aws = Path(sys.executable).parent / "aws"
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "AKIDCHECKED", "AWS_SECRET_ACCESS_KEY": "s3cret/Key+With=Odd/Chars",
           "AWS_DEFAULT_REGION": REGION, "AWS_PAGER": "", "AWS_CONFIG_FILE": os.devnull,
           "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_MAX_ATTEMPTS": "1"}
    env.pop("AWS_PROFILE", None)
    argv = [str(aws), "dynamodb", "list-tables", "--endpoint-url", checked_endpoint, "--output", "json"]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"TableNames": []}
    env["AWS_SECRET_ACCESS_KEY"] = "wrong"
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "(InvalidSignatureException) when calling the ListTables operation: The request signature we calculated" in done.stderr
