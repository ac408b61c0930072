"""The seed programs from shared/seeds, run as written against dynaplay-server."""

from decimal import Decimal


def test_seed_002_low_level_client_create_put_get(run_seed):
    out = run_seed("seed_002_low_level_client.py")
    # The program prints the item dict; compare it as a value (attribute order is not part of
    # DynamoDB's contract, the attributes and their typed values are).
    printed = eval(out.strip(), {"__builtins__": {}})  # noqa: S307 - our own seed's output
    assert printed == {"UserID": {"S": "123"}, "Name": {"S": "Alice"}, "Age": {"N": "30"}}


def test_seed_000_resource_put_get(run_seed, client):
    client.create_table(
        TableName="Users",
        KeySchema=[{"AttributeName": "UserId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "UserId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    out = run_seed("seed_000_resource.py")
    prefix = "Fetched User: "
    assert out.startswith(prefix), out
    # The resource API turns numbers into Decimal: the printed dict contains Decimal('29').
    printed = eval(out[len(prefix):].strip(), {"__builtins__": {}, "Decimal": Decimal})  # noqa: S307
    assert printed == {
        "UserId": "U1001",
        "Name": "Alice",
        "Email": "alice@example.com",
        "Age": Decimal("29"),
    }
    assert isinstance(printed["Age"], Decimal)
