"""Backups and point-in-time recovery over HTTP with boto3: on-demand backups listed, described,
restored and deleted; a table restored to the second before a bad delete. Engine time is paused
and stepped (Dynaplay.PlaygroundAdvanceTime), so nothing depends on how fast this machine runs."""

import datetime

import pytest

from test_explain import playground

TABLE = "Orders"


def advance(endpoint, ms):
    status, body = playground(endpoint, "PlaygroundAdvanceTime", {"Milliseconds": ms})
    assert status == 200, body


@pytest.fixture
def orders(endpoint, client):
    status, body = playground(endpoint, "PlaygroundUpdateTime", {"Paused": True})
    assert status == 200, body
    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        Tags=[{"Key": "team", "Value": "shop"}],
    )
    for pk in ("a", "b"):
        client.put_item(TableName=TABLE, Item={"pk": {"S": pk}})
    return client


def keys(client, table):
    return sorted(i["pk"]["S"] for i in client.scan(TableName=table)["Items"])


def test_on_demand_backup_lifecycle(endpoint, orders):
    client = orders
    details = client.create_backup(TableName=TABLE, BackupName="nightly")["BackupDetails"]
    assert details["BackupStatus"] == "CREATING"
    assert isinstance(details["BackupCreationDateTime"], datetime.datetime)
    arn = details["BackupArn"]
    client.put_item(TableName=TABLE, Item={"pk": {"S": "after"}})
    summaries = client.list_backups(TableName=TABLE)["BackupSummaries"]
    assert [(s["BackupArn"], s["BackupStatus"]) for s in summaries] == [(arn, "AVAILABLE")]
    described = client.describe_backup(BackupArn=arn)["BackupDescription"]
    assert described["SourceTableDetails"]["ItemCount"] == 2
    paginator = client.get_paginator("list_backups")
    assert [s["BackupName"] for page in paginator.paginate() for s in page["BackupSummaries"]] == ["nightly"]

    restored = client.restore_table_from_backup(TargetTableName="Copy", BackupArn=arn)["TableDescription"]
    assert restored["TableStatus"] == "CREATING"
    assert restored["RestoreSummary"]["RestoreInProgress"] is True
    assert keys(client, "Copy") == ["a", "b"]
    copy_arn = restored["TableArn"]
    assert client.list_tags_of_resource(ResourceArn=copy_arn)["Tags"] == []
    advance(endpoint, 10_000)
    assert client.describe_table(TableName="Copy")["Table"]["TableStatus"] == "ACTIVE"
    with pytest.raises(client.exceptions.TableAlreadyExistsException):
        client.restore_table_from_backup(TargetTableName="Copy", BackupArn=arn)

    deleted = client.delete_backup(BackupArn=arn)["BackupDescription"]
    assert deleted["BackupDetails"]["BackupStatus"] == "DELETED"
    with pytest.raises(client.exceptions.BackupNotFoundException) as raised:
        client.describe_backup(BackupArn=arn)
    assert raised.value.response["Error"]["Message"] == f"Backup not found: {arn}"
    with pytest.raises(client.exceptions.TableNotFoundException):
        client.create_backup(TableName="Nope", BackupName="nightly")


def test_restore_to_the_second_before_a_bad_delete(endpoint, orders):
    client = orders
    with pytest.raises(client.exceptions.PointInTimeRecoveryUnavailableException):
        client.restore_table_to_point_in_time(
            SourceTableName=TABLE, TargetTableName="Back", UseLatestRestorableTime=True
        )
    client.update_continuous_backups(
        TableName=TABLE,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 7},
    )
    advance(endpoint, 5_000)
    client.delete_item(TableName=TABLE, Key={"pk": {"S": "a"}})
    advance(endpoint, 5_000)
    window = client.describe_continuous_backups(TableName=TABLE)["ContinuousBackupsDescription"]
    pitr = window["PointInTimeRecoveryDescription"]
    assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"
    assert (pitr["LatestRestorableDateTime"] - pitr["EarliestRestorableDateTime"]).total_seconds() == 10
    before = pitr["EarliestRestorableDateTime"] + datetime.timedelta(seconds=4)
    client.restore_table_to_point_in_time(SourceTableName=TABLE, TargetTableName="Back", RestoreDateTime=before)
    assert keys(client, "Back") == ["a", "b"]
    assert keys(client, TABLE) == ["b"]
    with pytest.raises(client.exceptions.InvalidRestoreTimeException):
        client.restore_table_to_point_in_time(
            SourceTableName=TABLE,
            TargetTableName="TooEarly",
            RestoreDateTime=pitr["EarliestRestorableDateTime"] - datetime.timedelta(seconds=1),
        )
