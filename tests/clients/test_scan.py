"""Scan through boto3: the client's scan paginator, the resource's table.scan() followed page
by page with ExclusiveStartKey, filters with Attr conditions, and parallel segments."""

from decimal import Decimal

import pytest
from boto3.dynamodb.conditions import Attr

TABLE = "Events"
N = 25


@pytest.fixture
def events(resource):
    table = resource.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "N"}],
        BillingMode="PAY_PER_REQUEST",
    )
    with table.batch_writer() as batch:
        for n in range(N):
            batch.put_item(Item={"id": n, "kind": "click" if n % 3 else "view", "payload": {"n": n, "even": n % 2 == 0}})
    return table


def test_client_scan_paginator(events, client):
    paginator = client.get_paginator("scan")
    pages = list(paginator.paginate(TableName=TABLE, PaginationConfig={"PageSize": 10}))
    assert [page["Count"] for page in pages] == [10, 10, 5]
    ids = sorted(int(item["id"]["N"]) for page in pages for item in page["Items"])
    assert ids == list(range(N))
    assert "LastEvaluatedKey" not in pages[-1]

    # build_full_result follows the pages and merges them.
    full = paginator.paginate(
        TableName=TABLE,
        FilterExpression="kind = :k",
        ExpressionAttributeValues={":k": {"S": "view"}},
        PaginationConfig={"PageSize": 7},
    ).build_full_result()
    assert sorted(int(i["id"]["N"]) for i in full["Items"]) == list(range(0, N, 3))
    assert full["Count"] == 9
    assert full["ScannedCount"] == N


def test_resource_table_scan_pages(events):
    items, start, pages = [], None, 0
    while True:
        kwargs = {"Limit": 8, "FilterExpression": Attr("payload.even").eq(True)}
        if start:
            kwargs["ExclusiveStartKey"] = start
        resp = events.scan(**kwargs)
        pages += 1
        items += resp["Items"]
        start = resp.get("LastEvaluatedKey")
        if not start:
            break
        assert pages < 10
    assert pages == 4  # 8 + 8 + 8 + 1 scanned (the last page ends the scan: no key)
    assert sorted(i["id"] for i in items) == list(range(0, N, 2))
    assert all(isinstance(i["id"], Decimal) for i in items)
    assert next(i for i in items if i["id"] == 4) == {
        "id": Decimal(4), "kind": "click", "payload": {"n": Decimal(4), "even": True}
    }


def test_parallel_scan_segments_cover_the_table_once(events):
    seen = []
    for segment in range(3):
        resp = events.scan(Segment=segment, TotalSegments=3, ProjectionExpression="id")
        seen += [i["id"] for i in resp["Items"]]
    assert sorted(seen) == list(range(N))
