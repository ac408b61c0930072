"""The page's SigV4 signer (static/remote.js, WebCrypto) against botocore's.

The endpoint client signs every request it sends to a real endpoint; DynamoDB itself refuses a
wrong signature, while dynaplay-server and DynamoDB Local accept any well-formed one — so the
only place a signing bug shows before a learner meets it is here. Each case signs the same
request (target, body, time, keys, Region, endpoint) in Node and with botocore's SigV4Auth, and
the Authorization headers must be equal byte for byte.
"""

import datetime
import json
import subprocess
from unittest import mock

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from conftest import REPO

REMOTE = REPO / "static" / "remote.js"

CASES = [
    # (endpoint, region, operation, body, session token)
    ("https://dynamodb.eu-west-1.amazonaws.com", "eu-west-1", "GetItem",
     '{"TableName":"Music","Key":{"Artist":{"S":"Acme Band"}}}', None),
    ("http://localhost:8000", "us-east-1", "ListTables", "{}", None),
    ("https://streams.dynamodb.ap-southeast-2.amazonaws.com", "ap-southeast-2", "GetRecords",
     '{"ShardIterator":"arn:aws:dynamodb:…/é"}', "FQoGZXIvYXdzEJr//////////wEaDMy token"),
    ("http://127.0.0.1:4567/base/path/", "us-west-2", "PutItem", '{"Item": {"a": {"S": "  two  spaces  "}}}', None),
]

KEYS = ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
NOW = datetime.datetime(2026, 12, 3, 9, 41, 7, tzinfo=datetime.timezone.utc)


def target(operation):
    """The X-Amz-Target remote.js uses (checked against its own `target` below)."""
    if operation in ("ListStreams", "DescribeStream", "GetShardIterator", "GetRecords"):
        return f"DynamoDBStreams_20120810.{operation}"
    return f"DynamoDB_20120810.{operation}"


def node_sign(endpoint, region, operation, body, token):
    script = f"""
import({json.dumps(REMOTE.as_uri())}).then(async (m) => {{
  const headers = await m.sign({{
    url: {json.dumps(endpoint)}, region: {json.dumps(region)}, body: {json.dumps(body)},
    credentials: {{ accessKeyId: {json.dumps(KEYS[0])}, secretAccessKey: {json.dumps(KEYS[1])},
                    sessionToken: {json.dumps(token) if token else 'undefined'} }},
    now: new Date({json.dumps(NOW.isoformat().replace('+00:00', 'Z'))}),
    headers: {{ 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': m.target({json.dumps(operation)}) }},
  }});
  process.stdout.write(JSON.stringify(headers));
}});
"""
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def botocore_sign(endpoint, region, operation, body, token):
    request = AWSRequest(method="POST", url=endpoint, data=body.encode(), headers={
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": target(operation),
    })
    with mock.patch("botocore.auth.get_current_datetime", return_value=NOW.replace(tzinfo=None)):
        SigV4Auth(Credentials(*KEYS, token), "dynamodb", region).add_auth(request)
    return dict(request.headers.items())


@pytest.mark.parametrize("endpoint,region,operation,body,token", CASES)
def test_the_pages_signature_is_botocores(endpoint, region, operation, body, token):
    ours = node_sign(endpoint, region, operation, body, token)
    theirs = botocore_sign(endpoint, region, operation, body, token)
    assert ours["x-amz-target"] == theirs["X-Amz-Target"]
    assert ours["x-amz-date"] == theirs["X-Amz-Date"] == "20261203T094107Z"
    if token:
        assert ours["x-amz-security-token"] == theirs["X-Amz-Security-Token"] == token
    assert ours["authorization"] == theirs["Authorization"]


def test_a_different_key_or_body_changes_the_signature():
    base = node_sign(*CASES[1])
    other_body = node_sign(*CASES[1][:3], '{"Limit":1}', None)
    assert base["authorization"] != other_body["authorization"]
    assert "Credential=AKIDEXAMPLE/20261203/us-east-1/dynamodb/aws4_request" in base["authorization"]
