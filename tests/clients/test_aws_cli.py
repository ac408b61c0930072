"""The AWS CLI (awscli from PyPI, pinned in requirements.txt) against dynaplay-server:
`aws dynamodb ...` run as a subprocess with --output json, dummy credentials from the
environment and no pager; the JSON it prints is asserted exactly."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DUMMY_CREDENTIALS

# The `aws` entry point installed next to this interpreter (tests/.venv/bin/aws).
AWS = Path(sys.executable).parent / "aws"


class Cli:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.env = {**os.environ, **DUMMY_CREDENTIALS}
        # Only this server: never a profile, credentials or pager of the machine running the tests.
        self.env.update(
            AWS_PAGER="",
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_MAX_ATTEMPTS="1",  # one attempt: an error is seen as it is, not retried
        )
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_OUTPUT"):
            self.env.pop(name, None)

    def run(self, *args):
        """Runs `aws dynamodb ARGS...`; returns the completed process."""
        argv = [str(AWS), "dynamodb", *args, "--endpoint-url", self.endpoint, "--output", "json"]
        return subprocess.run(argv, env=self.env, capture_output=True, text=True, timeout=60)

    def __call__(self, *args):
        """Runs a command that must succeed; returns its parsed JSON output ({} when empty)."""
        done = self.run(*args)
        assert done.returncode == 0, f"aws dynamodb {' '.join(args)} failed:\n{done.stderr}"
        return json.loads(done.stdout) if done.stdout.strip() else {}


@pytest.fixture
def aws(endpoint):
    if not AWS.exists():
        pytest.fail(f"{AWS} is missing: scripts/test.sh installs awscli from requirements.txt")
    return Cli(endpoint)


def j(value):
    return json.dumps(value)


MOVIES_KEYS = j([{"AttributeName": "year", "KeyType": "HASH"}, {"AttributeName": "title", "KeyType": "RANGE"}])
MOVIES_ATTRS = j([{"AttributeName": "year", "AttributeType": "N"}, {"AttributeName": "title", "AttributeType": "S"}])


def create_movies(aws):
    return aws(
        "create-table",
        "--table-name", "Movies",
        "--key-schema", MOVIES_KEYS,
        "--attribute-definitions", MOVIES_ATTRS,
        "--billing-mode", "PAY_PER_REQUEST",
    )


def movie(year, title, rating):
    return {"year": {"N": str(year)}, "title": {"S": title}, "rating": {"N": rating}}


def test_table_lifecycle_and_item_crud(aws):
    table = create_movies(aws)["TableDescription"]
    assert table["TableName"] == "Movies"
    assert table["TableStatus"] == "CREATING"  # as CreateTable answers; ACTIVE by the next call
    assert table["KeySchema"] == json.loads(MOVIES_KEYS)
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert table["TableArn"] == "arn:aws:dynamodb:us-east-1:000000000000:table/Movies"

    # The CLI's waiter (DescribeTable until ACTIVE) prints nothing on success.
    assert aws("wait", "table-exists", "--table-name", "Movies") == {}
    assert aws("list-tables") == {"TableNames": ["Movies"]}
    desc = aws("describe-table", "--table-name", "Movies")["Table"]
    assert (desc["ItemCount"], desc["TableStatus"]) == (0, "ACTIVE")

    item = movie(2013, "Rush", "8.1")
    assert aws("put-item", "--table-name", "Movies", "--item", j(item)) == {}
    got = aws("get-item", "--table-name", "Movies", "--key", j({"year": {"N": "2013"}, "title": {"S": "Rush"}}))
    assert got == {"Item": item}

    updated = aws(
        "update-item",
        "--table-name", "Movies",
        "--key", j({"year": {"N": "2013"}, "title": {"S": "Rush"}}),
        "--update-expression", "SET rating = rating + :d, genres = :g",
        "--expression-attribute-values", j({":d": {"N": "0.4"}, ":g": {"SS": ["Drama"]}}),
        "--return-values", "UPDATED_NEW",
    )
    assert updated == {"Attributes": {"rating": {"N": "8.5"}, "genres": {"SS": ["Drama"]}}}

    deleted = aws(
        "delete-item",
        "--table-name", "Movies",
        "--key", j({"year": {"N": "2013"}, "title": {"S": "Rush"}}),
        "--return-values", "ALL_OLD",
    )
    assert deleted == {
        "Attributes": {**movie(2013, "Rush", "8.5"), "genres": {"SS": ["Drama"]}}
    }
    assert aws("get-item", "--table-name", "Movies", "--key", j({"year": {"N": "2013"}, "title": {"S": "Rush"}})) == {}


def test_batch_write_query_and_paginated_scan(aws):
    create_movies(aws)
    movies = [movie(2013, t, r) for t, r in [("Rush", "8.1"), ("Gravity", "7.7"), ("Her", "8.00")]]
    movies.append(movie(2014, "Interstellar", "8.6"))
    resp = aws(
        "batch-write-item",
        "--request-items", j({"Movies": [{"PutRequest": {"Item": m}} for m in movies]}),
    )
    assert resp == {"UnprocessedItems": {}}

    resp = aws(
        "query",
        "--table-name", "Movies",
        "--key-condition-expression", "#y = :y AND title > :t",
        "--expression-attribute-names", j({"#y": "year"}),
        "--expression-attribute-values", j({":y": {"N": "2013"}, ":t": {"S": "H"}}),
        "--projection-expression", "title, rating",
    )
    assert resp == {
        "Items": [
            {"title": {"S": "Her"}, "rating": {"N": "8"}},  # numbers come back normalized
            {"title": {"S": "Rush"}, "rating": {"N": "8.1"}},
        ],
        "Count": 2,
        "ScannedCount": 2,
        "ConsumedCapacity": None,
    }

    # The CLI follows LastEvaluatedKey itself and merges the pages (two items per request).
    resp = aws(
        "scan", "--table-name", "Movies", "--page-size", "2",
        "--filter-expression", "rating >= :r",
        "--expression-attribute-values", j({":r": {"N": "8"}}),
    )
    assert sorted(i["title"]["S"] for i in resp["Items"]) == ["Her", "Interstellar", "Rush"]
    assert (resp["Count"], resp["ScannedCount"]) == (3, 4)

    # --max-items stops early and hands back a NextToken to resume with.
    resp = aws("scan", "--table-name", "Movies", "--max-items", "3")
    assert len(resp["Items"]) == 3
    assert "NextToken" in resp
    rest = aws("scan", "--table-name", "Movies", "--starting-token", resp["NextToken"])
    seen = {i["title"]["S"] for i in resp["Items"] + rest["Items"]}
    assert seen == {"Rush", "Gravity", "Her", "Interstellar"}


def test_transact_write_items_and_cancellation(aws):
    create_movies(aws)
    resp = aws(
        "transact-write-items",
        "--transact-items",
        j([
            {"Put": {"TableName": "Movies", "Item": movie(2010, "Inception", "8.8")}},
            {"Put": {"TableName": "Movies", "Item": movie(2010, "Tangled", "7.7")}},
        ]),
    )
    assert resp == {}

    done = aws.run(
        "transact-write-items",
        "--transact-items",
        j([
            {"Delete": {"TableName": "Movies", "Key": {"year": {"N": "2010"}, "title": {"S": "Tangled"}}}},
            {"Put": {"TableName": "Movies", "Item": movie(2010, "Inception", "1.0"),
                     "ConditionExpression": "attribute_not_exists(title)"}},
        ]),
    )
    assert done.returncode == 255
    assert done.stdout == ""
    assert done.stderr.strip() == (
        "An error occurred (TransactionCanceledException) when calling the TransactWriteItems "
        "operation: Transaction cancelled, please refer cancellation reasons for specific reasons "
        "[None, ConditionalCheckFailed]"
    )
    resp = aws("scan", "--table-name", "Movies")
    assert sorted(i["title"]["S"] for i in resp["Items"]) == ["Inception", "Tangled"]


def test_execute_statement(aws):
    create_movies(aws)
    assert aws(
        "execute-statement",
        "--statement", "INSERT INTO Movies VALUE {'year': ?, 'title': ?, 'rating': ?}",
        "--parameters", j([{"N": "1994"}, {"S": "Speed"}, {"N": "7.3"}]),
    ) == {"Items": []}
    resp = aws(
        "execute-statement",
        "--statement", 'SELECT title, rating FROM Movies WHERE "year" = 1994',
    )
    assert resp == {"Items": [{"title": {"S": "Speed"}, "rating": {"N": "7.3"}}]}


def test_multi_attribute_gsi(aws):
    """A GSI keyed on two HASH and two RANGE attributes: created, described as given, queried."""
    gsi_keys = [
        {"AttributeName": "genre", "KeyType": "HASH"},
        {"AttributeName": "lang", "KeyType": "HASH"},
        {"AttributeName": "rating", "KeyType": "RANGE"},
        {"AttributeName": "year", "KeyType": "RANGE"},
    ]
    attrs = [{"AttributeName": n, "AttributeType": t} for n, t in
             [("year", "N"), ("title", "S"), ("genre", "S"), ("lang", "S"), ("rating", "N")]]
    aws(
        "create-table",
        "--table-name", "Movies",
        "--key-schema", MOVIES_KEYS,
        "--attribute-definitions", j(attrs),
        "--global-secondary-indexes",
        j([{"IndexName": "ByGenre", "KeySchema": gsi_keys, "Projection": {"ProjectionType": "KEYS_ONLY"}}]),
        "--billing-mode", "PAY_PER_REQUEST",
    )
    desc = aws("describe-table", "--table-name", "Movies")["Table"]
    assert desc["GlobalSecondaryIndexes"][0]["KeySchema"] == gsi_keys
    films = [(2010, "Inception", "8.8", "en"), (2013, "Her", "8", "en"), (2001, "Amelie", "8.3", "fr"),
             (2014, "Interstellar", "8.7", "en"), (2011, "Drive", "7.8", "en")]
    items = [{**movie(y, t, r), "genre": {"S": "drama"}, "lang": {"S": lang}} for y, t, r, lang in films]
    aws("batch-write-item", "--request-items", j({"Movies": [{"PutRequest": {"Item": i}} for i in items]}))
    resp = aws(
        "query",
        "--table-name", "Movies",
        "--index-name", "ByGenre",
        "--key-condition-expression", "lang = :l AND genre = :g AND rating >= :r",
        "--expression-attribute-values", j({":g": {"S": "drama"}, ":l": {"S": "en"}, ":r": {"N": "8"}}),
        "--projection-expression", "title",
    )
    # By rating, then year: Her (8), Interstellar (8.7), Inception (8.8); Drive is below 8.
    assert [i["title"]["S"] for i in resp["Items"]] == ["Her", "Interstellar", "Inception"]
    done = aws.run(
        "query",
        "--table-name", "Movies",
        "--index-name", "ByGenre",
        "--key-condition-expression", "lang = :l AND genre = :g AND #y = :y",
        "--expression-attribute-names", j({"#y": "year"}),
        "--expression-attribute-values", j({":g": {"S": "drama"}, ":l": {"S": "en"}, ":y": {"N": "2010"}}),
    )
    assert done.returncode == 255
    assert "RANGE key attributes rating must have equality conditions specified in the query" in done.stderr


def test_error_output_and_exit_code(aws):
    done = aws.run("describe-table", "--table-name", "Nope")
    assert done.returncode == 255
    assert done.stderr.strip() == (
        "An error occurred (ResourceNotFoundException) when calling the DescribeTable operation: "
        "Requested resource not found: Table: Nope not found"
    )


def test_streams_describe_stream_pages_and_filters(aws):
    """`aws dynamodbstreams describe-stream` with --limit, --exclusive-start-shard-id and
    --shard-filter; get-shard-iterator refusing a sequence number with TRIM_HORIZON."""
    created = aws(
        "create-table", "--table-name", "Wide", "--billing-mode", "PAY_PER_REQUEST",
        "--attribute-definitions", j([{"AttributeName": "pk", "AttributeType": "S"}]),
        "--key-schema", j([{"AttributeName": "pk", "KeyType": "HASH"}]),
        "--stream-specification", "StreamEnabled=true,StreamViewType=KEYS_ONLY",
    )
    arn = created["TableDescription"]["LatestStreamArn"]

    def streams(*args):
        argv = [str(AWS), "dynamodbstreams", *args, "--endpoint-url", aws.endpoint, "--output", "json"]
        return subprocess.run(argv, env=aws.env, capture_output=True, text=True, timeout=60)

    done = streams("describe-stream", "--stream-arn", arn, "--limit", "2")
    assert done.returncode == 0, done.stderr
    first = json.loads(done.stdout)["StreamDescription"]
    ids = [s["ShardId"] for s in first["Shards"]]
    assert len(ids) == 2 and ids == sorted(ids) and first["LastEvaluatedShardId"] == ids[-1]
    done = streams("describe-stream", "--stream-arn", arn, "--exclusive-start-shard-id", ids[-1])
    rest = [s["ShardId"] for s in json.loads(done.stdout)["StreamDescription"]["Shards"]]
    assert len(rest) == 2 and rest[0] > ids[-1]
    done = streams(
        "describe-stream", "--stream-arn", arn, "--shard-filter", f"Type=CHILD_SHARDS,ShardId={ids[0]}"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["StreamDescription"]["Shards"] == []
    done = streams(
        "get-shard-iterator", "--stream-arn", arn, "--shard-id", ids[0],
        "--shard-iterator-type", "TRIM_HORIZON", "--sequence-number", "100000000000000000001",
    )
    assert done.returncode != 0
    assert "(ValidationException) when calling the GetShardIterator operation: SequenceNumber must not be specified when ShardIteratorType is TRIM_HORIZON" in done.stderr, done.stderr
