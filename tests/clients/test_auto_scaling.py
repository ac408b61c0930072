"""Auto scaling against the server: boto3's `application-autoscaling` client and
`aws application-autoscaling` (JSON 1.1, X-Amz-Target AnyScaleFrontendService.<Op>) register
a table's capacity, put a target tracking policy, and read the scaling activities a workload
causes on engine time (moved with Dynaplay.PlaygroundAdvanceTime)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from conftest import DUMMY_CREDENTIALS, REGION
from test_explain import playground

AWS = Path(sys.executable).parent / "aws"


@pytest.fixture
def scaling(endpoint):
    return boto3.client(
        "application-autoscaling",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def create_table(client, name, wcu):
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": wcu},
    )


def test_target_tracking_through_boto3(client, scaling, endpoint):
    create_table(client, "Orders", 5)
    with pytest.raises(scaling.exceptions.ObjectNotFoundException) as e:
        scaling.put_scaling_policy(
            PolicyName="w", ServiceNamespace="dynamodb", ResourceId="table/Orders",
            ScalableDimension="dynamodb:table:WriteCapacityUnits", PolicyType="TargetTrackingScaling",
            TargetTrackingScalingPolicyConfiguration={"TargetValue": 70.0},
        )
    assert e.value.response["Error"]["Message"] == (
        "No scalable target registered for service namespace: dynamodb, resource ID: table/Orders, "
        "scalable dimension: dynamodb:table:WriteCapacityUnits"
    )
    with pytest.raises(scaling.exceptions.ValidationException) as e:
        scaling.register_scalable_target(
            ServiceNamespace="dynamodb", ResourceId="Orders",
            ScalableDimension="dynamodb:table:WriteCapacityUnits", MinCapacity=5, MaxCapacity=100,
        )
    assert e.value.response["Error"]["Message"] == "Unsupported service namespace, resource type or scalable dimension"

    arn = scaling.register_scalable_target(
        ServiceNamespace="dynamodb", ResourceId="table/Orders",
        ScalableDimension="dynamodb:table:WriteCapacityUnits", MinCapacity=5, MaxCapacity=100,
    )["ScalableTargetARN"]
    assert arn.startswith("arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target/")
    target = scaling.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"][0]
    assert (target["ResourceId"], target["MinCapacity"], target["MaxCapacity"]) == ("table/Orders", 5, 100)
    assert target["CreationTime"].year >= 1970

    put = scaling.put_scaling_policy(
        PolicyName="OrdersWrites", ServiceNamespace="dynamodb", ResourceId="table/Orders",
        ScalableDimension="dynamodb:table:WriteCapacityUnits", PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 70.0,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "DynamoDBWriteCapacityUtilization"},
            "ScaleOutCooldown": 0, "ScaleInCooldown": 0,
        },
    )
    assert put["PolicyARN"].endswith(":resource/dynamodb/table/Orders:policyName/OrdersWrites")
    assert [a["AlarmName"].split("-")[2] for a in put["Alarms"]] == [
        "AlarmHigh", "AlarmLow", "ProvisionedCapacityHigh", "ProvisionedCapacityLow"]
    policy = scaling.describe_scaling_policies(ServiceNamespace="dynamodb")["ScalingPolicies"][0]
    assert policy["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 70.0

    # 20 one-KB writes a second on 5 WCU: after two minutes above 70 % the table scales out.
    status, _ = playground(endpoint, "PlaygroundStartWorkload", {
        "TableName": "Orders", "Distribution": "UNIFORM", "KeyCount": 500, "RequestsPerSecond": 20,
        "ReadRatio": 0.0, "ItemSizeBytes": 900, "Seed": 1})
    assert status == 200
    for _ in range(4):
        status, _ = playground(endpoint, "PlaygroundAdvanceTime", {"Milliseconds": 60_000})
        assert status == 200
    activities = scaling.describe_scaling_activities(ServiceNamespace="dynamodb")["ScalingActivities"]
    assert activities, "scaled out"
    newest = activities[0]
    assert newest["StatusCode"] == "Successful"
    assert newest["Cause"].startswith("monitor alarm TargetTracking-table/Orders-AlarmHigh-")
    assert newest["Cause"].endswith("in state ALARM triggered policy OrdersWrites")
    assert newest["Description"].startswith("Setting write capacity units to ")
    units = client.describe_table(TableName="Orders")["Table"]["ProvisionedThroughput"]["WriteCapacityUnits"]
    assert units > 5

    scaling.delete_scaling_policy(
        PolicyName="OrdersWrites", ServiceNamespace="dynamodb", ResourceId="table/Orders",
        ScalableDimension="dynamodb:table:WriteCapacityUnits")
    scaling.deregister_scalable_target(
        ServiceNamespace="dynamodb", ResourceId="table/Orders", ScalableDimension="dynamodb:table:WriteCapacityUnits")
    assert scaling.describe_scalable_targets(ServiceNamespace="dynamodb")["ScalableTargets"] == []


def test_aws_application_autoscaling_cli(client, endpoint):
    if not AWS.exists():
        pytest.fail(f"{AWS} is missing: scripts/test.sh installs awscli from requirements.txt")
    create_table(client, "Cli", 5)
    env = {**os.environ, **DUMMY_CREDENTIALS, "AWS_PAGER": "", "AWS_CONFIG_FILE": os.devnull,
           "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_MAX_ATTEMPTS": "1", "AWS_DEFAULT_REGION": REGION}
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_OUTPUT"):
        env.pop(name, None)

    def aws(*args):
        argv = [str(AWS), "application-autoscaling", *args, "--endpoint-url", endpoint, "--output", "json"]
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)

    done = aws("register-scalable-target", "--service-namespace", "dynamodb", "--resource-id", "table/Cli",
               "--scalable-dimension", "dynamodb:table:ReadCapacityUnits", "--min-capacity", "10",
               "--max-capacity", "50")
    assert done.returncode == 0, done.stderr
    done = aws("describe-scalable-targets", "--service-namespace", "dynamodb")
    assert [t["MinCapacity"] for t in json.loads(done.stdout)["ScalableTargets"]] == [10]
    # Registering raised the read capacity to the minimum: an activity says so.
    done = aws("describe-scaling-activities", "--service-namespace", "dynamodb")
    assert json.loads(done.stdout)["ScalingActivities"][0]["Description"] == "Setting read capacity units to 10."
    done = aws("deregister-scalable-target", "--service-namespace", "dynamodb", "--resource-id", "table/Nope",
               "--scalable-dimension", "dynamodb:table:ReadCapacityUnits")
    assert done.returncode != 0 and "ObjectNotFoundException" in done.stderr
