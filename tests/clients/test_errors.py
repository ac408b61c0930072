"""DynamoDB errors exactly as boto3 surfaces them (ClientError code and message)."""

import pytest
from botocore.exceptions import ClientError


def create_users(client):
    client.create_table(
        TableName="Users",
        KeySchema=[{"AttributeName": "UserID", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "UserID", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    )


def error_of(call, **kwargs):
    with pytest.raises(ClientError) as info:
        call(**kwargs)
    return info.value.response["Error"], info.value.response["ResponseMetadata"]


def test_missing_table_is_resource_not_found(client):
    error, meta = error_of(client.get_item, TableName="Nope", Key={"id": {"S": "1"}})
    assert error["Code"] == "ResourceNotFoundException"
    assert error["Message"] == "Requested resource not found"
    assert meta["HTTPStatusCode"] == 400

    # boto3 also raises it as the modelled exception class SDK users catch.
    with pytest.raises(client.exceptions.ResourceNotFoundException):
        client.put_item(TableName="Nope", Item={"id": {"S": "1"}})


# Remove the marker when the engine names the table: strict, so the fix cannot go unnoticed.
def test_describe_missing_table_names_it(client):
    error, _ = error_of(client.describe_table, TableName="Nope")
    assert error["Code"] == "ResourceNotFoundException"
    assert error["Message"] == "Requested resource not found: Table: Nope not found"


def test_attribute_not_exists_condition_fails_on_existing_item(client):
    create_users(client)
    item = {"UserID": {"S": "123"}, "Name": {"S": "Alice"}}
    # The first put succeeds: nothing is there yet.
    client.put_item(TableName="Users", Item=item, ConditionExpression="attribute_not_exists(UserID)")
    error, _ = error_of(
        client.put_item,
        TableName="Users",
        Item={"UserID": {"S": "123"}, "Name": {"S": "Mallory"}},
        ConditionExpression="attribute_not_exists(UserID)",
    )
    assert error["Code"] == "ConditionalCheckFailedException"
    assert error["Message"] == "The conditional request failed"
    # A failed condition changes nothing.
    assert client.get_item(TableName="Users", Key={"UserID": {"S": "123"}})["Item"] == item


def test_item_without_its_key_is_a_validation_error(client):
    create_users(client)
    error, _ = error_of(
        client.put_item, TableName="Users", Item={"Name": {"S": "Alice"}, "Age": {"N": "30"}}
    )
    assert error["Code"] == "ValidationException"
    assert error["Message"] == "One or more parameter values were invalid: Missing the key UserID in the item"
