"""DAX against the server: boto3's `dax` client and `aws dax` manage clusters and parameter groups
(JSON 1.1, X-Amz-Target AmazonDAXV3.<Op>); requests reach a cluster's caches through
Dynaplay.PlaygroundDaxRequest (DAX's own client protocol is not HTTP JSON)."""

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

ROLE = "arn:aws:iam::000000000000:role/DAXServiceRole"
AWS = Path(sys.executable).parent / "aws"


@pytest.fixture
def dax(endpoint):
    return boto3.client(
        "dax",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        config=Config(retries={"total_max_attempts": 1, "mode": "standard"}),
    )


def test_clusters_and_parameter_groups_through_boto3(dax):
    group = dax.create_parameter_group(ParameterGroupName="short-ttl", Description="one minute")
    assert group["ParameterGroup"] == {"ParameterGroupName": "short-ttl", "Description": "one minute"}
    dax.update_parameter_group(
        ParameterGroupName="short-ttl",
        ParameterNameValues=[
            {"ParameterName": "record-ttl-millis", "ParameterValue": "60000"},
            {"ParameterName": "query-ttl-millis", "ParameterValue": "60000"},
        ],
    )
    params = {p["ParameterName"]: p["ParameterValue"] for p in dax.describe_parameters(ParameterGroupName="short-ttl")["Parameters"]}
    assert params == {"record-ttl-millis": "60000", "query-ttl-millis": "60000"}
    names = [g["ParameterGroupName"] for g in dax.describe_parameter_groups()["ParameterGroups"]]
    assert names == ["default.dax1.0", "short-ttl"]

    created = dax.create_cluster(
        ClusterName="Sessions",
        NodeType="dax.t3.small",
        ReplicationFactor=3,
        IamRoleArn=ROLE,
        ParameterGroupName="short-ttl",
    )["Cluster"]
    assert created["ClusterName"] == "sessions"
    assert created["Status"] == "creating"
    assert created["ClusterArn"] == "arn:aws:dax:us-east-1:000000000000:cache/sessions"
    cluster = dax.describe_clusters(ClusterNames=["sessions"])["Clusters"][0]
    assert cluster["Status"] == "available"
    assert [n["NodeId"] for n in cluster["Nodes"]] == ["sessions-a", "sessions-b", "sessions-c"]
    assert cluster["ParameterGroup"]["ParameterGroupName"] == "short-ttl"
    assert cluster["ClusterDiscoveryEndpoint"]["URL"].startswith("dax://sessions.")

    # DAX's faults, as botocore reads them.
    with pytest.raises(dax.exceptions.ParameterGroupNotFoundFault):
        dax.describe_parameters(ParameterGroupName="nope")
    with pytest.raises(dax.exceptions.ClusterAlreadyExistsFault):
        dax.create_cluster(ClusterName="sessions", NodeType="dax.t3.small", ReplicationFactor=1, IamRoleArn=ROLE)
    with pytest.raises(dax.exceptions.InvalidParameterValueException):
        dax.create_cluster(ClusterName="bad--name", NodeType="dax.t3.small", ReplicationFactor=1, IamRoleArn=ROLE)

    assert dax.delete_cluster(ClusterName="sessions")["Cluster"]["Status"] == "deleting"
    with pytest.raises(dax.exceptions.ClusterNotFoundFault) as err:
        dax.describe_clusters(ClusterNames=["sessions"])
    assert err.value.response["Error"]["Message"] == "Cluster sessions not found."
    assert dax.describe_clusters()["Clusters"] == []


def test_requests_through_a_cluster_hit_miss_and_go_stale(client, dax, endpoint):
    client.create_table(
        TableName="Users",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.put_item(TableName="Users", Item={"id": {"S": "u1"}, "name": {"S": "Ada"}})
    dax.create_cluster(ClusterName="c1", NodeType="dax.t3.small", ReplicationFactor=1, IamRoleArn=ROLE)

    def through(operation, request):
        status, body = playground(endpoint, "PlaygroundDaxRequest", {"ClusterName": "c1", "Operation": operation, "Request": request})
        assert status == 200, body
        return body

    get = {"TableName": "Users", "Key": {"id": {"S": "u1"}}}
    assert through("GetItem", get)["Outcome"] == "MISS"
    hit = through("GetItem", get)
    assert (hit["Outcome"], hit["Response"]["Item"]["name"]) == ("HIT", {"S": "Ada"})
    # A write straight to the table (boto3's DynamoDB client) bypasses the cache.
    client.put_item(TableName="Users", Item={"id": {"S": "u1"}, "name": {"S": "Grace"}})
    assert through("GetItem", get)["Response"]["Item"]["name"] == {"S": "Ada"}
    status, view = playground(endpoint, "PlaygroundDescribeDaxCache", {"ClusterName": "c1"})
    assert status == 200 and view["ItemCache"][0]["Stale"] is True
    # A strongly consistent read goes to the table.
    fresh = through("GetItem", {**get, "ConsistentRead": True})
    assert (fresh["Outcome"], fresh["Response"]["Item"]["name"]) == ("PASS_THROUGH", {"S": "Grace"})
    # A write through DAX reaches the table and the item cache.
    through("PutItem", {"TableName": "Users", "Item": {"id": {"S": "u1"}, "name": {"S": "Linus"}}})
    assert client.get_item(TableName="Users", Key={"id": {"S": "u1"}})["Item"]["name"] == {"S": "Linus"}
    assert through("GetItem", get)["Response"]["Item"]["name"] == {"S": "Linus"}
    status, metrics = playground(endpoint, "PlaygroundDescribeDaxCache", {"ClusterName": "c1"})
    assert status == 200 and sum(metrics["Metrics"]["ItemCacheHits"]) == 3


def test_aws_dax_cli(endpoint):
    if not AWS.exists():
        pytest.fail(f"{AWS} is missing: scripts/test.sh installs awscli from requirements.txt")
    env = {**os.environ, **DUMMY_CREDENTIALS, "AWS_PAGER": "", "AWS_CONFIG_FILE": os.devnull,
           "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_MAX_ATTEMPTS": "1"}
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_OUTPUT"):
        env.pop(name, None)

    def aws(*args):
        argv = [str(AWS), "dax", *args, "--endpoint-url", endpoint, "--output", "json"]
        return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)

    done = aws("create-cluster", "--cluster-name", "cli", "--node-type", "dax.r5.large",
               "--replication-factor", "1", "--iam-role-arn", ROLE)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["Cluster"]["NodeType"] == "dax.r5.large"
    done = aws("describe-clusters")
    assert [c["ClusterName"] for c in json.loads(done.stdout)["Clusters"]] == ["cli"]
    done = aws("describe-parameters", "--parameter-group-name", "default.dax1.0")
    assert {p["ParameterValue"] for p in json.loads(done.stdout)["Parameters"]} == {"300000"}
    done = aws("delete-cluster", "--cluster-name", "nope")
    assert done.returncode != 0 and "ClusterNotFoundFault" in done.stderr
