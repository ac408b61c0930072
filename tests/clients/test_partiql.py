"""PartiQL through boto3: ExecuteStatement INSERT / SELECT / UPDATE / DELETE with `?`
parameters and NextToken pagination, BatchExecuteStatement, ExecuteTransaction, and errors."""

import pytest

from test_errors import error_of

TABLE = "Music"


@pytest.fixture
def music(client):
    client.create_table(
        TableName=TABLE,
        KeySchema=[
            {"AttributeName": "Artist", "KeyType": "HASH"},
            {"AttributeName": "SongTitle", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "Artist", "AttributeType": "S"},
            {"AttributeName": "SongTitle", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    return client


def insert(client, artist, title, year):
    return client.execute_statement(
        Statement=f"INSERT INTO {TABLE} VALUE {{'Artist': ?, 'SongTitle': ?, 'Year': ?}}",
        Parameters=[{"S": artist}, {"S": title}, {"N": str(year)}],
    )


def test_insert_select_update_delete(music):
    resp = insert(music, "Acme Band", "Happy Day", 2004)
    assert resp["Items"] == []
    insert(music, "Acme Band", "Blue Sky", 1999)
    insert(music, "No One", "Call Me", 2010)

    error, _ = error_of(
        music.execute_statement,
        Statement=f"INSERT INTO {TABLE} VALUE {{'Artist': 'Acme Band', 'SongTitle': 'Blue Sky'}}",
    )
    assert error == {"Code": "DuplicateItemException", "Message": "Duplicate primary key exists in table"}

    resp = music.execute_statement(
        Statement=f'SELECT SongTitle, "Year" FROM {TABLE} WHERE Artist = ? AND "Year" > ?',
        Parameters=[{"S": "Acme Band"}, {"N": "2000"}],
    )
    assert resp["Items"] == [{"SongTitle": {"S": "Happy Day"}, "Year": {"N": "2004"}}]

    music.execute_statement(
        Statement=f"UPDATE {TABLE} SET Awards = 3 SET Tags = ['pop'] REMOVE \"Year\" "
        "WHERE Artist = 'Acme Band' AND SongTitle = 'Blue Sky'",
    )
    item = music.get_item(TableName=TABLE, Key={"Artist": {"S": "Acme Band"}, "SongTitle": {"S": "Blue Sky"}})["Item"]
    assert item == {
        "Artist": {"S": "Acme Band"},
        "SongTitle": {"S": "Blue Sky"},
        "Awards": {"N": "3"},
        "Tags": {"L": [{"S": "pop"}]},
    }

    music.execute_statement(Statement=f"DELETE FROM {TABLE} WHERE Artist = 'No One' AND SongTitle = 'Call Me'")
    resp = music.execute_statement(Statement=f"SELECT * FROM {TABLE} WHERE Artist = 'No One'")
    assert resp["Items"] == []


def test_select_paginates_with_next_token(music):
    for n in range(5):
        insert(music, "Acme Band", f"Song {n}", 2000 + n)
    titles, token, calls = [], None, 0
    while True:
        extra = {"NextToken": token} if token else {}
        resp = music.execute_statement(
            Statement=f"SELECT SongTitle FROM {TABLE} WHERE Artist = 'Acme Band'", Limit=2, **extra
        )
        calls += 1
        titles += [i["SongTitle"]["S"] for i in resp["Items"]]
        token = resp.get("NextToken")
        if not token or calls > 10:
            break
    assert titles == [f"Song {n}" for n in range(5)]
    assert calls == 3


def test_batch_execute_statement_and_execute_transaction(music):
    resp = music.batch_execute_statement(
        Statements=[
            {"Statement": f"INSERT INTO {TABLE} VALUE {{'Artist': 'A', 'SongTitle': 'One'}}"},
            {"Statement": f"INSERT INTO {TABLE} VALUE {{'Artist': 'A', 'SongTitle': 'Two'}}"},
            {"Statement": f"INSERT INTO {TABLE} VALUE {{'Artist': 'A', 'SongTitle': 'One'}}"},
        ]
    )
    # Each statement succeeds or fails alone: the third is a duplicate of the first.
    assert resp["Responses"] == [
        {"TableName": TABLE},
        {"TableName": TABLE},
        {
            "TableName": TABLE,
            "Error": {"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"},
        },
    ]

    # Reads and writes do not mix in one batch; reads need the full primary key.
    error, _ = error_of(
        music.batch_execute_statement,
        Statements=[
            {"Statement": f"INSERT INTO {TABLE} VALUE {{'Artist': 'B', 'SongTitle': 'x'}}"},
            {"Statement": f"SELECT * FROM {TABLE} WHERE Artist = 'A' AND SongTitle = 'One'"},
        ],
    )
    assert error == {
        "Code": "ValidationException",
        "Message": "Read and write requests together in the same batch is not supported.",
    }
    resp = music.batch_execute_statement(
        Statements=[
            {"Statement": f"SELECT SongTitle FROM {TABLE} WHERE Artist = ? AND SongTitle = ?",
             "Parameters": [{"S": "A"}, {"S": "Two"}]},
            {"Statement": f"SELECT * FROM {TABLE} WHERE Artist = 'A' AND SongTitle = 'Missing'"},
        ]
    )
    assert resp["Responses"] == [{"TableName": TABLE, "Item": {"SongTitle": {"S": "Two"}}}, {"TableName": TABLE}]

    music.execute_transaction(
        TransactStatements=[
            {"Statement": f"UPDATE {TABLE} SET Plays = 1 WHERE Artist = 'A' AND SongTitle = 'One'"},
            {"Statement": f"DELETE FROM {TABLE} WHERE Artist = 'A' AND SongTitle = 'Two'"},
            {"Statement": f"INSERT INTO {TABLE} VALUE {{'Artist': 'A', 'SongTitle': 'Three'}}"},
        ]
    )
    resp = music.execute_statement(Statement=f"SELECT * FROM {TABLE} WHERE Artist = 'A'")
    assert resp["Items"] == [
        {"Artist": {"S": "A"}, "SongTitle": {"S": "One"}, "Plays": {"N": "1"}},
        {"Artist": {"S": "A"}, "SongTitle": {"S": "Three"}},
    ]

    # A failing statement cancels the whole transaction.
    with pytest.raises(music.exceptions.TransactionCanceledException) as info:
        music.execute_transaction(
            TransactStatements=[
                {"Statement": f"UPDATE {TABLE} SET Plays = 2 WHERE Artist = 'A' AND SongTitle = 'One'"},
                {"Statement": f"INSERT INTO {TABLE} VALUE {{'Artist': 'A', 'SongTitle': 'Three'}}"},
            ]
        )
    assert info.value.response["CancellationReasons"] == [
        {"Code": "None"},
        {"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"},
    ]
    resp = music.execute_statement(Statement=f"SELECT Plays FROM {TABLE} WHERE Artist = 'A'")
    assert resp["Items"] == [{"Plays": {"N": "1"}}, {}]


def test_statement_errors(music):
    error, _ = error_of(music.execute_statement, Statement="SELECT * FROM Nope")
    assert error == {"Code": "ResourceNotFoundException", "Message": "Requested resource not found"}
    error, _ = error_of(music.execute_statement, Statement=f"SELEC * FROM {TABLE}")
    assert error["Code"] == "ValidationException"
    assert error["Message"].startswith("Statement wasn't well formed")
