"""The legacy (pre-expression) parameters through the boto3 client, as older tutorials and
exam material write them: Expected, AttributeUpdates, KeyConditions, QueryFilter, ScanFilter,
AttributesToGet, ConditionalOperator — and the error for mixing them with expressions."""

import pytest

from test_errors import error_of

TABLE = "Threads"


@pytest.fixture
def threads(client):
    client.create_table(
        TableName=TABLE,
        KeySchema=[
            {"AttributeName": "ForumName", "KeyType": "HASH"},
            {"AttributeName": "Subject", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "ForumName", "AttributeType": "S"},
            {"AttributeName": "Subject", "AttributeType": "S"},
        ],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    )
    for subject, replies, views in [("a1", 0, 10), ("a2", 3, 50), ("b1", 7, 5)]:
        client.put_item(
            TableName=TABLE,
            Item={
                "ForumName": {"S": "S3"},
                "Subject": {"S": subject},
                "Replies": {"N": str(replies)},
                "Views": {"N": str(views)},
            },
        )
    return client


def key(subject):
    return {"ForumName": {"S": "S3"}, "Subject": {"S": subject}}


def test_put_with_expected(threads):
    # Expected: the item must not exist yet -> fails for an existing key.
    with pytest.raises(threads.exceptions.ConditionalCheckFailedException):
        threads.put_item(
            TableName=TABLE,
            Item={**key("a1"), "Replies": {"N": "99"}},
            Expected={"ForumName": {"Exists": False}},
        )
    threads.put_item(
        TableName=TABLE,
        Item={**key("a1"), "Replies": {"N": "1"}},
        Expected={"Replies": {"Value": {"N": "0"}}, "Views": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "5"}]}},
        ConditionalOperator="AND",
    )
    item = threads.get_item(TableName=TABLE, Key=key("a1"), AttributesToGet=["Replies", "Views"])["Item"]
    assert item == {"Replies": {"N": "1"}}


def test_update_with_attribute_updates(threads):
    resp = threads.update_item(
        TableName=TABLE,
        Key=key("a2"),
        AttributeUpdates={
            "Replies": {"Action": "ADD", "Value": {"N": "2"}},
            "Tags": {"Action": "ADD", "Value": {"SS": ["new", "hot"]}},
            "Views": {"Action": "DELETE"},
            "LastPostedBy": {"Action": "PUT", "Value": {"S": "alice"}},
        },
        Expected={"Replies": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "3"}]}},
        ReturnValues="ALL_NEW",
    )
    attrs = resp["Attributes"]
    attrs["Tags"]["SS"].sort()
    assert attrs == {
        **key("a2"),
        "Replies": {"N": "5"},
        "Tags": {"SS": ["hot", "new"]},
        "LastPostedBy": {"S": "alice"},
    }

    error, _ = error_of(
        threads.update_item,
        TableName=TABLE,
        Key=key("a2"),
        AttributeUpdates={"Replies": {"Action": "ADD", "Value": {"N": "1"}}},
        UpdateExpression="SET Views = :v",
        ExpressionAttributeValues={":v": {"N": "1"}},
    )
    assert error == {
        "Code": "ValidationException",
        "Message": "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}",
    }


def test_query_with_key_conditions_and_query_filter(threads):
    resp = threads.query(
        TableName=TABLE,
        KeyConditions={
            "ForumName": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "S3"}]},
            "Subject": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "a"}]},
        },
        QueryFilter={"Views": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "20"}]}},
        AttributesToGet=["Subject", "Views"],
    )
    assert resp["Items"] == [{"Subject": {"S": "a2"}, "Views": {"N": "50"}}]
    assert (resp["Count"], resp["ScannedCount"]) == (1, 2)


def test_scan_with_scan_filter_or(threads):
    resp = threads.scan(
        TableName=TABLE,
        ScanFilter={
            "Replies": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "5"}]},
            "Views": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "8"}, {"N": "12"}]},
        },
        ConditionalOperator="OR",
    )
    assert sorted(i["Subject"]["S"] for i in resp["Items"]) == ["a1", "b1"]
    assert resp["ScannedCount"] == 3


def test_delete_with_expected_not_null(threads):
    threads.delete_item(
        TableName=TABLE,
        Key=key("b1"),
        Expected={"Replies": {"ComparisonOperator": "NOT_NULL"}},
    )
    assert "Item" not in threads.get_item(TableName=TABLE, Key=key("b1"))
