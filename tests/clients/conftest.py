"""Fixtures for the real-client tests: a fresh dynaplay-server per test, and boto3 pointed at it.

The fixtures build nothing: scripts/test.sh builds the server first. The binary is taken from
DYNAPLAY_SERVER_BIN (default: target/debug/dynaplay-server under the repository root).
"""

import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

REPO = Path(__file__).resolve().parents[2]
SEEDS = Path(__file__).resolve().parent / "seeds"
REGION = "us-east-1"

# The server checks only the shape of the SigV4 signature, never the keys behind it.
DUMMY_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIDDYNAPLAYTEST",
    "AWS_SECRET_ACCESS_KEY": "dynaplay-test-secret",
    "AWS_DEFAULT_REGION": REGION,
}


def _server_binary() -> Path:
    path = Path(os.environ.get("DYNAPLAY_SERVER_BIN", "target/debug/dynaplay-server"))
    if not path.is_absolute():
        path = REPO / path
    if not path.exists():
        pytest.fail(f"{path} does not exist: build it first (cargo build -p dynaplay-server)")
    return path


@pytest.fixture
def endpoint():
    """Starts a fresh, empty server on a free port; yields its http:// address."""
    proc = subprocess.Popen(
        [str(_server_binary()), "--port", "0"], stdout=subprocess.PIPE, text=True
    )
    try:
        line = proc.stdout.readline().strip()
        prefix = "dynaplay-server listening on "
        assert line.startswith(prefix), f"unexpected first line from the server: {line!r}"
        yield line[len(prefix):]
    finally:
        proc.terminate()
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
    # A clean shutdown is part of the contract: SIGTERM exits 0.
    assert code == 0, f"dynaplay-server exited with {code} on SIGTERM"


# One attempt only: a retried request would hide the error a test means to see.
_NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"})


def _session_kwargs(endpoint):
    return {
        "endpoint_url": endpoint,
        "region_name": REGION,
        "aws_access_key_id": DUMMY_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": DUMMY_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        "config": _NO_RETRIES,
    }


@pytest.fixture
def client(endpoint):
    """A low-level boto3 DynamoDB client for the test's server."""
    return boto3.client("dynamodb", **_session_kwargs(endpoint))


@pytest.fixture
def resource(endpoint):
    """A boto3 DynamoDB service resource for the test's server."""
    return boto3.resource("dynamodb", **_session_kwargs(endpoint))


@pytest.fixture
def run_seed(endpoint):
    """Runs a seed program from seeds/ against the server; returns its stdout."""

    def run(name: str) -> str:
        env = {**os.environ, **DUMMY_CREDENTIALS, "DYNAPLAY_ENDPOINT": endpoint}
        # Only this server: never a profile or credentials of the machine running the tests.
        env["AWS_CONFIG_FILE"] = os.devnull
        env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
        env.pop("AWS_PROFILE", None)
        env.pop("AWS_SESSION_TOKEN", None)
        done = subprocess.run(
            [sys.executable, str(SEEDS / name)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, f"{name} failed:\n{done.stderr}"
        return done.stdout

    return run
