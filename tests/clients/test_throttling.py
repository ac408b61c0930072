"""Loads DynamoDB serves with SDK retries switched off, sent through boto3 (one attempt per
request) to a server with its default settings: throttling on, engine time the wall clock.
Sizes are the stricter reading of "10 KB" / "100 KB" (a value of 10,240 / 102,400 bytes plus
the key): 11 / 101 write units an item. A hot key held far above its partition's ceiling is
still throttled."""

import pytest
from botocore.exceptions import ClientError


def on_demand_table(client, name):
    client.create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )


def item(pk, sk, size):
    return {"pk": {"S": pk}, "sk": {"S": sk}, "data": {"S": "x" * size}}


def batch_put(client, table, items):
    resp = client.batch_write_item(
        RequestItems={table: [{"PutRequest": {"Item": i}} for i in items]},
        ReturnConsumedCapacity="TOTAL",
    )
    assert resp["UnprocessedItems"] == {}
    return resp["ConsumedCapacity"][0]["CapacityUnits"]


def test_200_items_of_10_kb_under_one_partition_key(client):
    on_demand_table(client, "Hot")
    units = 0
    for b in range(8):
        units += batch_put(client, "Hot", [item("one", f"{b:02d}-{i:02d}", 10_240) for i in range(25)])
    assert units == 200 * 11
    assert client.describe_table(TableName="Hot")["Table"]["ItemCount"] == 200


def test_800_items_of_10_kb_under_distinct_keys(client):
    on_demand_table(client, "Wide")
    units = 0
    for b in range(32):
        units += batch_put(client, "Wide", [item(f"k{b:02d}-{i:02d}", "s", 10_240) for i in range(25)])
    assert units == 800 * 11


def test_a_3_mb_transaction_after_large_batches_and_a_transactional_delete(client):
    on_demand_table(client, "Txn")
    for b in range(2):
        batch_put(client, "Txn", [item(f"big{b}-{i:02d}", "s", 102_400) for i in range(25)])
    deleted = client.transact_write_items(
        TransactItems=[
            {"Delete": {"TableName": "Txn", "Key": {"pk": {"S": f"big{i // 25}-{i % 25:02d}"}, "sk": {"S": "s"}}}}
            for i in range(50)
        ],
        ReturnConsumedCapacity="TOTAL",
    )
    assert deleted["ConsumedCapacity"][0]["CapacityUnits"] == 50 * 202
    put = client.transact_write_items(
        TransactItems=[{"Put": {"TableName": "Txn", "Item": item(f"txn-{i:02d}", "s", 102_400)}} for i in range(30)],
        ReturnConsumedCapacity="TOTAL",
    )
    assert put["ConsumedCapacity"][0]["CapacityUnits"] == 30 * 202
    for i in range(10):
        client.put_item(TableName="Txn", Item=item(f"small-{i}", "s", 10))
    assert client.describe_table(TableName="Txn")["Table"]["ItemCount"] == 40


def test_a_hot_key_held_above_its_partition_ceiling_is_throttled(client):
    """100 KB writes under one key, as fast as the client sends them: far above 1,000 WCU a
    second. The partition's bank of 10 s of its ceiling (10,000 WCU) takes about a hundred of
    them, then DynamoDB's on-demand error comes back."""
    on_demand_table(client, "Hotter")
    written = 0
    with pytest.raises(ClientError) as raised:
        for n in range(1_000):
            client.put_item(TableName="Hotter", Item=item("hot", f"{n:04d}", 102_400))
            written += 1
    assert written >= 99
    err = raised.value.response["Error"]
    assert err["Code"] == "ThrottlingException"
    assert err["Message"].startswith("Throughput exceeds the current capacity of your table or index.")
