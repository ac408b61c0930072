""""Why?" and the capacity calculator over HTTP: the x-amzn-RequestId boto3 reports names the
request's cost trace, which Dynaplay.PlaygroundExplainRequest explains with the figures the
engine used; Dynaplay.PlaygroundEstimateCapacity gives seed 004's figures."""

import datetime
import json
import urllib.request

TABLE = "Orders"

# The server checks only the shape of a SigV4 signature (see README, Authentication).
AUTH = (
    "AWS4-HMAC-SHA256 Credential=AKIDDYNAPLAYTEST/20260101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=host;x-amz-date;x-amz-target, Signature=" + "0" * 64
)


def playground(endpoint, operation, body):
    """Calls a Playground operation (X-Amz-Target: Dynaplay.<operation>); returns (status, JSON)."""
    request = urllib.request.Request(
        endpoint + "/",
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "Dynaplay." + operation,
            # Now: a date more than 15 minutes off is refused, as DynamoDB does.
            "X-Amz-Date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
            "Authorization": AUTH,
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_a_put_is_explained_by_its_request_id(client, endpoint):
    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    )
    resp = client.put_item(
        TableName=TABLE,
        Item={"pk": {"S": "o1"}, "blob": {"S": "x" * 1500}},
        ReturnConsumedCapacity="TOTAL",
    )
    assert resp["ConsumedCapacity"]["CapacityUnits"] == 2.0
    request_id = resp["ResponseMetadata"]["RequestId"]
    status, why = playground(endpoint, "PlaygroundExplainRequest", {"RequestId": request_id})
    assert status == 200, why
    assert why["RequestId"] == request_id
    assert why["Operation"] == "PutItem"
    assert why["WriteCapacityUnits"] == 2.0
    rules = {e["Rule"]: e for e in why["Explanations"]}
    # pk (2 + 2) + blob (4 + 1,500) = 1,508 B → ⌈1,508 / 1,024⌉ = 2 WCU.
    assert "Writes are counted in 1 KB (1,024 B) units, rounded up: ⌈1,508 / 1,024⌉ = 2 WCU." in rules["WriteUnits"]["Steps"]
    assert rules["Admission"]["Summary"].startswith("Served: partition 1 of 1 of Orders")

    # The table's partition count, with its rule.
    status, table = playground(endpoint, "PlaygroundExplainTable", {"TableName": TABLE})
    assert status == 200, table
    assert table["Table"]["Summary"] == "1 partition: the larger of ⌈RCU/3,000 + WCU/1,000⌉ = 1 and ⌈size/10 GB⌉ = 1."

    # An id nobody sent is a clear error.
    status, err = playground(endpoint, "PlaygroundExplainRequest", {"RequestId": "NOPE"})
    assert status == 400
    assert err["__type"].endswith("#ResourceNotFoundException")


def test_the_calculator_gives_seed_004s_figures(endpoint):
    status, estimate = playground(
        endpoint,
        "PlaygroundEstimateCapacity",
        {"ItemSizeBytes": 1000, "ReadsPerSecond": 100, "WritesPerSecond": 50, "ConsistentReads": True},
    )
    assert status == 200, estimate
    assert estimate["PerItem"]["Summary"] == "Capacity per Item: 1 RCU, 1 WCU"
    assert estimate["Provisioned"]["Summary"] == "$9.36 reads + $23.40 writes"
    assert estimate["OnDemand"]["Summary"] == "$32.40 reads + $81.00 writes"
    assert estimate["PriceTable"]["Region"] == "us-east-1"
