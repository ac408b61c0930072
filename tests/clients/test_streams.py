"""DynamoDB Streams through boto3's `dynamodbstreams` client (target DynamoDBStreams_20120810).

Each test gets a fresh server (the `endpoint` fixture of conftest.py); the server's engine time
is the wall clock, so these tests read what was just written and never wait for expiry.
"""

import datetime
import subprocess
import time

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from conftest import DUMMY_CREDENTIALS, REGION, _server_binary

TABLE = "StreamEvents"


@pytest.fixture
def streams(endpoint):
    """A boto3 DynamoDB Streams client for the test's server."""
    return boto3.client(
        "dynamodbstreams",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def create_table(client, view_type="NEW_AND_OLD_IMAGES"):
    """Creates TABLE (pk S, sk N) with a stream; returns the stream ARN.

    Small provisioned throughput gives one partition, so the stream has one shard (an
    on-demand table starts with four partitions, and so four shards)."""
    created = client.create_table(
        TableName=TABLE,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
        ],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        StreamSpecification={"StreamEnabled": True, "StreamViewType": view_type},
    )
    return created["TableDescription"]["LatestStreamArn"]


def read_all(streams, arn):
    """Every record of every shard, parents first, following NextShardIterator."""
    records = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator)
            if not page["Records"]:
                break
            records.extend(page["Records"])
            iterator = page.get("NextShardIterator")
    return records


def test_put_update_delete_arrive_in_order_with_both_images(client, streams):
    arn = create_table(client)
    key = {"pk": {"S": "user#1"}, "sk": {"N": "1"}}
    client.put_item(TableName=TABLE, Item={**key, "name": {"S": "Ada"}})
    client.update_item(
        TableName=TABLE,
        Key=key,
        UpdateExpression="SET #n = :n",
        ExpressionAttributeNames={"#n": "name"},
        ExpressionAttributeValues={":n": {"S": "Grace"}},
    )
    # The same item again changes nothing, so the stream shows nothing for it.
    client.put_item(TableName=TABLE, Item={**key, "name": {"S": "Grace"}})
    client.delete_item(TableName=TABLE, Key=key)

    records = read_all(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    for record in records:
        assert record["eventSource"] == "aws:dynamodb"
        assert record["eventVersion"] == "1.1"
        assert record["awsRegion"] == REGION
        assert len(record["eventID"]) == 32
        data = record["dynamodb"]
        assert data["Keys"] == key
        assert data["StreamViewType"] == "NEW_AND_OLD_IMAGES"
        assert data["SizeBytes"] > 0
        # boto3 parses the timestamp, which proves its wire type.
        assert isinstance(data["ApproximateCreationDateTime"], datetime.datetime)
        assert "userIdentity" not in record
    numbers = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    insert, modify, remove = (r["dynamodb"] for r in records)
    assert insert["NewImage"]["name"] == {"S": "Ada"} and "OldImage" not in insert
    assert modify["OldImage"]["name"] == {"S": "Ada"}
    assert modify["NewImage"]["name"] == {"S": "Grace"}
    assert remove["OldImage"]["name"] == {"S": "Grace"} and "NewImage" not in remove


@pytest.mark.parametrize(
    "view_type, new, old",
    [("KEYS_ONLY", False, False), ("NEW_IMAGE", True, False), ("OLD_IMAGE", False, True)],
)
def test_view_types_choose_the_images(client, streams, view_type, new, old):
    arn = create_table(client, view_type)
    key = {"pk": {"S": "k"}, "sk": {"N": "7"}}
    client.put_item(TableName=TABLE, Item={**key, "v": {"N": "1"}})
    client.put_item(TableName=TABLE, Item={**key, "v": {"N": "2"}})
    (insert, modify) = read_all(streams, arn)
    assert modify["eventName"] == "MODIFY"
    assert ("NewImage" in modify["dynamodb"]) == new
    assert ("OldImage" in modify["dynamodb"]) == old
    assert "OldImage" not in insert["dynamodb"]
    assert modify["dynamodb"]["StreamViewType"] == view_type


def test_list_and_describe_streams(client, streams):
    arn = create_table(client)
    listed = streams.list_streams(TableName=TABLE)["Streams"]
    assert listed == [
        {"StreamArn": arn, "TableName": TABLE, "StreamLabel": arn.rsplit("/", 1)[1]}
    ]
    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert description["StreamStatus"] == "ENABLED"
    assert description["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert description["TableName"] == TABLE
    assert [k["AttributeName"] for k in description["KeySchema"]] == ["pk", "sk"]
    (shard,) = description["Shards"]
    assert shard["ShardId"].startswith("shardId-")
    assert "StartingSequenceNumber" in shard["SequenceNumberRange"]
    assert "EndingSequenceNumber" not in shard["SequenceNumberRange"]


def test_iterators_latest_limit_and_sequence_numbers(client, streams):
    arn = create_table(client)
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    client.put_item(TableName=TABLE, Item={"pk": {"S": "before"}, "sk": {"N": "0"}})
    latest = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST"
    )["ShardIterator"]
    for n in range(1, 4):
        client.put_item(TableName=TABLE, Item={"pk": {"S": "after"}, "sk": {"N": str(n)}})
    page = streams.get_records(ShardIterator=latest, Limit=2)
    assert [r["dynamodb"]["Keys"]["sk"]["N"] for r in page["Records"]] == ["1", "2"]
    rest = streams.get_records(ShardIterator=page["NextShardIterator"])
    assert [r["dynamodb"]["Keys"]["sk"]["N"] for r in rest["Records"]] == ["3"]

    second = page["Records"][1]["dynamodb"]["SequenceNumber"]
    after = streams.get_shard_iterator(
        StreamArn=arn,
        ShardId=shard,
        ShardIteratorType="AFTER_SEQUENCE_NUMBER",
        SequenceNumber=second,
    )["ShardIterator"]
    assert [r["dynamodb"]["Keys"]["sk"]["N"] for r in streams.get_records(ShardIterator=after)["Records"]] == ["3"]
    at = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=second
    )["ShardIterator"]
    assert streams.get_records(ShardIterator=at, Limit=1)["Records"][0]["dynamodb"]["SequenceNumber"] == second


def test_disabling_closes_the_shards_and_reenabling_makes_a_new_stream(client, streams):
    arn = create_table(client)
    client.put_item(TableName=TABLE, Item={"pk": {"S": "a"}, "sk": {"N": "1"}})
    client.update_table(TableName=TABLE, StreamSpecification={"StreamEnabled": False})
    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert description["StreamStatus"] in ("DISABLING", "DISABLED")
    assert all("EndingSequenceNumber" in s["SequenceNumberRange"] for s in description["Shards"])
    # Still readable, and a closed shard read to its end has no next iterator.
    shard = description["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(
        StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    page = streams.get_records(ShardIterator=iterator)
    assert len(page["Records"]) == 1 and "NextShardIterator" not in page

    # The table is UPDATING for a second of engine (here: wall-clock) time.
    time.sleep(1.1)
    updated = client.update_table(
        TableName=TABLE, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}
    )
    new_arn = updated["TableDescription"]["LatestStreamArn"]
    assert new_arn != arn
    assert {s["StreamArn"] for s in streams.list_streams(TableName=TABLE)["Streams"]} == {arn, new_arn}


def test_an_on_demand_tables_stream_has_a_shard_per_partition(client, streams):
    created = client.create_table(
        TableName="Wide",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    )
    arn = created["TableDescription"]["LatestStreamArn"]
    for i in range(40):
        client.put_item(TableName="Wide", Item={"pk": {"S": f"k{i}"}})
    shards = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]
    # 12,000 reads or 4,000 writes a second fit four partitions, one shard each.
    assert len(shards) == 4
    keys = sorted(r["dynamodb"]["Keys"]["pk"]["S"] for r in read_all(streams, arn))
    assert keys == sorted(f"k{i}" for i in range(40))


def test_errors_are_dynamodb_streams_errors(client, streams):
    arn = create_table(client)
    with pytest.raises(streams.exceptions.ResourceNotFoundException):
        streams.describe_stream(StreamArn=arn.replace(TABLE, "NoSuchTable"))
    with pytest.raises(ClientError) as bad:
        streams.get_records(ShardIterator=f"{arn}|1|not-base64!")
    assert bad.value.response["Error"]["Code"] == "ValidationException"
    assert bad.value.response["Error"]["Message"] == "Invalid ShardIterator"
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    with pytest.raises(ClientError) as bad:
        streams.get_shard_iterator(
            StreamArn=arn,
            ShardId=shard,
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            SequenceNumber="999999999999999999999",
        )
    assert bad.value.response["Error"]["Code"] == "ValidationException"


def wide_stream(client):
    """An on-demand table with a stream: four partitions, so four shards. Returns its ARN."""
    created = client.create_table(
        TableName="Wide",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    )
    return created["TableDescription"]["LatestStreamArn"]


def test_describe_stream_lists_shards_by_id_a_page_at_a_time(client, streams):
    arn = wide_stream(client)
    every = [s["ShardId"] for s in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]]
    assert len(every) == 4 and every == sorted(every)
    paged, start = [], {}
    while True:
        page = streams.describe_stream(StreamArn=arn, Limit=3, **start)["StreamDescription"]
        paged += [s["ShardId"] for s in page["Shards"]]
        if "LastEvaluatedShardId" not in page:
            break
        start = {"ExclusiveStartShardId": page["LastEvaluatedShardId"]}
    assert paged == every
    past = streams.describe_stream(StreamArn=arn, ExclusiveStartShardId=every[-1])["StreamDescription"]
    assert past["Shards"] == [] and "LastEvaluatedShardId" not in past
    # No shard has rolled over or split yet: no shard has children.
    children = streams.describe_stream(
        StreamArn=arn, ShardFilter={"Type": "CHILD_SHARDS", "ShardId": every[0]}
    )["StreamDescription"]["Shards"]
    assert children == []


def test_iterators_from_a_shards_starting_number_and_what_is_refused(client, streams):
    arn = wide_stream(client)
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][1]
    start = shard["SequenceNumberRange"]["StartingSequenceNumber"]
    # The shard is still empty: its own starting number is a place to read from.
    for kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER"):
        it = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType=kind, SequenceNumber=start
        )["ShardIterator"]
        assert streams.get_records(ShardIterator=it)["Records"] == []
    for kind in ("TRIM_HORIZON", "LATEST"):
        with pytest.raises(ClientError) as bad:
            streams.get_shard_iterator(
                StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType=kind, SequenceNumber=start
            )
        assert bad.value.response["Error"] == {
            "Code": "ValidationException",
            "Message": f"SequenceNumber must not be specified when ShardIteratorType is {kind}",
        }
    malformed = arn.split("/stream/")[0]  # a table ARN, not a stream's
    for call in (
        lambda: streams.describe_stream(StreamArn=malformed),
        lambda: streams.get_shard_iterator(StreamArn=malformed, ShardId=shard["ShardId"], ShardIteratorType="LATEST"),
    ):
        with pytest.raises(ClientError) as bad:
            call()
        assert bad.value.response["Error"] == {"Code": "ValidationException", "Message": "Invalid StreamArn"}
    with pytest.raises(streams.exceptions.ResourceNotFoundException):
        streams.get_shard_iterator(
            StreamArn=arn.replace("table/Wide/", "table/Narrow/"), ShardId=shard["ShardId"], ShardIteratorType="LATEST"
        )


@pytest.fixture
def quick_ttl_endpoint():
    """A server that deletes expired items at once (`--ttl-delay-ms 0`)."""
    proc = subprocess.Popen(
        [str(_server_binary()), "--port", "0", "--ttl-delay-ms", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        line = proc.stdout.readline().strip()
        yield line.rsplit(" ", 1)[-1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_ttl_deletions_reach_the_stream_as_the_service(quick_ttl_endpoint):
    kwargs = {
        "endpoint_url": quick_ttl_endpoint,
        "region_name": REGION,
        "aws_access_key_id": DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    }
    client = boto3.client("dynamodb", **kwargs)
    streams = boto3.client("dynamodbstreams", **kwargs)
    arn = create_table(client, "OLD_IMAGE")
    client.update_time_to_live(
        TableName=TABLE, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"}
    )
    time.sleep(1.1)  # ENABLING → ENABLED
    key = {"pk": {"S": "session"}, "sk": {"N": "1"}}
    client.put_item(TableName=TABLE, Item={**key, "expires": {"N": str(int(time.time()) - 1)}})
    deadline = time.time() + 5
    while "Item" in client.get_item(TableName=TABLE, Key=key) and time.time() < deadline:
        time.sleep(0.2)
    assert "Item" not in client.get_item(TableName=TABLE, Key=key)
    insert, remove = read_all(streams, arn)
    assert insert["eventName"] == "INSERT" and "userIdentity" not in insert
    assert remove["eventName"] == "REMOVE"
    assert remove["userIdentity"] == {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}
    assert remove["dynamodb"]["Keys"] == key
