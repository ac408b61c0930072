"""A table's life through boto3's resource and waiters: create (CREATING, then ACTIVE),
UpdateTable switching the billing mode (UPDATING, then ACTIVE), delete (DELETING, then gone)."""

from decimal import Decimal

from test_errors import error_of

FAST = {"Delay": 1, "MaxAttempts": 15}


def test_create_update_delete_with_waiters(resource, client):
    table = resource.create_table(
        TableName="Life",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
    )
    assert table.table_status == "CREATING"
    client.get_waiter("table_exists").wait(TableName="Life", WaiterConfig=FAST)
    table.reload()
    assert table.table_status == "ACTIVE"
    assert table.provisioned_throughput["ReadCapacityUnits"] == 1

    table.put_item(Item={"pk": "a", "n": 1, "l": [1, 2], "m": {"x": "y"}})
    resp = table.update_item(
        Key={"pk": "a"},
        UpdateExpression="SET n = n + :one, l[5] = :v",
        ExpressionAttributeValues={":one": 1, ":v": 9},
        ReturnValues="UPDATED_OLD",
    )
    # l[5] is past the end: the value is appended, and there was no old value to return.
    assert resp["Attributes"] == {"n": Decimal(1)}
    assert table.get_item(Key={"pk": "a"})["Item"]["l"] == [1, 2, 9]

    resp = client.update_table(TableName="Life", BillingMode="PAY_PER_REQUEST")["TableDescription"]
    assert resp["TableStatus"] == "UPDATING"
    assert resp["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    client.get_waiter("table_exists").wait(TableName="Life", WaiterConfig=FAST)

    resp = table.delete()["TableDescription"]
    assert resp["TableStatus"] == "DELETING"
    client.get_waiter("table_not_exists").wait(TableName="Life", WaiterConfig=FAST)
    assert client.list_tables()["TableNames"] == []
    error, _ = error_of(table.put_item, Item={"pk": "b"})
    assert error == {"Code": "ResourceNotFoundException", "Message": "Requested resource not found"}


def test_resource_types_round_trip(resource):
    table = resource.create_table(
        TableName="Types",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    item = {
        "pk": "t",
        "empty": "",
        "ss": {"a", "b"},
        "ns": {Decimal("1.5"), Decimal(-2)},
        "bin": b"\x00\x01",
        "bs": {b"\x02"},
        "null": None,
        "bool": True,
        "nested": {"list": [Decimal("0.1"), "s", {"deep": None}]},
    }
    table.put_item(Item=item)
    got = table.get_item(Key={"pk": "t"})["Item"]
    assert got["bin"].value == b"\x00\x01"
    assert {b.value for b in got["bs"]} == {b"\x02"}
    del got["bin"], got["bs"], item["bin"], item["bs"]
    assert got == item

    # An empty Python set is serialized as an empty number set, which DynamoDB refuses.
    error, _ = error_of(table.put_item, Item={"pk": "u", "s": set()})
    assert error == {
        "Code": "ValidationException",
        "Message": "One or more parameter values were invalid: An number set  may not be empty",
    }
