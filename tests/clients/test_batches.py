"""BatchWriteItem and BatchGetItem through boto3: the resource's batch_writer() and
batch_get_item with Python types, the client with DynamoDB JSON, and the limit errors."""

import re
from decimal import Decimal

from test_errors import error_of


def make_table(resource, name, key="id", key_type="S"):
    table = resource.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": key, "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": key, "AttributeType": key_type}],
        BillingMode="PAY_PER_REQUEST",
    )
    table.wait_until_exists()
    return table


def test_batch_writer_puts_and_deletes_across_flushes(resource, client):
    books = make_table(resource, "Books")
    # 60 puts: batch_writer sends them as BatchWriteItem calls of at most 25 requests.
    with books.batch_writer() as batch:
        for n in range(60):
            batch.put_item(Item={"id": f"b{n:02d}", "n": n, "tags": {"new"} if n % 2 else {"old"}})
    books.reload()  # the resource caches DescribeTable; ItemCount is from the reload
    assert books.item_count == 60
    assert books.get_item(Key={"id": "b07"})["Item"] == {"id": "b07", "n": Decimal(7), "tags": {"new"}}

    # overwrite_by_pkeys folds repeated keys inside one buffer (last write wins).
    with books.batch_writer(overwrite_by_pkeys=["id"]) as batch:
        for n in range(50):
            batch.delete_item(Key={"id": f"b{n:02d}"})
        batch.put_item(Item={"id": "b55", "n": 550})
        batch.put_item(Item={"id": "b55", "n": 555})

    items = books.scan()["Items"]
    assert sorted((i["id"], i["n"]) for i in items) == [
        (f"b{n}", Decimal(555 if n == 55 else n)) for n in range(50, 60)
    ]
    assert client.describe_table(TableName="Books")["Table"]["ItemCount"] == 10


def test_resource_batch_get_item_with_projection(resource):
    books = make_table(resource, "Books")
    authors = make_table(resource, "Authors", key="aid", key_type="N")
    with books.batch_writer() as batch:
        for n in range(3):
            batch.put_item(Item={"id": f"b{n}", "title": f"Book {n}", "author": n, "pages": 100 + n})
    with authors.batch_writer() as batch:
        batch.put_item(Item={"aid": 1, "name": "Ursula", "born": 1929})

    resp = resource.batch_get_item(
        RequestItems={
            "Books": {
                "Keys": [{"id": "b2"}, {"id": "b0"}, {"id": "missing"}],
                "ProjectionExpression": "id, #t",
                "ExpressionAttributeNames": {"#t": "title"},
            },
            "Authors": {"Keys": [{"aid": 1}], "ConsistentRead": True},
        },
        ReturnConsumedCapacity="TOTAL",
    )
    assert sorted(resp["Responses"]["Books"], key=lambda i: i["id"]) == [
        {"id": "b0", "title": "Book 0"},
        {"id": "b2", "title": "Book 2"},
    ]
    assert resp["Responses"]["Authors"] == [{"aid": Decimal(1), "name": "Ursula", "born": Decimal(1929)}]
    assert resp["UnprocessedKeys"] == {}
    consumed = {c["TableName"]: c["CapacityUnits"] for c in resp["ConsumedCapacity"]}
    # Eventually consistent reads of small items: 0.5 each, missing keys included; strong: 1.
    assert consumed == {"Books": 1.5, "Authors": 1.0}


def test_client_batch_write_and_get(client, resource):
    make_table(resource, "Books")
    resp = client.batch_write_item(
        RequestItems={
            "Books": [
                {"PutRequest": {"Item": {"id": {"S": "x"}, "n": {"N": "1"}}}},
                {"PutRequest": {"Item": {"id": {"S": "y"}, "l": {"L": [{"S": "a"}, {"BOOL": True}]}}}},
                {"PutRequest": {"Item": {"id": {"S": "z"}, "m": {"M": {"k": {"NULL": True}}}}}},
            ]
        },
        ReturnConsumedCapacity="INDEXES",
    )
    assert resp["UnprocessedItems"] == {}
    assert resp["ConsumedCapacity"] == [{"TableName": "Books", "CapacityUnits": 3.0, "Table": {"CapacityUnits": 3.0}}]

    resp = client.batch_write_item(
        RequestItems={"Books": [{"DeleteRequest": {"Key": {"id": {"S": "x"}}}}]}
    )
    assert resp == {"UnprocessedItems": {}, "ResponseMetadata": resp["ResponseMetadata"]}

    resp = client.batch_get_item(
        RequestItems={"Books": {"Keys": [{"id": {"S": k}} for k in "xyz"], "ConsistentRead": True}}
    )
    assert sorted(resp["Responses"]["Books"], key=lambda i: i["id"]["S"]) == [
        {"id": {"S": "y"}, "l": {"L": [{"S": "a"}, {"BOOL": True}]}},
        {"id": {"S": "z"}, "m": {"M": {"k": {"NULL": True}}}},
    ]
    assert resp["UnprocessedKeys"] == {}


def test_batch_limits(client, resource):
    make_table(resource, "Books")
    error, _ = error_of(
        client.batch_write_item,
        RequestItems={"Books": [{"PutRequest": {"Item": {"id": {"S": str(n)}}}} for n in range(26)]},
    )
    assert error["Code"] == "ValidationException"
    # DynamoDB echoes the whole request list in Java's toString format; pin the rest exactly.
    assert re.fullmatch(
        r"1 validation error detected: Value '\{Books=\[.+\]\}' at 'requestItems' failed to satisfy "
        r"constraint: Map value must satisfy constraint: \[Member must have length less than or equal "
        r"to 25, Member must have length greater than or equal to 1\]",
        error["Message"],
        re.S,
    ), error["Message"]

    error, _ = error_of(
        client.batch_get_item,
        RequestItems={"Books": {"Keys": [{"id": {"S": str(n)}} for n in range(101)]}},
    )
    assert error == {
        "Code": "ValidationException",
        # The newer wording DynamoDB uses for one table's Keys over the limit.
        "Message": "1 validation error detected: Value at 'RequestItems.Books.member.Keys' failed to "
        "satisfy constraint: Member must have length less than or equal to 100",
    }

    # The same key twice in one batch is rejected and nothing is written.
    error, _ = error_of(
        client.batch_write_item,
        RequestItems={
            "Books": [
                {"PutRequest": {"Item": {"id": {"S": "dup"}}}},
                {"DeleteRequest": {"Key": {"id": {"S": "dup"}}}},
            ]
        },
    )
    assert error == {
        "Code": "ValidationException",
        "Message": "Provided list of item keys contains duplicates",
    }
    assert client.scan(TableName="Books")["Count"] == 0
    error, _ = error_of(client.batch_get_item, RequestItems={"Nope": {"Keys": [{"id": {"S": "1"}}]}})
    assert error == {"Code": "ResourceNotFoundException", "Message": "Requested resource not found"}

    # Over 100 keys across tables: the request-wide limit.
    make_table(resource, "Authors")
    error, _ = error_of(
        client.batch_get_item,
        RequestItems={
            "Books": {"Keys": [{"id": {"S": str(n)}} for n in range(100)]},
            "Authors": {"Keys": [{"id": {"S": "a"}}]},
        },
    )
    assert error == {"Code": "ValidationException", "Message": "Too many items requested for the BatchGetItem call"}
