"""Repo-level tests: they read the addon's files and, for end-to-end tests, start
a real Odoo server on the test database that `make test` prepared."""

import ast
import os
import socket
import subprocess
import time
import xmlrpc.client
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ADDON = REPO / "sales_qms"


def manifest():
    return ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def odoo_src():
    odoo_bin = os.environ.get("QMS_ODOO_BIN")
    if not odoo_bin:
        pytest.fail("QMS_ODOO_BIN is not set: run the suite with `make test`")
    return Path(odoo_bin).parent


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A real Odoo server on the test database, for the length of the session.
    Its log goes to a file: a pipe nobody reads would block the server once
    full (every refused call logs a warning)."""
    conf, db = os.environ.get("QMS_ODOO_CONF"), os.environ.get("QMS_TEST_DB")
    python, odoo_bin = os.environ.get("QMS_PYTHON"), os.environ.get("QMS_ODOO_BIN")
    if not all((conf, db, python, odoo_bin)):
        pytest.fail("QMS_* variables are not set: run the suite with `make test`")
    port = _free_port()
    log_path = tmp_path_factory.mktemp("odoo") / "server.log"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [
            python,
            odoo_bin,
            "-c",
            conf,
            "-d",
            db,
            f"--db-filter=^{db}$",
            f"--http-port={port}",
            "--http-interface=127.0.0.1",
            "--workers=0",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").version()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                err = log_path.read_text(errors="replace")[-2000:]
                pytest.fail(f"Odoo did not start: {err}")
            time.sleep(0.5)
    try:
        yield url, db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
