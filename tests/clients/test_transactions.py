"""TransactWriteItems / TransactGetItems through boto3: a successful four-action transaction,
a cancellation with CancellationReasons as boto3 exposes them (and nothing changed), the
resource's client with Python types, and ClientRequestToken idempotency."""

from decimal import Decimal

import pytest

from test_errors import error_of

ACCOUNTS = "Accounts"


@pytest.fixture
def accounts(client):
    client.create_table(
        TableName=ACCOUNTS,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for id_, balance in [("alice", 100), ("bob", 50), ("closed", 0)]:
        client.put_item(TableName=ACCOUNTS, Item={"id": {"S": id_}, "balance": {"N": str(balance)}})
    return client


def key(id_):
    return {"id": {"S": id_}}


def snapshot(client):
    return sorted(
        (i["id"]["S"], i.get("balance", {}).get("N")) for i in client.scan(TableName=ACCOUNTS)["Items"]
    )


def transfer(amount, source="alice", target="bob"):
    return [
        {
            "Update": {
                "TableName": ACCOUNTS,
                "Key": key(source),
                "UpdateExpression": "SET balance = balance - :a",
                "ConditionExpression": "balance >= :a",
                "ExpressionAttributeValues": {":a": {"N": str(amount)}},
            }
        },
        {
            "Update": {
                "TableName": ACCOUNTS,
                "Key": key(target),
                "UpdateExpression": "SET balance = balance + :a",
                "ExpressionAttributeValues": {":a": {"N": str(amount)}},
            }
        },
    ]


def test_transact_write_all_four_actions_then_transact_get(accounts):
    resp = accounts.transact_write_items(
        TransactItems=transfer(30)
        + [
            {"Put": {"TableName": ACCOUNTS, "Item": {"id": {"S": "carol"}, "balance": {"N": "5"}},
                     "ConditionExpression": "attribute_not_exists(id)"}},
            {"Delete": {"TableName": ACCOUNTS, "Key": key("closed"),
                        "ConditionExpression": "balance = :zero",
                        "ExpressionAttributeValues": {":zero": {"N": "0"}}}},
        ],
        ReturnConsumedCapacity="TOTAL",
    )
    # Transactional writes cost twice: 4 actions on items under 1 KB -> 8 WCU.
    assert resp["ConsumedCapacity"] == [{"TableName": ACCOUNTS, "CapacityUnits": 8.0, "WriteCapacityUnits": 8.0}]
    assert snapshot(accounts) == [("alice", "70"), ("bob", "80"), ("carol", "5")]

    resp = accounts.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": ACCOUNTS, "Key": key("bob")}},
            {"Get": {"TableName": ACCOUNTS, "Key": key("closed")}},
            {"Get": {"TableName": ACCOUNTS, "Key": key("alice"), "ProjectionExpression": "balance"}},
        ]
    )
    # One response per Get, in request order; a missing item is an empty entry.
    assert resp["Responses"] == [
        {"Item": {"id": {"S": "bob"}, "balance": {"N": "80"}}},
        {},
        {"Item": {"balance": {"N": "70"}}},
    ]


def test_cancellation_reasons_in_order_and_nothing_changes(accounts):
    before = snapshot(accounts)
    with pytest.raises(accounts.exceptions.TransactionCanceledException) as info:
        accounts.transact_write_items(
            TransactItems=transfer(500)  # alice has 100: the first Update's condition fails
            + [
                {
                    "ConditionCheck": {
                        "TableName": ACCOUNTS,
                        "Key": key("closed"),
                        "ConditionExpression": "attribute_not_exists(id)",
                        "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                    }
                }
            ]
        )
    err = info.value.response
    assert err["Error"] == {
        "Code": "TransactionCanceledException",
        "Message": "Transaction cancelled, please refer cancellation reasons for specific reasons "
        "[ConditionalCheckFailed, None, ConditionalCheckFailed]",
    }
    # boto3 exposes the reasons at the top level of the error response, one per action.
    assert err["CancellationReasons"] == [
        {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"},
        {"Code": "None"},
        {
            "Code": "ConditionalCheckFailed",
            "Message": "The conditional request failed",
            "Item": {"id": {"S": "closed"}, "balance": {"N": "0"}},
        },
    ]
    assert snapshot(accounts) == before


def test_validation_error_cancels_with_its_reason(accounts):
    with pytest.raises(accounts.exceptions.TransactionCanceledException) as info:
        accounts.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": ACCOUNTS, "Item": {"id": {"S": "dave"}}}},
                {
                    "Update": {
                        "TableName": ACCOUNTS,
                        "Key": key("bob"),
                        # Adding a number to a string is a runtime type error.
                        "UpdateExpression": "SET balance = id + :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                },
            ]
        )
    assert info.value.response["CancellationReasons"] == [
        {"Code": "None"},
        {
            "Code": "ValidationError",
            "Message": "An operand in the update expression has an incorrect data type",
        },
    ]
    assert ("dave", None) not in snapshot(accounts)


def test_same_item_twice_is_rejected(accounts):
    error, _ = error_of(
        accounts.transact_write_items,
        TransactItems=[
            {"ConditionCheck": {"TableName": ACCOUNTS, "Key": key("bob"), "ConditionExpression": "attribute_exists(id)"}},
            {"Delete": {"TableName": ACCOUNTS, "Key": key("bob")}},
        ],
    )
    assert error == {
        "Code": "ValidationException",
        "Message": "Transaction request cannot include multiple operations on one item",
    }


def test_resource_client_takes_python_types(accounts, resource):
    # The resource's client serializes plain Python values, as the Table methods do.
    ddb = resource.meta.client
    ddb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": ACCOUNTS, "Item": {"id": "erin", "balance": Decimal("12.5"), "flags": {"vip"}}}},
            {"Update": {"TableName": ACCOUNTS, "Key": {"id": "bob"}, "UpdateExpression": "ADD balance :n",
                        "ExpressionAttributeValues": {":n": 1}}},
        ]
    )
    resp = ddb.transact_get_items(
        TransactItems=[
            {"Get": {"TableName": ACCOUNTS, "Key": {"id": "erin"}}},
            {"Get": {"TableName": ACCOUNTS, "Key": {"id": "bob"}}},
        ]
    )
    assert [r["Item"] for r in resp["Responses"]] == [
        {"id": "erin", "balance": Decimal("12.5"), "flags": {"vip"}},
        {"id": "bob", "balance": Decimal(51)},
    ]


def test_client_request_token_idempotency(accounts):
    items = transfer(10)
    accounts.transact_write_items(TransactItems=items, ClientRequestToken="token-1")
    # The same token and request again: accepted and not applied a second time.
    accounts.transact_write_items(TransactItems=items, ClientRequestToken="token-1")
    assert snapshot(accounts)[:2] == [("alice", "90"), ("bob", "60")]

    with pytest.raises(accounts.exceptions.IdempotentParameterMismatchException) as info:
        accounts.transact_write_items(TransactItems=transfer(20), ClientRequestToken="token-1")
    assert info.value.response["Error"] == {
        "Code": "IdempotentParameterMismatchException",
        "Message": "The request uses the same client token as a previous, but non-identical request.",
    }
    assert snapshot(accounts)[:2] == [("alice", "90"), ("bob", "60")]
