"""Multi-attribute GSI keys (DynamoDB, November 2025) through boto3: a GSI whose KeySchema
lists several HASH and several RANGE attributes, created with the table and by UpdateTable,
queried with boto3's `Key` conditions (which nest their ANDs in parentheses), paginated, and
refused where DynamoDB refuses it."""

import time

import pytest
from boto3.dynamodb.conditions import Attr, Key
from botocore.exceptions import ClientError

TABLE = "Matches"

# (matchId, tournamentId, region, round, game); m6 has no round, so no ByTournament entry.
MATCHES = [
    ("m1", "WINTER2024", "NA-EAST", "SEMIFINALS", 10),
    ("m2", "WINTER2024", "NA-EAST", "SEMIFINALS", 9),
    ("m3", "WINTER2024", "NA-EAST", "FINALS", 1),
    ("m4", "WINTER2024", "NA-EAST", "QUARTERFINALS", 2),
    ("m5", "WINTER2024", "EU-WEST", "FINALS", 1),
    ("m6", "WINTER2024", "NA-EAST", None, 3),
]

KEY_SCHEMA = [
    {"AttributeName": "tournamentId", "KeyType": "HASH"},
    {"AttributeName": "region", "KeyType": "HASH"},
    {"AttributeName": "round", "KeyType": "RANGE"},
    {"AttributeName": "game", "KeyType": "RANGE"},
]


def match_item(match_id, tournament, region, round_, game):
    item = {"matchId": match_id, "tournamentId": tournament, "region": region, "game": game}
    if round_ is not None:
        item["round"] = round_
    return item


@pytest.fixture
def matches(resource):
    """Matches(matchId) with ByTournament: HASH tournamentId + region, RANGE round + game (N)."""
    table = resource.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "matchId", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "matchId", "AttributeType": "S"},
            {"AttributeName": "tournamentId", "AttributeType": "S"},
            {"AttributeName": "region", "AttributeType": "S"},
            {"AttributeName": "round", "AttributeType": "S"},
            {"AttributeName": "game", "AttributeType": "N"},
        ],
        GlobalSecondaryIndexes=[
            {"IndexName": "ByTournament", "KeySchema": KEY_SCHEMA, "Projection": {"ProjectionType": "ALL"}}
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    table.wait_until_exists()
    with table.batch_writer() as batch:
        for m in MATCHES:
            batch.put_item(Item=match_item(*m))
    return table


def ids(items):
    return [i["matchId"] for i in items]


def test_describe_table_returns_the_key_schema_as_given(matches, client):
    gsi = client.describe_table(TableName=TABLE)["Table"]["GlobalSecondaryIndexes"][0]
    assert gsi["KeySchema"] == KEY_SCHEMA
    assert gsi["IndexStatus"] == "ACTIVE"
    assert gsi["ItemCount"] == 5  # m6 lacks a RANGE attribute: sparse


def test_query_with_key_conditions_in_any_order_sorts_by_the_range_tuple(matches):
    both = Key("region").eq("NA-EAST") & Key("tournamentId").eq("WINTER2024")
    got = matches.query(IndexName="ByTournament", KeyConditionExpression=both)
    # round first (FINALS < QUARTERFINALS < SEMIFINALS), then game as a number (9 < 10).
    assert ids(got["Items"]) == ["m3", "m4", "m2", "m1"]

    narrowed = Key("round").eq("SEMIFINALS") & both & Key("game").gt(9)
    got = matches.query(IndexName="ByTournament", KeyConditionExpression=narrowed)
    assert ids(got["Items"]) == ["m1"]

    prefix = both & Key("round").begins_with("S")
    got = matches.query(IndexName="ByTournament", KeyConditionExpression=prefix, ScanIndexForward=False)
    assert ids(got["Items"]) == ["m1", "m2"]


def test_query_pages_carry_every_key_attribute(matches, client):
    paginator = client.get_paginator("query")
    pages = list(
        paginator.paginate(
            TableName=TABLE,
            IndexName="ByTournament",
            KeyConditionExpression="tournamentId = :t AND #r = :r",
            ExpressionAttributeNames={"#r": "region"},
            ExpressionAttributeValues={":t": {"S": "WINTER2024"}, ":r": {"S": "NA-EAST"}},
            Limit=3,
        )
    )
    assert set(pages[0]["LastEvaluatedKey"]) == {"matchId", "tournamentId", "region", "round", "game"}
    assert [i["matchId"]["S"] for p in pages for i in p["Items"]] == ["m3", "m4", "m2", "m1"]


def test_query_refusals_name_the_rule(matches, client):
    def query(kce, values, **extra):
        names = {"ExpressionAttributeNames": {"#r": "region"}} if "#r" in kce else {}
        return client.query(
            TableName=TABLE,
            IndexName="ByTournament",
            KeyConditionExpression=kce,
            ExpressionAttributeValues=values,
            **names,
            **extra,
        )

    both = {":t": {"S": "WINTER2024"}, ":r": {"S": "NA-EAST"}}
    with pytest.raises(ClientError) as e:
        query("tournamentId = :t AND #r = :r AND game = :g", {**both, ":g": {"N": "1"}})
    assert e.value.response["Error"]["Message"] == (
        "RANGE key attributes round must have equality conditions specified in the query "
        "because a condition is present on key attribute game"
    )
    with pytest.raises(ClientError) as e:
        query("tournamentId = :t", {":t": {"S": "WINTER2024"}})
    assert e.value.response["Error"]["Message"] == "Query condition missed key schema element: region"
    with pytest.raises(ClientError) as e:
        query("tournamentId = :t AND #r = :r", {**both, ":g": {"N": "1"}}, FilterExpression="game > :g")
    assert "Primary key attribute: game" in e.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as e:
        query("tournamentId = :t AND #r = :r", both, ConsistentRead=True)
    assert e.value.response["Error"]["Message"] == "Consistent reads are not supported on global secondary indexes"


def test_writes_check_every_component_and_move_items_in_and_out(matches):
    with pytest.raises(ClientError) as e:
        matches.put_item(Item={**match_item("m7", "WINTER2024", "NA-EAST", "FINALS", 1), "game": "one"})
    assert e.value.response["Error"]["Message"] == (
        "One or more parameter values were invalid: Type mismatch for Index Key game "
        "Expected: N Actual: S IndexName: ByTournament"
    )
    both = Key("tournamentId").eq("WINTER2024") & Key("region").eq("NA-EAST")
    matches.update_item(Key={"matchId": "m1"}, UpdateExpression="REMOVE #r", ExpressionAttributeNames={"#r": "round"})
    matches.update_item(
        Key={"matchId": "m6"},
        UpdateExpression="SET #r = :r",
        ExpressionAttributeNames={"#r": "round"},
        ExpressionAttributeValues={":r": "ELIMINATION"},
    )
    got = matches.query(IndexName="ByTournament", KeyConditionExpression=both)
    assert ids(got["Items"]) == ["m6", "m3", "m4", "m2"]
    got = matches.scan(IndexName="ByTournament", FilterExpression=Attr("matchId").eq("m1"))
    assert got["Items"] == []


def test_partiql_reads_the_table_but_not_the_index(matches, client):
    with pytest.raises(ClientError) as e:
        client.execute_statement(
            Statement="SELECT * FROM \"Matches\".\"ByTournament\" WHERE tournamentId = 'WINTER2024'"
        )
    assert e.value.response["Error"]["Message"] == (
        "PartiQL statements cannot be executed on tables with multi-attribute HASH keys "
        "or multi-attribute RANGE keys."
    )
    got = client.execute_statement(Statement="SELECT matchId FROM \"Matches\" WHERE matchId = 'm5'")
    assert got["Items"] == [{"matchId": {"S": "m5"}}]


def test_create_table_refuses_malformed_multi_attribute_keys(resource):
    def create(gsi_keys):
        names = {k["AttributeName"] for k in gsi_keys} | {"pk"}
        resource.create_table(
            TableName="Bad",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in sorted(names)],
            GlobalSecondaryIndexes=[
                {"IndexName": "gsi", "KeySchema": gsi_keys, "Projection": {"ProjectionType": "ALL"}}
            ],
            BillingMode="PAY_PER_REQUEST",
        )

    prefix = "One or more parameter values were invalid: "
    for keys, message in [
        ([{"AttributeName": f"h{i}", "KeyType": "HASH"} for i in range(5)],
         "The KeySchema exceeds the maximum allowed number of HASH key attributes"),
        ([{"AttributeName": "h", "KeyType": "HASH"}] + [{"AttributeName": f"r{i}", "KeyType": "RANGE"} for i in range(5)],
         "The KeySchema exceeds the maximum allowed number of RANGE key attributes"),
        ([{"AttributeName": "a", "KeyType": "HASH"}, {"AttributeName": "b", "KeyType": "RANGE"},
          {"AttributeName": "c", "KeyType": "HASH"}],
         "All HASH key attributes must precede RANGE key attributes in the KeySchema"),
    ]:
        with pytest.raises(ClientError) as e:
            create(keys)
        assert e.value.response["Error"]["Message"] == prefix + message


def test_update_table_creates_a_multi_attribute_gsi_that_backfills(matches, client):
    client.update_table(
        TableName=TABLE,
        AttributeDefinitions=[
            {"AttributeName": "round", "AttributeType": "S"},
            {"AttributeName": "region", "AttributeType": "S"},
            {"AttributeName": "game", "AttributeType": "N"},
        ],
        GlobalSecondaryIndexUpdates=[
            {
                "Create": {
                    "IndexName": "ByRound",
                    "KeySchema": [
                        {"AttributeName": "round", "KeyType": "HASH"},
                        {"AttributeName": "region", "KeyType": "RANGE"},
                        {"AttributeName": "game", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "KEYS_ONLY"},
                }
            }
        ],
    )
    deadline = time.monotonic() + 20
    while True:
        gsis = client.describe_table(TableName=TABLE)["Table"]["GlobalSecondaryIndexes"]
        if {g["IndexName"]: g for g in gsis}["ByRound"]["IndexStatus"] == "ACTIVE":
            break
        assert time.monotonic() < deadline, "ByRound never became ACTIVE"
        time.sleep(0.25)
    got = client.query(
        TableName=TABLE,
        IndexName="ByRound",
        KeyConditionExpression="#round = :f",
        ExpressionAttributeNames={"#round": "round"},
        ExpressionAttributeValues={":f": {"S": "FINALS"}},
    )
    # EU-WEST before NA-EAST: the items written before the index existed, in key order.
    assert [i["matchId"]["S"] for i in got["Items"]] == ["m5", "m3"]
