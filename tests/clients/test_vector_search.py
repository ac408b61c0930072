"""Vector search (DynamoDB, August 2026) through boto3: a table created with vector indexes,
items written with embeddings (lists of numbers) through the resource API, `search_vectors`
with a search condition, a projection and the consumed bytes, the documented refusals, and
UpdateTable adding an index that backfills.

botocore routes SearchVectors to a search endpoint of its own (`search-dynamodb.<region>…`)
unless an endpoint is given; with `endpoint_url` it goes to the server's one address, under the
same `X-Amz-Target: DynamoDB_20120810.SearchVectors` as every other operation.

The AWS CLI pinned in requirements.txt (awscli 1.46.3) carries its own botocore, 1.43.62, which
predates the operation: it has no `search-vectors` command and refuses `--vector-indexes`, so
the CLI is not tested here."""

import time
from decimal import Decimal

import pytest
from botocore.exceptions import ClientError

TABLE = "Products"

INDEXES = [
    {
        "IndexName": "ByCategory",
        "VectorAttribute": {"AttributeName": "Embedding"},
        "SearchSchema": [
            {"AttributeName": "Category", "SearchSchemaElementType": "HASH"},
            {"AttributeName": "Brand", "SearchSchemaElementType": "INLINE_FILTER"},
        ],
        "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["Title"]},
        "Dimensions": 3,
        "DistanceFunction": "COSINE",
    },
    {
        "IndexName": "Nearest",
        "VectorAttribute": {"AttributeName": "Embedding"},
        "Projection": {"ProjectionType": "KEYS_ONLY"},
        "Dimensions": 3,
        "DistanceFunction": "EUCLIDEAN",
    },
]

# (id, category or None, brand, title, embedding or None)
PRODUCTS = [
    ("p1", "books", "acme", "Rust", [1, 0, 0]),
    ("p2", "books", "zeta", "Go", [0, 1, 0]),
    ("p3", "books", "acme", "C", [1, 1, 0]),
    ("p4", "toys", "acme", "Ball", [0, 0, 1]),
    ("p5", None, "acme", "Uncategorised", [1, 0, 1]),  # not in ByCategory: no HASH attribute
    ("p6", "books", "acme", "No vector", None),  # in no vector index
]


def vector(*values):
    return [{"N": str(v)} for v in values]


@pytest.fixture
def products(client, resource):
    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "ProductId", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "ProductId", "AttributeType": "S"},
            {"AttributeName": "Category", "AttributeType": "S"},
            {"AttributeName": "Brand", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
        VectorIndexes=INDEXES,
    )
    with resource.Table(TABLE).batch_writer() as batch:
        for pid, category, brand, title, embedding in PRODUCTS:
            item = {"ProductId": pid, "Brand": brand, "Title": title}
            if category:
                item["Category"] = category
            if embedding:
                item["Embedding"] = [Decimal(v) for v in embedding]
            batch.put_item(Item=item)
    return client


def test_describe_table_shows_the_vector_indexes(products):
    indexes = products.describe_table(TableName=TABLE)["Table"]["VectorIndexes"]
    assert [i["IndexName"] for i in indexes] == ["ByCategory", "Nearest"]
    by_category = indexes[0]
    for member in ("VectorAttribute", "SearchSchema", "Projection", "Dimensions", "DistanceFunction"):
        assert by_category[member] == INDEXES[0][member]
    assert by_category["IndexStatus"] == "ACTIVE"
    assert by_category["ItemCount"] == 4  # p5 has no category (the HASH), p6 no vector
    assert indexes[1]["ItemCount"] == 5
    assert by_category["IndexArn"].endswith(":table/Products/index/ByCategory")


def test_search_vectors_in_a_partition_with_a_filter_and_projection(products):
    found = products.search_vectors(
        TableName=TABLE,
        IndexName="ByCategory",
        SearchVector=vector(1, "0.5", 0),
        TopK=10,
        SearchConditionExpression="Category = :c",
        ExpressionAttributeValues={":c": {"S": "books"}},
        ReturnConsumedCapacity="TOTAL",
    )
    ids = [r["Item"]["ProductId"]["S"] for r in found["SearchResults"]]
    assert ids == ["p3", "p1", "p2"]
    scores = [r["Score"] for r in found["SearchResults"]]
    assert scores == pytest.approx([0.0513167, 0.1055728, 0.5527864])
    # The vector attribute is left out by default; INCLUDE's Title and the schema's are there.
    assert set(found["SearchResults"][0]["Item"]) == {"ProductId", "Category", "Brand", "Title"}
    assert found["ConsumedCapacity"] == {"VectorSearchRequestBytes": 1024.0}

    filtered = products.search_vectors(
        TableName=TABLE,
        IndexName="ByCategory",
        SearchVector=vector(0, 1, 0),
        TopK=5,
        SearchConditionExpression="Brand = :b AND #c = :c",
        ExpressionAttributeNames={"#c": "Category"},
        ExpressionAttributeValues={":c": {"S": "books"}, ":b": {"S": "acme"}},
        ProjectionExpression="ProductId, Embedding, Price",
    )
    assert filtered["SearchResults"] == [
        {"Item": {"ProductId": {"S": "p3"}, "Embedding": {"L": vector(1, 1, 0)}}, "Score": pytest.approx(0.2928932)},
        {"Item": {"ProductId": {"S": "p1"}, "Embedding": {"L": vector(1, 0, 0)}}, "Score": 1.0},
    ]


def test_documented_refusals(products):
    def error(**request):
        with pytest.raises(ClientError) as e:
            products.search_vectors(TableName=TABLE, **request)
        return e.value.response["Error"]

    base = {"IndexName": "Nearest", "SearchVector": vector(1, 0, 0), "TopK": 1}
    assert error(**{**base, "TopK": 101}) == {
        "Code": "ValidationException",
        "Message": "Provided TopK value '101' is out of valid range. The value must be between 1 and 100 inclusive",
    }
    assert error(**{**base, "SearchVector": vector(1, 0)})["Message"] == (
        "Input search vector dimension 2 does not match vector index dimension 3"
    )
    assert error(**{**base, "IndexName": "ByCategory"})["Message"] == (
        "SearchConditionExpression must be provided when SearchSchema has a HASH key"
    )
    assert error(
        **{**base, "IndexName": "ByCategory"},
        SearchConditionExpression="Category = :c AND Brand <> :b",
        ExpressionAttributeValues={":c": {"S": "books"}, ":b": {"S": "acme"}},
    )["Message"] == "Invalid SearchConditionExpression: Invalid comparator used in SearchConditionExpression"
    with pytest.raises(ClientError) as e:
        products.query(
            TableName=TABLE,
            IndexName="Nearest",
            KeyConditionExpression="ProductId = :p",
            ExpressionAttributeValues={":p": {"S": "p1"}},
        )
    assert e.value.response["Error"]["Message"] == "Query operation not supported on this index type."
    # A vector of the wrong size is refused on write, naming the index.
    with pytest.raises(ClientError) as e:
        products.put_item(TableName=TABLE, Item={"ProductId": {"S": "x"}, "Embedding": {"L": vector(1)}})
    assert e.value.response["Error"]["Message"] == (
        "One or more parameter values were invalid: Invalid size for parameter Embedding, "
        "Expected: 3, Actual: 1. IndexName: ByCategory"
    )


def test_writes_report_vector_write_bytes(products):
    put = products.put_item(
        TableName=TABLE,
        Item={"ProductId": {"S": "p9"}, "Category": {"S": "books"}, "Embedding": {"L": vector(0, 1, 1)}},
        ReturnConsumedCapacity="INDEXES",
    )
    vectors = put["ConsumedCapacity"]["VectorIndexes"]
    assert set(vectors) == {"ByCategory", "Nearest"}
    # Each index is held to the 1 KB minimum on its own.
    assert [v["VectorWriteRequestBytes"] for v in vectors.values()] == [1024.0, 1024.0]
    # A write that changes nothing indexed reports no vector bytes.
    untouched = products.update_item(
        TableName=TABLE,
        Key={"ProductId": {"S": "p1"}},
        UpdateExpression="SET Price = :p",
        ExpressionAttributeValues={":p": {"N": "3"}},
        ReturnConsumedCapacity="INDEXES",
    )
    assert "VectorIndexes" not in untouched["ConsumedCapacity"]


def test_update_table_adds_an_index_that_backfills(products):
    created = products.update_table(
        TableName=TABLE,
        VectorIndexUpdates=[
            {
                "Create": {
                    "IndexName": "ByTitle",
                    "VectorAttribute": {"AttributeName": "Embedding"},
                    "Projection": {"ProjectionType": "ALL"},
                    "Dimensions": 3,
                    "DistanceFunction": "DOT_PRODUCT",
                }
            }
        ],
    )
    new = [i for i in created["TableDescription"]["VectorIndexes"] if i["IndexName"] == "ByTitle"][0]
    assert (new["IndexStatus"], new["Backfilling"]) == ("CREATING", True)
    with pytest.raises(ClientError) as e:
        products.search_vectors(TableName=TABLE, IndexName="ByTitle", SearchVector=vector(0, 0, 1), TopK=1)
    assert e.value.response["Error"]["Message"] == "Cannot search backfilling vector index: ByTitle"
    # Wait as DynamoDB's guide says: ACTIVE and not Backfilling.
    deadline = time.time() + 15
    while True:
        indexes = products.describe_table(TableName=TABLE)["Table"]["VectorIndexes"]
        new = [i for i in indexes if i["IndexName"] == "ByTitle"][0]
        if new["IndexStatus"] == "ACTIVE" and not new.get("Backfilling"):
            break
        assert time.time() < deadline, new
        time.sleep(0.25)
    found = products.search_vectors(TableName=TABLE, IndexName="ByTitle", SearchVector=vector(0, 0, 2), TopK=2)
    # p4 (0,0,1) and p5 (1,0,1) tie at 2.0: both are the best two, in the index's order.
    assert sorted((r["Item"]["ProductId"]["S"], r["Score"]) for r in found["SearchResults"]) == [
        ("p4", 2.0),
        ("p5", 2.0),
    ]
    assert "Embedding" not in found["SearchResults"][0]["Item"]
