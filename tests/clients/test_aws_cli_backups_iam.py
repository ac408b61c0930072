"""The AWS CLI against dynaplay-server for issue 18's DynamoDB commands: point-in-time recovery
and a restore to the second before a delete, on-demand backups, an export, and a request signed
with an identity's key refused with IAM's words. Engine time is paused and stepped
(Dynaplay.PlaygroundAdvanceTime), so nothing depends on how fast this machine runs."""

import json

from test_aws_cli import AWS, Cli, aws, create_movies, j, movie  # noqa: F401 (the fixture)
from test_explain import playground

ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/Movies"


def control(endpoint, operation, body):
    status, answer = playground(endpoint, operation, body)
    assert status == 200, answer
    return answer


def test_point_in_time_recovery_backups_and_an_export(aws, endpoint):  # noqa: F811
    control(endpoint, "PlaygroundUpdateTime", {"Paused": True})
    create_movies(aws)
    for year, title in ((2013, "Rush"), (2014, "Interstellar")):
        aws("put-item", "--table-name", "Movies", "--item", j(movie(year, title, "8")))
    pitr = aws(
        "update-continuous-backups",
        "--table-name", "Movies",
        "--point-in-time-recovery-specification", "PointInTimeRecoveryEnabled=true,RecoveryPeriodInDays=7",
    )["ContinuousBackupsDescription"]
    assert pitr["ContinuousBackupsStatus"] == "ENABLED"
    assert pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    assert pitr["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == 7

    control(endpoint, "PlaygroundAdvanceTime", {"Milliseconds": 60_000})
    before_delete_ms = control(endpoint, "PlaygroundDescribeTime", {})["Now"]
    control(endpoint, "PlaygroundAdvanceTime", {"Milliseconds": 1_000})
    aws("delete-item", "--table-name", "Movies", "--key", j({"year": {"N": "2013"}, "title": {"S": "Rush"}}))
    control(endpoint, "PlaygroundAdvanceTime", {"Milliseconds": 60_000})

    # The CLI takes a timestamp as epoch seconds.
    restored = aws(
        "restore-table-to-point-in-time",
        "--source-table-name", "Movies",
        "--target-table-name", "MoviesBefore",
        "--restore-date-time", str(before_delete_ms / 1000),
    )["TableDescription"]
    assert restored["TableName"] == "MoviesBefore"
    assert restored["RestoreSummary"]["SourceTableArn"] == ARN
    titles = sorted(i["title"]["S"] for i in aws("scan", "--table-name", "MoviesBefore")["Items"])
    assert titles == ["Interstellar", "Rush"]
    assert [i["title"]["S"] for i in aws("scan", "--table-name", "Movies")["Items"]] == ["Interstellar"]
    # A time after the window's end is refused in DynamoDB's words.
    late = aws.run(
        "restore-table-to-point-in-time",
        "--source-table-name", "Movies",
        "--target-table-name", "TooLate",
        "--restore-date-time", str(before_delete_ms / 1000 + 86_400),
    )
    assert late.returncode != 0 and "InvalidRestoreTimeException" in late.stderr, late.stderr

    arn = aws("create-backup", "--table-name", "Movies", "--backup-name", "nightly")["BackupDetails"]["BackupArn"]
    listed = aws("list-backups", "--table-name", "Movies")["BackupSummaries"]
    assert [(s["BackupArn"], s["BackupName"]) for s in listed] == [(arn, "nightly")]
    aws("restore-table-from-backup", "--target-table-name", "FromBackup", "--backup-arn", arn)
    assert aws("describe-table", "--table-name", "FromBackup")["Table"]["ItemCount"] == 1

    export = aws("export-table-to-point-in-time", "--table-arn", ARN, "--s3-bucket", "exports")["ExportDescription"]
    assert export["ExportStatus"] == "IN_PROGRESS"
    assert export["ExportFormat"] == "DYNAMODB_JSON"
    control(endpoint, "PlaygroundAdvanceTime", {"Milliseconds": 10_000})
    done = aws("describe-export", "--export-arn", export["ExportArn"])["ExportDescription"]
    assert done["ExportStatus"] == "COMPLETED"
    assert done["ItemCount"] == 1


def test_a_request_signed_with_an_identity_key_is_refused_in_iams_words(aws, endpoint):  # noqa: F811
    create_movies(aws)
    aws("put-item", "--table-name", "Movies", "--item", j(movie(2013, "Rush", "8")))
    policy = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Action": "dynamodb:GetItem",
            "Resource": ARN,
            "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["2014"]}},
        }],
    }
    control(endpoint, "PlaygroundPutIdentity", {
        "IdentityName": "critic",
        "AccessKeys": [{"AccessKeyId": "AKIACRITIC0000000000", "SecretAccessKey": "critic-secret"}],
        "Policies": [{"PolicyName": "only-2014", "PolicyDocument": json.dumps(policy)}],
    })
    critic = Cli(endpoint)
    critic.env.update(AWS_ACCESS_KEY_ID="AKIACRITIC0000000000", AWS_SECRET_ACCESS_KEY="critic-secret")
    denied = critic.run("get-item", "--table-name", "Movies", "--key", j({"year": {"N": "2013"}, "title": {"S": "Rush"}}))
    assert denied.returncode != 0
    assert "AccessDeniedException" in denied.stderr, denied.stderr
    assert (
        "User: arn:aws:iam::000000000000:user/critic is not authorized to perform: dynamodb:GetItem "
        f"on resource: {ARN} because no identity-based policy allows the dynamodb:GetItem action"
    ) in denied.stderr.replace("\n", " "), denied.stderr
    # The same key may read what its policy allows; a wrong secret is refused before any policy.
    allowed = critic("get-item", "--table-name", "Movies", "--key", j({"year": {"N": "2014"}, "title": {"S": "x"}}))
    assert "Item" not in allowed
    critic.env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
    forged = critic.run("get-item", "--table-name", "Movies", "--key", j({"year": {"N": "2014"}, "title": {"S": "x"}}))
    assert forged.returncode != 0 and "InvalidSignatureException" in forged.stderr, forged.stderr
