"""Table metadata through boto3: TTL settings, tags on the table ARN, continuous backups,
DescribeLimits and DescribeEndpoints."""


import pytest

from test_errors import error_of

TABLE = "Sessions"
ARN = f"arn:aws:dynamodb:us-east-1:000000000000:table/{TABLE}"


@pytest.fixture
def sessions(client):
    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "sid", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "sid", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        Tags=[{"Key": "team", "Value": "web"}],
    )
    return client


def test_time_to_live_settings(sessions):
    assert sessions.describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "DISABLED"
    }
    resp = sessions.update_time_to_live(
        TableName=TABLE, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"}
    )
    assert resp["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "expires_at"}
    # As DynamoDB reports it: ENABLED as soon as the update has returned, no ENABLING to wait out.
    assert sessions.describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": "expires_at",
    }

    error, _ = error_of(
        sessions.update_time_to_live,
        TableName=TABLE,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"},
    )
    assert error == {"Code": "ValidationException", "Message": "TimeToLive is already enabled"}
    sessions.update_time_to_live(
        TableName=TABLE, TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires_at"}
    )
    assert sessions.describe_time_to_live(TableName=TABLE)["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "DISABLED"
    }


def test_tags(sessions):
    assert sessions.list_tags_of_resource(ResourceArn=ARN)["Tags"] == [{"Key": "team", "Value": "web"}]
    sessions.tag_resource(
        ResourceArn=ARN, Tags=[{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "data"}]
    )
    tags = sessions.list_tags_of_resource(ResourceArn=ARN)["Tags"]
    assert sorted(tags, key=lambda t: t["Key"]) == [
        {"Key": "env", "Value": "dev"},
        {"Key": "team", "Value": "data"},
    ]
    sessions.untag_resource(ResourceArn=ARN, TagKeys=["team", "absent"])
    assert sessions.list_tags_of_resource(ResourceArn=ARN)["Tags"] == [{"Key": "env", "Value": "dev"}]

    # A table that does not exist is an authorization failure on its ARN, as in DynamoDB.
    missing = "arn:aws:dynamodb:us-east-1:000000000000:table/Nope"
    error, _ = error_of(sessions.list_tags_of_resource, ResourceArn=missing)
    assert error == {
        "Code": "AccessDeniedException",
        "Message": "User: arn:aws:iam::000000000000:root is not authorized to perform: "
        f"dynamodb:ListTagsOfResource on resource: {missing}",
    }


def test_continuous_backups_limits_and_endpoints(sessions):
    desc = sessions.describe_continuous_backups(TableName=TABLE)["ContinuousBackupsDescription"]
    assert desc == {
        "ContinuousBackupsStatus": "ENABLED",
        "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"},
    }
    limits = sessions.describe_limits()
    del limits["ResponseMetadata"]
    assert limits == {
        "AccountMaxReadCapacityUnits": 80000,
        "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000,
        "TableMaxWriteCapacityUnits": 40000,
    }
    endpoints = sessions.describe_endpoints()["Endpoints"]
    assert len(endpoints) == 1
    assert endpoints[0]["CachePeriodInMinutes"] == 1440
