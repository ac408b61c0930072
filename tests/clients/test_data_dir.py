"""boto3 against a server started with --data-dir: tables and items survive a restart (SIGTERM
and SIGKILL alike: every acknowledged write is on disk before its answer), and the endpoint
answers when named `localhost` as well as `127.0.0.1` (the Host check accepts loopback names)."""

import signal
import subprocess

import boto3
import pytest

from conftest import _server_binary, _session_kwargs

PREFIX = "dynaplay-server listening on "


def _start(data_dir):
    proc = subprocess.Popen(
        [str(_server_binary()), "--port", "0", "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline().strip()
    assert line.startswith(PREFIX), f"unexpected first line from the server: {line!r}"
    return proc, line[len(PREFIX):]


def _stop(proc, sig):
    proc.send_signal(sig)
    proc.wait(timeout=10)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_tables_survive_a_restart(tmp_path, sig):
    proc, endpoint = _start(tmp_path)
    try:
        ddb = boto3.client("dynamodb", **_session_kwargs(endpoint))
        ddb.create_table(
            TableName="Music",
            KeySchema=[{"AttributeName": "Artist", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "Artist", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        for n in range(25):
            ddb.put_item(TableName="Music", Item={"Artist": {"S": f"a{n}"}, "n": {"N": str(n)}})
    finally:
        _stop(proc, sig)

    proc, endpoint = _start(tmp_path)
    try:
        # The same server through the name `localhost`: boto3 sends Host: localhost:PORT.
        ddb = boto3.client("dynamodb", **_session_kwargs(endpoint.replace("127.0.0.1", "localhost")))
        assert ddb.list_tables()["TableNames"] == ["Music"]
        item = ddb.get_item(TableName="Music", Key={"Artist": {"S": "a24"}})["Item"]
        assert item["n"] == {"N": "24"}
        assert ddb.scan(TableName="Music", Select="COUNT")["Count"] == 25
    finally:
        _stop(proc, signal.SIGTERM)
