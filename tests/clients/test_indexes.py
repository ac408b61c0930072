"""Secondary indexes through boto3: GSI + LSI created with the table (resource API), Query on
each index with `Key`/`Attr` conditions, the client's view of the same, and UpdateTable adding
a GSI that backfills and turns ACTIVE."""

import time
from decimal import Decimal

import pytest
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

TABLE = "GameScores"

# (player, game, score, title or None, region)
SCORES = [
    ("alice", "chess", 1200, "GM", "EU"),
    ("alice", "go", 800, None, "EU"),
    ("alice", "poker", 950, "Shark", "EU"),
    ("bob", "chess", 1500, "GM", "US"),
    ("bob", "go", 700, None, "US"),
    ("carol", "chess", 1100, "IM", "US"),
]


def score_item(player, game, score, title, region):
    item = {"player": player, "game": game, "score": score, "region": region, "note": f"{player}/{game}"}
    if title is not None:
        item["title"] = title  # sparse: only titled players appear in the ByTitle index
    return item


@pytest.fixture
def scores(resource):
    """GameScores(player, game) with a sparse INCLUDE GSI and an ALL LSI, filled via batch_writer."""
    table = resource.create_table(
        TableName=TABLE,
        KeySchema=[
            {"AttributeName": "player", "KeyType": "HASH"},
            {"AttributeName": "game", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "player", "AttributeType": "S"},
            {"AttributeName": "game", "AttributeType": "S"},
            {"AttributeName": "score", "AttributeType": "N"},
            {"AttributeName": "title", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "ByTitle",
                "KeySchema": [
                    {"AttributeName": "title", "KeyType": "HASH"},
                    {"AttributeName": "score", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["region"]},
                "ProvisionedThroughput": {"ReadCapacityUnits": 2, "WriteCapacityUnits": 3},
            }
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "ByScore",
                "KeySchema": [
                    {"AttributeName": "player", "KeyType": "HASH"},
                    {"AttributeName": "score", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    )
    table.wait_until_exists()
    with table.batch_writer() as batch:
        for row in SCORES:
            batch.put_item(Item=score_item(*row))
    return table


def test_create_table_describes_both_indexes(scores, client):
    desc = client.describe_table(TableName=TABLE)["Table"]
    assert desc["TableStatus"] == "ACTIVE"
    assert desc["ItemCount"] == 6
    [gsi] = desc["GlobalSecondaryIndexes"]
    assert gsi["IndexName"] == "ByTitle"
    assert gsi["IndexStatus"] == "ACTIVE"
    assert gsi["Projection"] == {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["region"]}
    assert gsi["ProvisionedThroughput"]["ReadCapacityUnits"] == 2
    assert gsi["ProvisionedThroughput"]["WriteCapacityUnits"] == 3
    assert gsi["ItemCount"] == 4  # sparse: the two untitled items are not in it
    assert gsi["IndexArn"] == f"arn:aws:dynamodb:us-east-1:000000000000:table/{TABLE}/index/ByTitle"
    [lsi] = desc["LocalSecondaryIndexes"]
    assert lsi["IndexName"] == "ByScore"
    assert lsi["KeySchema"] == [
        {"AttributeName": "player", "KeyType": "HASH"},
        {"AttributeName": "score", "KeyType": "RANGE"},
    ]
    assert lsi["Projection"] == {"ProjectionType": "ALL"}
    assert lsi["ItemCount"] == 6


def test_resource_query_on_gsi_with_key_and_attr(scores):
    resp = scores.query(
        IndexName="ByTitle",
        KeyConditionExpression=Key("title").eq("GM") & Key("score").gte(1000),
        ScanIndexForward=False,
    )
    # INCLUDE projection: table keys, index keys and the included attribute, nothing else.
    assert resp["Items"] == [
        {"player": "bob", "game": "chess", "score": Decimal(1500), "title": "GM", "region": "US"},
        {"player": "alice", "game": "chess", "score": Decimal(1200), "title": "GM", "region": "EU"},
    ]
    assert resp["Count"] == 2

    resp = scores.query(
        IndexName="ByTitle",
        KeyConditionExpression=Key("title").eq("GM"),
        FilterExpression=Attr("region").eq("EU"),
    )
    assert [item["player"] for item in resp["Items"]] == ["alice"]
    assert (resp["Count"], resp["ScannedCount"]) == (1, 2)


def test_resource_query_on_lsi_sorts_by_index_key(scores):
    resp = scores.query(
        IndexName="ByScore",
        KeyConditionExpression=Key("player").eq("alice") & Key("score").between(900, 1300),
    )
    assert resp["Items"] == [score_item(*SCORES[2]), score_item(*SCORES[0])]

    resp = scores.query(
        IndexName="ByScore",
        KeyConditionExpression=Key("player").eq("alice"),
        FilterExpression=Attr("title").not_exists(),
        ProjectionExpression="game, score",
    )
    assert resp["Items"] == [{"game": "go", "score": Decimal(800)}]


def test_client_query_on_gsi_select_count_and_consistent_read_error(scores, client):
    resp = client.query(
        TableName=TABLE,
        IndexName="ByTitle",
        KeyConditionExpression="title = :t",
        ExpressionAttributeValues={":t": {"S": "IM"}},
        Select="COUNT",
    )
    assert (resp["Count"], resp["ScannedCount"]) == (1, 1)
    assert "Items" not in resp

    with pytest.raises(ClientError) as info:
        client.query(
            TableName=TABLE,
            IndexName="ByTitle",
            KeyConditionExpression="title = :t",
            ExpressionAttributeValues={":t": {"S": "IM"}},
            ConsistentRead=True,
        )
    assert info.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "Consistent reads are not supported on global secondary indexes",
    }


def test_scan_on_sparse_gsi(scores):
    resp = scores.scan(IndexName="ByTitle")
    assert sorted((i["player"], i["game"]) for i in resp["Items"]) == [
        ("alice", "chess"), ("alice", "poker"), ("bob", "chess"), ("carol", "chess"),
    ]


def index_status(client, name):
    for gsi in client.describe_table(TableName=TABLE)["Table"].get("GlobalSecondaryIndexes", []):
        if gsi["IndexName"] == name:
            return gsi
    raise AssertionError(f"no index {name}")


def test_update_table_adds_gsi_and_it_becomes_active(scores, client):
    resp = client.update_table(
        TableName=TABLE,
        AttributeDefinitions=[
            {"AttributeName": "region", "AttributeType": "S"},
            {"AttributeName": "score", "AttributeType": "N"},
        ],
        GlobalSecondaryIndexUpdates=[
            {
                "Create": {
                    "IndexName": "ByRegion",
                    "KeySchema": [
                        {"AttributeName": "region", "KeyType": "HASH"},
                        {"AttributeName": "score", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                    "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
                }
            }
        ],
    )
    table = resp["TableDescription"]
    assert table["TableStatus"] == "UPDATING"
    created = {g["IndexName"]: g for g in table["GlobalSecondaryIndexes"]}["ByRegion"]
    assert created["IndexStatus"] == "CREATING"
    # A GSI added by UpdateTable (unlike one made with the table) reports its backfill.
    assert "Backfilling" in created

    # The backfill runs on engine time (a few seconds of wall clock behind the server).
    deadline = time.monotonic() + 20
    while index_status(client, "ByRegion")["IndexStatus"] != "ACTIVE":
        assert time.monotonic() < deadline, "ByRegion never became ACTIVE"
        time.sleep(0.25)
    client.get_waiter("table_exists").wait(TableName=TABLE, WaiterConfig={"Delay": 1, "MaxAttempts": 20})
    assert client.describe_table(TableName=TABLE)["Table"]["TableStatus"] == "ACTIVE"
    assert index_status(client, "ByRegion")["ItemCount"] == 6

    # The new index holds the items written before it existed (KEYS_ONLY projection).
    resp = client.query(
        TableName=TABLE,
        IndexName="ByRegion",
        KeyConditionExpression="#r = :r AND score > :min",
        ExpressionAttributeNames={"#r": "region"},
        ExpressionAttributeValues={":r": {"S": "US"}, ":min": {"N": "1000"}},
    )
    assert resp["Items"] == [
        {"region": {"S": "US"}, "score": {"N": "1100"}, "player": {"S": "carol"}, "game": {"S": "chess"}},
        {"region": {"S": "US"}, "score": {"N": "1500"}, "player": {"S": "bob"}, "game": {"S": "chess"}},
    ]


def test_gsi_keys_over_the_limits_and_include_without_attributes_are_refused(client):
    with pytest.raises(ClientError) as bad:
        client.create_table(
            TableName="Inc",
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
            GlobalSecondaryIndexes=[{"IndexName": "ByG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                     "Projection": {"ProjectionType": "INCLUDE"}}],
        )
    assert bad.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified",
    }
    client.create_table(
        TableName="Gsis",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexes=[{"IndexName": "ByG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "KEYS_ONLY"}}],
    )
    client.put_item(TableName="Gsis", Item={"pk": {"S": "ok"}, "g": {"S": "z" * 2048}})
    with pytest.raises(ClientError) as bad:
        client.put_item(TableName="Gsis", Item={"pk": {"S": "long"}, "g": {"S": "z" * 2049}})
    assert bad.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes",
    }
    assert client.scan(TableName="Gsis", IndexName="ByG", Select="COUNT")["Count"] == 1
