"""Access control against the server: identities with access keys and IAM policies
(Dynaplay.PlaygroundPutIdentity), a request sent as the identity whose access key signs it
(its signature verified with that key's secret), and DynamoDB's AccessDeniedException texts.
The worked example is per-user isolation with dynamodb:LeadingKeys."""

import json

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import REGION
from test_explain import playground

TABLE = "Notes"
ARN = f"arn:aws:dynamodb:{REGION}:000000000000:table/{TABLE}"
KEYS = {"alice": ("AKIAALICE0000000000A", "alice-secret"), "bob": ("AKIABOB00000000000B0", "bob-secret")}

OWN_PARTITION = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "OwnItemsOnly",
            "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem"],
            "Resource": ARN,
            "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:username}"]}},
        }
    ],
}


def as_identity(endpoint, key_id, secret):
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key_id,
        aws_secret_access_key=secret,
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


@pytest.fixture
def users(client, endpoint):
    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "owner", "KeyType": "HASH"}, {"AttributeName": "note", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "owner", "AttributeType": "S"},
            {"AttributeName": "note", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    for owner in KEYS:
        client.put_item(TableName=TABLE, Item={"owner": {"S": owner}, "note": {"S": "n1"}, "body": {"S": f"{owner}'s"}})
    for name, (key_id, secret) in KEYS.items():
        status, answer = playground(
            endpoint,
            "PlaygroundPutIdentity",
            {
                "IdentityName": name,
                "AccessKeys": [{"AccessKeyId": key_id, "SecretAccessKey": secret}],
                "Policies": [{"PolicyName": "own-partition", "PolicyDocument": json.dumps(OWN_PARTITION)}],
            },
        )
        assert status == 200, answer
        assert answer["Identity"]["Arn"] == f"arn:aws:iam::000000000000:user/{name}"
    return {name: as_identity(endpoint, *pair) for name, pair in KEYS.items()}


def test_each_user_reads_only_their_own_partition(users, client):
    alice = users["alice"]
    got = alice.get_item(TableName=TABLE, Key={"owner": {"S": "alice"}, "note": {"S": "n1"}})
    assert got["Item"]["body"] == {"S": "alice's"}
    with pytest.raises(ClientError) as err:
        alice.get_item(TableName=TABLE, Key={"owner": {"S": "bob"}, "note": {"S": "n1"}})
    assert err.value.response["Error"]["Code"] == "AccessDeniedException"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert err.value.response["Error"]["Message"] == (
        "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: dynamodb:GetItem on resource: "
        f"{ARN} because no identity-based policy allows the dynamodb:GetItem action"
    )
    # Query by the partition key value; a batch is denied whole when one key is not hers.
    mine = alice.query(
        TableName=TABLE, KeyConditionExpression="#o = :o",
        ExpressionAttributeNames={"#o": "owner"}, ExpressionAttributeValues={":o": {"S": "alice"}},
    )
    assert mine["Count"] == 1
    with pytest.raises(ClientError) as err:
        alice.batch_write_item(RequestItems={TABLE: [
            {"PutRequest": {"Item": {"owner": {"S": "alice"}, "note": {"S": "n2"}}}},
            {"PutRequest": {"Item": {"owner": {"S": "bob"}, "note": {"S": "n2"}}}},
        ]})
    assert "dynamodb:BatchWriteItem on resource: " + ARN in err.value.response["Error"]["Message"]
    # Bob, the same policy: his own partition only.
    users["bob"].put_item(TableName=TABLE, Item={"owner": {"S": "bob"}, "note": {"S": "n3"}})
    with pytest.raises(ClientError):
        users["bob"].put_item(TableName=TABLE, Item={"owner": {"S": "alice"}, "note": {"S": "n3"}})
    # ListTables is not in the policy ("*" is its resource).
    with pytest.raises(ClientError) as err:
        alice.list_tables()
    assert err.value.response["Error"]["Message"].endswith(
        "dynamodb:ListTables on resource: * because no identity-based policy allows the dynamodb:ListTables action"
    )
    # A key no identity has is the account's root user's: everything, as before.
    assert client.scan(TableName=TABLE)["Count"] == 3


def test_an_identity_signature_is_verified(users, endpoint):
    wrong = as_identity(endpoint, KEYS["alice"][0], "not-alices-secret")
    with pytest.raises(ClientError) as err:
        wrong.get_item(TableName=TABLE, Key={"owner": {"S": "alice"}, "note": {"S": "n1"}})
    assert err.value.response["Error"]["Code"] == "InvalidSignatureException"
    assert err.value.response["Error"]["Message"].startswith(
        "The request signature we calculated does not match the signature you provided."
    )


def test_a_resource_based_policy_denies_explicitly(users, client):
    policy = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Deny",
            "Principal": {"AWS": "arn:aws:iam::000000000000:user/bob"},
            "Action": "dynamodb:*",
            "Resource": ARN,
        }],
    }
    client.put_resource_policy(ResourceArn=ARN, Policy=json.dumps(policy))
    with pytest.raises(ClientError) as err:
        users["bob"].get_item(TableName=TABLE, Key={"owner": {"S": "bob"}, "note": {"S": "n1"}})
    assert err.value.response["Error"]["Message"] == (
        "User: arn:aws:iam::000000000000:user/bob is not authorized to perform: dynamodb:GetItem on resource: "
        f"{ARN} with an explicit deny in a resource-based policy"
    )
    users["alice"].get_item(TableName=TABLE, Key={"owner": {"S": "alice"}, "note": {"S": "n1"}})


def test_identities_are_listed_and_deleted(users, endpoint):
    status, listed = playground(endpoint, "PlaygroundListIdentities", {})
    assert status == 200
    assert [i["IdentityName"] for i in listed["Identities"]] == ["alice", "bob"]
    status, bad = playground(endpoint, "PlaygroundPutIdentity", {
        "IdentityName": "eve",
        "AccessKeys": [{"AccessKeyId": "AKIAEVE0000000000000", "SecretAccessKey": "s"}],
        "Policies": [{"PolicyName": "p", "PolicyDocument": '{"Statement": {"Action": "dynamodb:*", "Resource": "*"}}'}],
    })
    assert status == 400
    assert bad["message"] == "MalformedPolicyDocument: Policy p: Missing required field Effect (statement 1)"
    status, _ = playground(endpoint, "PlaygroundDeleteIdentity", {"IdentityName": "alice"})
    assert status == 200
    # Alice's key names no identity now: the root user's again.
    assert users["alice"].get_item(TableName=TABLE, Key={"owner": {"S": "bob"}, "note": {"S": "n1"}})["Item"]


def test_identities_survive_a_restart_with_a_data_dir(tmp_path):
    """Identities are workspace state: journaled, and enforced again after a restart."""
    import signal

    from test_data_dir import _start, _stop

    proc, endpoint = _start(tmp_path)
    try:
        root = boto3.client(
            "dynamodb", endpoint_url=endpoint, region_name=REGION,
            aws_access_key_id="AKIDDYNAPLAYTEST", aws_secret_access_key="x",
        )
        root.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "owner", "KeyType": "HASH"}, {"AttributeName": "note", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": "owner", "AttributeType": "S"},
                {"AttributeName": "note", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        status, _ = playground(endpoint, "PlaygroundPutIdentity", {
            "IdentityName": "alice",
            "AccessKeys": [{"AccessKeyId": KEYS["alice"][0], "SecretAccessKey": KEYS["alice"][1]}],
            "Policies": [{"PolicyName": "own-partition", "PolicyDocument": json.dumps(OWN_PARTITION)}],
        })
        assert status == 200
    finally:
        _stop(proc, signal.SIGKILL)

    proc, endpoint = _start(tmp_path)
    try:
        alice = as_identity(endpoint, *KEYS["alice"])
        alice.put_item(TableName=TABLE, Item={"owner": {"S": "alice"}, "note": {"S": "n1"}})
        with pytest.raises(ClientError) as err:
            alice.put_item(TableName=TABLE, Item={"owner": {"S": "bob"}, "note": {"S": "n1"}})
        assert err.value.response["Error"]["Code"] == "AccessDeniedException"
        with pytest.raises(ClientError) as err:
            as_identity(endpoint, KEYS["alice"][0], "wrong").list_tables()
        assert err.value.response["Error"]["Code"] == "InvalidSignatureException"
    finally:
        _stop(proc, signal.SIGTERM)
