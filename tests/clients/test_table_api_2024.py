"""The 2024–2026 table API through boto3 and the AWS CLI: deletion protection, resource-based
policies (tables and streams), a table ARN wherever a table name is taken, point-in-time
recovery's period and Contributor Insights' mode."""

import json

from test_aws_cli import aws  # noqa: F401 (the fixture)
from test_errors import error_of

TABLE = "Ledger"
ARN = f"arn:aws:dynamodb:us-east-1:000000000000:table/{TABLE}"
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                "Action": ["dynamodb:GetItem"],
                "Resource": ARN,
            }
        ],
    }
)


def create_ledger(client, **extra):
    return client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        **extra,
    )["TableDescription"]


def test_deletion_protection(client):
    assert create_ledger(client, DeletionProtectionEnabled=True)["DeletionProtectionEnabled"] is True
    error, meta = error_of(client.delete_table, TableName=TABLE)
    assert error == {
        "Code": "ValidationException",
        "Message": "Resource cannot be deleted as it is currently protected against deletion. "
        "Disable deletion protection first.",
    }
    assert meta["HTTPStatusCode"] == 400
    # The table is still there; switching protection off lets the delete through.
    client.update_table(TableName=TABLE, DeletionProtectionEnabled=False)
    assert client.describe_table(TableName=TABLE)["Table"]["DeletionProtectionEnabled"] is False
    assert client.delete_table(TableName=TABLE)["TableDescription"]["TableStatus"] == "DELETING"


def test_resource_policy_revisions(client):
    create_ledger(client)
    error, _ = error_of(client.get_resource_policy, ResourceArn=ARN)
    assert error == {
        "Code": "PolicyNotFoundException",
        "Message": f"Resource-based policy not found for the provided ResourceArn: {ARN}",
    }
    first = client.put_resource_policy(ResourceArn=ARN, Policy=POLICY, ExpectedRevisionId="NO_POLICY")["RevisionId"]
    got = client.get_resource_policy(ResourceArn=ARN)
    assert (got["Policy"], got["RevisionId"]) == (POLICY, first)
    # The same document again is no change.
    assert client.put_resource_policy(ResourceArn=ARN, Policy=POLICY)["RevisionId"] == first

    changed = POLICY.replace("GetItem", "Query")
    second = client.put_resource_policy(ResourceArn=ARN, Policy=changed, ExpectedRevisionId=first)["RevisionId"]
    assert int(second) > int(first)
    error, _ = error_of(client.put_resource_policy, ResourceArn=ARN, Policy=POLICY, ExpectedRevisionId=first)
    assert error == {
        "Code": "PolicyNotFoundException",
        "Message": "Resource-based policy not found for the provided ResourceArn: Requested update for policy "
        f"with revision id {first}, but the policy associated to target table {TABLE} has revision id {second}.",
    }
    # boto3 raises the modelled exception class too.
    try:
        client.put_resource_policy(ResourceArn=ARN, Policy=POLICY, ExpectedRevisionId="NO_POLICY")
        raise AssertionError("a NO_POLICY put over a policy succeeded")
    except client.exceptions.PolicyNotFoundException:
        pass

    assert client.delete_resource_policy(ResourceArn=ARN, ExpectedRevisionId=second)["RevisionId"] == second
    # Deleting again is idempotent, with nothing to name.
    assert "RevisionId" not in client.delete_resource_policy(ResourceArn=ARN)


def test_resource_policy_with_the_table_and_on_its_stream(client):
    table = create_ledger(
        client,
        ResourcePolicy=POLICY,
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    )
    assert client.get_resource_policy(ResourceArn=ARN)["Policy"] == POLICY
    stream = table["LatestStreamArn"]
    revision = client.put_resource_policy(ResourceArn=stream, Policy="{}")["RevisionId"]
    assert client.get_resource_policy(ResourceArn=stream) | {"ResponseMetadata": None} == {
        "Policy": "{}",
        "RevisionId": revision,
        "ResponseMetadata": None,
    }
    error, _ = error_of(client.get_resource_policy, ResourceArn=ARN + "_")
    assert error == {
        "Code": "ResourceNotFoundException",
        "Message": f"Requested resource not found: Table: {TABLE}_ not found",
    }


def test_recovery_period_and_insights_mode(client):
    create_ledger(client)
    resp = client.update_continuous_backups(
        TableName=TABLE,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 7},
    )
    assert resp["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == 7
    described = client.describe_continuous_backups(TableName=TABLE)["ContinuousBackupsDescription"]
    assert described["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == 7
    error, _ = error_of(
        client.update_continuous_backups,
        TableName=TABLE,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 36},
    )
    assert error["Message"] == (
        "1 validation error detected: Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' "
        "failed to satisfy constraint: Member must have value less than or equal to 35"
    )

    resp = client.update_contributor_insights(
        TableName=TABLE, ContributorInsightsAction="ENABLE", ContributorInsightsMode="THROTTLED_KEYS"
    )
    assert resp["ContributorInsightsMode"] == "THROTTLED_KEYS"
    assert client.describe_contributor_insights(TableName=TABLE)["ContributorInsightsMode"] == "THROTTLED_KEYS"
    summaries = client.list_contributor_insights(TableName=TABLE)["ContributorInsightsSummaries"]
    assert [s["ContributorInsightsMode"] for s in summaries] == ["THROTTLED_KEYS"]


def test_resource_policy_through_the_cli(aws):  # noqa: F811 (the fixture)
    aws(
        "create-table",
        "--table-name", TABLE,
        "--key-schema", "AttributeName=id,KeyType=HASH",
        "--attribute-definitions", "AttributeName=id,AttributeType=S",
        "--billing-mode", "PAY_PER_REQUEST",
        "--deletion-protection-enabled",
    )
    revision = aws("put-resource-policy", "--resource-arn", ARN, "--policy", POLICY)["RevisionId"]
    assert aws("get-resource-policy", "--resource-arn", ARN) == {"Policy": POLICY, "RevisionId": revision}
    assert aws("delete-resource-policy", "--resource-arn", ARN) == {"RevisionId": revision}
    done = aws.run("get-resource-policy", "--resource-arn", ARN)
    assert done.returncode != 0
    assert "PolicyNotFoundException" in done.stderr
    done = aws.run("delete-table", "--table-name", TABLE)
    assert "protected against deletion" in done.stderr
    assert aws("update-table", "--table-name", TABLE, "--no-deletion-protection-enabled")["TableDescription"][
        "DeletionProtectionEnabled"
    ] is False


def test_a_table_arn_wherever_a_table_name_is_taken(client, resource):
    create_ledger(client)
    item = {"id": {"S": "a"}, "amount": {"N": "5"}}
    put = client.put_item(TableName=ARN, Item=item, ReturnConsumedCapacity="TOTAL")
    # DynamoDB echoes the ARN where the caller wrote one.
    assert put["ConsumedCapacity"] == {"TableName": ARN, "CapacityUnits": 1.0}
    assert client.get_item(TableName=ARN, Key={"id": {"S": "a"}})["Item"] == item
    assert client.query(
        TableName=ARN, KeyConditionExpression="id = :a", ExpressionAttributeValues={":a": {"S": "a"}}
    )["Count"] == 1
    got = client.batch_get_item(RequestItems={ARN: {"Keys": [{"id": {"S": "a"}}]}}, ReturnConsumedCapacity="TOTAL")
    assert got["Responses"] == {ARN: [item]}
    assert got["ConsumedCapacity"] == [{"TableName": ARN, "CapacityUnits": 0.5}]
    client.transact_write_items(
        TransactItems=[{"Update": {"TableName": ARN, "Key": {"id": {"S": "a"}}, "UpdateExpression": "SET amount = :n",
                                   "ExpressionAttributeValues": {":n": {"N": "6"}}}}]
    )
    assert client.describe_table(TableName=ARN)["Table"]["TableName"] == TABLE
    # boto3's resource API loads a table named by its ARN.
    table = resource.Table(ARN)
    assert table.item_count == 1
    assert table.get_item(Key={"id": "a"})["Item"] == {"id": "a", "amount": 6}

    other_account = ARN.replace("000000000000", "111122223333")
    error, _ = error_of(client.get_item, TableName=other_account, Key={"id": {"S": "a"}})
    assert error == {
        "Code": "AccessDeniedException",
        "Message": "User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:GetItem "
        f"on resource: {other_account} because no resource-based policy allows the dynamodb:GetItem action",
    }


def test_four_switches_to_on_demand_a_day(client, endpoint):
    from test_explain import playground

    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
    )

    def settle():
        # Each switch keeps the table UPDATING for a second of engine time.
        assert playground(endpoint, "PlaygroundAdvanceTime", {"Milliseconds": 1000})[0] == 200

    for _ in range(4):
        client.update_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST")
        settle()
        client.update_table(
            TableName=TABLE,
            BillingMode="PROVISIONED",
            ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        )
        settle()
    error, _ = error_of(client.update_table, TableName=TABLE, BillingMode="PAY_PER_REQUEST")
    assert error["Code"] == "LimitExceededException"
    assert error["Message"].startswith(
        "Subscriber limit exceeded: Update to PayPerRequest mode are limited to 4 times in 1 day(s). Last update at "
    )
    assert client.describe_table(TableName=TABLE)["Table"]["BillingModeSummary"]["BillingMode"] == "PROVISIONED"


def test_on_demand_and_warm_throughput(client):
    created = create_ledger(
        client,
        OnDemandThroughput={"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50},
        WarmThroughput={"ReadUnitsPerSecond": 15000, "WriteUnitsPerSecond": 5000},
    )
    assert created["OnDemandThroughput"] == {"MaxReadRequestUnits": 100, "MaxWriteRequestUnits": 50}
    assert created["WarmThroughput"] == {"ReadUnitsPerSecond": 15000, "WriteUnitsPerSecond": 5000, "Status": "UPDATING"}
    # -1 removes a maximum: the answer shows the merge as asked for, DescribeTable what remains.
    updated = client.update_table(TableName=TABLE, OnDemandThroughput={"MaxReadRequestUnits": -1})["TableDescription"]
    assert updated["OnDemandThroughput"] == {"MaxReadRequestUnits": -1, "MaxWriteRequestUnits": 50}
    table = client.describe_table(TableName=TABLE)["Table"]
    assert table["OnDemandThroughput"] == {"MaxWriteRequestUnits": 50}
    assert table["WarmThroughput"]["ReadUnitsPerSecond"] == 15000

    error, _ = error_of(
        client.create_table,
        TableName="Provisioned",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        OnDemandThroughput={"MaxWriteRequestUnits": 10},
    )
    assert error == {
        "Code": "ValidationException",
        "Message": "One or more parameter values were invalid: MaxWriteRequestUnits for OnDemandThroughput "
        "cannot be specified when table BillingMode is PROVISIONED.",
    }


def test_on_demand_and_warm_throughput_through_the_cli(aws):  # noqa: F811 (the fixture)
    created = aws(
        "create-table",
        "--table-name", TABLE,
        "--key-schema", "AttributeName=id,KeyType=HASH",
        "--attribute-definitions", "AttributeName=id,AttributeType=S",
        "--billing-mode", "PAY_PER_REQUEST",
        "--on-demand-throughput", "MaxReadRequestUnits=10",
        "--warm-throughput", "ReadUnitsPerSecond=13000,WriteUnitsPerSecond=4500",
    )["TableDescription"]
    assert created["OnDemandThroughput"] == {"MaxReadRequestUnits": 10}
    assert created["WarmThroughput"] == {"ReadUnitsPerSecond": 13000, "WriteUnitsPerSecond": 4500, "Status": "UPDATING"}
