"""End to end: start a real Odoo server on the test database, log in over XML-RPC
as a demo user, read data, stop the server."""

import os
import socket
import subprocess
import time
import xmlrpc.client

import pytest


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    conf, db = os.environ.get("QMS_ODOO_CONF"), os.environ.get("QMS_TEST_DB")
    python, odoo_bin = os.environ.get("QMS_PYTHON"), os.environ.get("QMS_ODOO_BIN")
    if not all((conf, db, python, odoo_bin)):
        pytest.fail("QMS_* variables are not set: run the suite with `make test`")
    port = _free_port()
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
        stderr=subprocess.PIPE,
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
                pytest.fail(
                    f"Odoo did not start: {proc.stderr.read().decode()[-2000:]}"
                )
            time.sleep(0.5)
    try:
        yield url, db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        assert proc.poll() is not None


def test_demo_user_logs_in_and_reads(server):
    url, db = server
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    assert common.version()["server_serie"] == "18.0"
    uid = common.authenticate(db, "sales", "sales", {})
    assert uid, "the demo salesperson could not log in"
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
    [me] = models.execute_kw(
        db,
        uid,
        "sales",
        "res.users",
        "read",
        [[uid]],
        {"fields": ["login", "company_id"]},
    )
    assert me["login"] == "sales"
    assert "Huada Workwear" in me["company_id"][1]
    products = models.execute_kw(
        db,
        uid,
        "sales",
        "product.product",
        "search_read",
        [[("default_code", "=", "AS-200")]],
        {"fields": ["name", "tracking"]},
    )
    assert products and products[0]["tracking"] == "lot"


def test_wrong_password_is_refused(server):
    url, db = server
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    assert common.authenticate(db, "sales", "wrong", {}) is False
