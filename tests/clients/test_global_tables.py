"""Global tables over HTTP: two boto3 clients with different region_name against one endpoint
are two Regions (the SigV4 credential scope names the Region); UpdateTable ReplicaUpdates adds
a replica, writes replicate after the delay, and concurrent writes converge on the last writer.
Engine time is paused and stepped (Dynaplay.PlaygroundAdvanceTime), so nothing depends on how
fast this machine runs."""

import boto3
import pytest

from conftest import _NO_RETRIES, DUMMY_CREDENTIALS
from test_explain import playground

TABLE = "Music"


def client_in(endpoint, region, service="dynamodb"):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        config=_NO_RETRIES,
    )


def advance(endpoint, ms):
    status, body = playground(endpoint, "PlaygroundAdvanceTime", {"Milliseconds": ms})
    assert status == 200, body


def value(client, pk):
    item = client.get_item(TableName=TABLE, Key={"pk": {"S": pk}}, ConsistentRead=True).get("Item")
    return item and item["v"]["S"]


@pytest.fixture
def regions(endpoint):
    status, body = playground(endpoint, "PlaygroundUpdateTime", {"Paused": True})
    assert status == 200, body
    east, west = client_in(endpoint, "us-east-1"), client_in(endpoint, "us-west-2")
    east.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return east, west


def test_a_replica_in_another_region_and_replication(endpoint, regions):
    east, west = regions
    with pytest.raises(west.exceptions.ResourceNotFoundException):
        west.describe_table(TableName=TABLE)
    east.put_item(TableName=TABLE, Item={"pk": {"S": "before"}, "v": {"S": "1"}})
    answer = east.update_table(TableName=TABLE, ReplicaUpdates=[{"Create": {"RegionName": "us-west-2"}}])
    assert answer["TableDescription"]["GlobalTableVersion"] == "2019.11.21"
    assert answer["TableDescription"]["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    replicas = east.describe_table(TableName=TABLE)["Table"]["Replicas"]
    assert [(r["RegionName"], r["ReplicaStatus"]) for r in replicas] == [("us-west-2", "CREATING")]
    advance(endpoint, 10_000)
    table = west.describe_table(TableName=TABLE)["Table"]
    assert table["TableStatus"] == "ACTIVE"
    assert table["TableArn"].startswith("arn:aws:dynamodb:us-west-2:")
    assert [(r["RegionName"], r["ReplicaStatus"]) for r in table["Replicas"]] == [("us-east-1", "ACTIVE")]
    assert value(west, "before") == "1"
    # A write reaches the other Region after the replication delay (1 s).
    east.put_item(TableName=TABLE, Item={"pk": {"S": "a"}, "v": {"S": "east"}})
    assert value(west, "a") is None
    advance(endpoint, 1_000)
    assert value(west, "a") == "east"
    # The replicated write is in us-west-2's own stream.
    streams = client_in(endpoint, "us-west-2", "dynamodbstreams")
    arn = table["LatestStreamArn"]
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    records = []
    for shard in shards:
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON")
        records += streams.get_records(ShardIterator=it["ShardIterator"])["Records"]
    assert [(r["eventName"], r["awsRegion"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in records] == [
        ("INSERT", "us-west-2", "a")
    ]


def test_concurrent_writes_converge_on_the_last_writer(endpoint, regions):
    east, west = regions
    east.update_table(TableName=TABLE, ReplicaUpdates=[{"Create": {"RegionName": "us-west-2"}}])
    advance(endpoint, 10_000)
    east.put_item(TableName=TABLE, Item={"pk": {"S": "k"}, "v": {"S": "east"}})
    advance(endpoint, 300)
    west.put_item(TableName=TABLE, Item={"pk": {"S": "k"}, "v": {"S": "west"}})
    advance(endpoint, 1_000)
    assert value(east, "k") == value(west, "k") == "west"
    status, view = playground(endpoint, "PlaygroundDescribeRegions", {"TableName": TABLE})
    assert status == 200, view
    conflicts = view["GlobalTables"][0]["Conflicts"]
    assert sorted(c["RegionName"] for c in conflicts) == ["us-east-1", "us-west-2"]
    assert {c["Winner"]["RegionName"] for c in conflicts} == {"us-west-2"}


def test_replica_updates_refused_as_dynamodb_refuses_them(endpoint, regions):
    east, _ = regions
    with pytest.raises(east.exceptions.ClientError) as bad:
        east.update_table(TableName=TABLE, ReplicaUpdates=[{"Create": {"RegionName": "us-east-1"}}])
    assert bad.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "Cannot add or delete the local region through ReplicaUpdates. "
        "Use CreateTable, DeleteTable, or UpdateTable as required.",
    }


def test_the_legacy_api_is_refused_as_dynamodb_refuses_it(regions):
    """Version 2017.11.29: DynamoDB no longer makes such tables (recorded in 2026)."""
    east, _ = regions
    with pytest.raises(east.exceptions.ClientError) as refused:
        east.create_global_table(
            GlobalTableName=TABLE, ReplicationGroup=[{"RegionName": "us-east-1"}, {"RegionName": "us-west-2"}]
        )
    error = refused.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert "version 2017.11.29 is not supported" in error["Message"], error
    with pytest.raises(east.exceptions.GlobalTableNotFoundException):
        east.describe_global_table(GlobalTableName=TABLE)
    with pytest.raises(east.exceptions.GlobalTableNotFoundException):
        east.describe_global_table_settings(GlobalTableName=TABLE)
    assert east.list_global_tables()["GlobalTables"] == []
