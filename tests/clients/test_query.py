"""Query on a composite-key table through boto3: key conditions, order, pagination."""

from decimal import Decimal

import pytest
from boto3.dynamodb.conditions import Key

TABLE = "Orders"


def order(customer, n, total):
    return {
        "pk": {"S": customer},
        "sk": {"S": f"ORDER#{n:03d}"},
        "total": {"N": str(total)},
        "status": {"S": "SHIPPED" if n % 2 else "PENDING"},
    }


C1_ORDERS = [order("C1", n, n * 10) for n in range(1, 6)]


@pytest.fixture
def orders(client):
    """Orders(pk S, sk S) holding C1's five orders and profile, and another customer's order."""
    client.create_table(
        TableName=TABLE,
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
    # Written out of order: the table, not the writer, keeps items sorted by sort key.
    items = [C1_ORDERS[i] for i in (3, 0, 4, 2, 1)]
    items += [
        {"pk": {"S": "C1"}, "sk": {"S": "PROFILE"}, "name": {"S": "Ada"}},
        order("C2", 1, 99),
    ]
    for item in items:
        client.put_item(TableName=TABLE, Item=item)
    return client


def query_c1_orders(client, **extra):
    return client.query(
        TableName=TABLE,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues={":pk": {"S": "C1"}, ":prefix": {"S": "ORDER#"}},
        **extra,
    )


def test_low_level_query_returns_items_in_sort_key_order(orders):
    resp = query_c1_orders(orders)
    assert resp["Items"] == C1_ORDERS
    assert resp["Count"] == 5
    assert resp["ScannedCount"] == 5
    assert "LastEvaluatedKey" not in resp


def test_partition_only_key_condition(orders):
    resp = orders.query(
        TableName=TABLE,
        KeyConditionExpression="#p = :pk",
        ExpressionAttributeNames={"#p": "pk"},
        ExpressionAttributeValues={":pk": {"S": "C1"}},
    )
    assert [item["sk"]["S"] for item in resp["Items"]] == [
        "ORDER#001", "ORDER#002", "ORDER#003", "ORDER#004", "ORDER#005", "PROFILE",
    ]


def test_scan_index_forward_false_reverses(orders):
    resp = query_c1_orders(orders, ScanIndexForward=False)
    assert resp["Items"] == list(reversed(C1_ORDERS))


def test_limit_and_last_evaluated_key_paginate(orders):
    pages, start = [], None
    for _ in range(10):  # bounded: five items in pages of two need three pages
        extra = {"Limit": 2}
        if start is not None:
            extra["ExclusiveStartKey"] = start
        resp = query_c1_orders(orders, **extra)
        pages.append(resp["Items"])
        start = resp.get("LastEvaluatedKey")
        if start is not None:
            # The key of the last item returned, and nothing else.
            assert start == {"pk": resp["Items"][-1]["pk"], "sk": resp["Items"][-1]["sk"]}
        else:
            break
    assert pages == [C1_ORDERS[0:2], C1_ORDERS[2:4], C1_ORDERS[4:5]]


def test_boto3_paginator_walks_all_pages(orders):
    paginator = orders.get_paginator("query")
    items = []
    for page in paginator.paginate(
        TableName=TABLE,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues={":pk": {"S": "C1"}, ":prefix": {"S": "ORDER#"}},
        PaginationConfig={"PageSize": 2, "MaxItems": 100},
    ):
        items += page["Items"]
    assert items == C1_ORDERS


def test_resource_query_with_key_conditions(orders, resource):
    table = resource.Table(TABLE)
    resp = table.query(KeyConditionExpression=Key("pk").eq("C1") & Key("sk").begins_with("ORDER#"))
    assert resp["Items"] == [
        {"pk": "C1", "sk": f"ORDER#{n:03d}", "total": Decimal(n * 10), "status": status}
        for n, status in [(1, "SHIPPED"), (2, "PENDING"), (3, "SHIPPED"), (4, "PENDING"), (5, "SHIPPED")]
    ]

    resp = table.query(
        KeyConditionExpression=Key("pk").eq("C1") & Key("sk").between("ORDER#002", "ORDER#004"),
        ScanIndexForward=False,
    )
    assert [item["sk"] for item in resp["Items"]] == ["ORDER#004", "ORDER#003", "ORDER#002"]


def test_numeric_sort_keys_sort_as_numbers(client):
    client.create_table(
        TableName="Scores",
        KeySchema=[
            {"AttributeName": "player", "KeyType": "HASH"},
            {"AttributeName": "score", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "player", "AttributeType": "S"},
            {"AttributeName": "score", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    for score in ["10", "9", "-1.5", "100", "2"]:
        client.put_item(TableName="Scores", Item={"player": {"S": "p"}, "score": {"N": score}})
    resp = client.query(
        TableName="Scores",
        KeyConditionExpression="player = :p AND score > :min",
        ExpressionAttributeValues={":p": {"S": "p"}, ":min": {"N": "0"}},
    )
    assert [item["score"]["N"] for item in resp["Items"]] == ["2", "9", "10", "100"]
