"""Scale-out on Odoo's own mechanism: a PostgreSQL streaming replica answers the
read-only calls, the primary the writes.

Run by `make scale`, which builds a hot standby of the project's cluster
(pg_basebackup), a fresh database with sales_qms and its demo data, and sets
QMS_REPLICA_PORT; skipped otherwise. The test starts Odoo with workers and
--db_replica_host/--db_replica_port, logs in as demo users through the web
client's JSON routes, and reads each server's own statistics (the tables
scanned, the rows written) before and after the calls: a hot standby counts
the scans of the queries it answers."""

import os
import subprocess
import time
import uuid

import psycopg2
import pytest
import requests
from conftest import _free_port

pytestmark = pytest.mark.skipif(
    not os.environ.get("QMS_REPLICA_PORT"),
    reason="needs a PostgreSQL replica: run `make scale`",
)

# tables the read-only calls below scan, and nobody else does meanwhile
READ_TABLES = ("qms_claim", "qms_lot_status_log")
CALLS = 10


def _dsn(port):
    return {
        "host": "127.0.0.1",
        "port": int(port),
        "user": os.environ.get("PGUSER", "odoo"),
        "dbname": os.environ["QMS_SCALE_DB"],
    }


def _query(port, sql, params=()):
    """One query in its own connection and transaction: statistics are read
    fresh, not from a snapshot of an earlier call."""
    with psycopg2.connect(**_dsn(port)) as cnx, cnx.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


def _scans(port):
    """Sequential and index scans of READ_TABLES counted by this server."""
    rows = _query(
        port,
        "SELECT relname, seq_scan + COALESCE(idx_scan, 0) FROM pg_stat_user_tables "
        "WHERE relname = ANY(%s)",
        [list(READ_TABLES)],
    )
    return dict(rows)


def _replayed(primary, replica, timeout=30):
    """Wait until the replica has replayed everything the primary wrote.
    The primary commits asynchronously (synchronous_commit = off): a commit
    is in its WAL buffers before it is written, so the position to wait for
    is where WAL is inserted, not where it has been written so far."""
    [(lsn,)] = _query(primary, "SELECT pg_current_wal_insert_lsn()::text")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        [(done,)] = _query(
            replica, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn]
        )
        if done:
            return
        time.sleep(0.2)
    raise AssertionError(f"the replica did not replay {lsn} within {timeout} s")


@pytest.fixture(scope="module")
def odoo_replica():
    """Odoo with 2 workers, reading from the replica, on a free port."""
    env = os.environ
    db = env["QMS_SCALE_DB"]
    # the database is open on the replica before Odoo asks for it
    deadline = time.monotonic() + 60
    while True:
        try:
            _query(env["QMS_REPLICA_PORT"], "SELECT 1")
            break
        except psycopg2.OperationalError as exc:
            if time.monotonic() > deadline:
                pytest.fail(f"the replica does not serve {db}: {exc}")
            time.sleep(1)
    port, gevent_port = _free_port(), _free_port()
    log = open(env.get("QMS_SCALE_LOG", os.devnull), "w", encoding="utf-8")
    proc = subprocess.Popen(
        [
            env["QMS_PYTHON"],
            env["QMS_ODOO_BIN"],
            "-c",
            env["QMS_ODOO_CONF"],
            "-d",
            db,
            f"--db-filter=^{db}$",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            f"--gevent-port={gevent_port}",
            "--workers=2",
            "--max-cron-threads=0",
            "--db_replica_host=127.0.0.1",
            f"--db_replica_port={env['QMS_REPLICA_PORT']}",
            "--log-level=info",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    try:
        while True:
            try:
                requests.get(f"{url}/web/login", timeout=120)
                break
            except requests.RequestException:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("Odoo with workers did not start (QMS_SCALE_LOG)")
                time.sleep(0.5)
        yield url, db
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


class Client:
    """The web client's JSON calls, in a logged-in session."""

    def __init__(self, url, db, login, password):
        self.url = url
        self.session = requests.Session()
        result = self._post(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        assert result["uid"], f"{login} could not log in"

    def _post(self, path, params):
        response = self.session.post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=60,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise AssertionError(body["error"]["data"]["message"])
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def button(self, model, method, ids):
        return self._post(
            f"/web/dataset/call_button/{model}/{method}",
            {"model": model, "method": method, "args": [ids], "kwargs": {}},
        )


def _readonly_calls(service, inspector, lot_id):
    """What users read every day, through methods declared @api.readonly."""
    for _i in range(CALLS):
        figures = service.call("report.sales_qms.report_service_monthly", "get_figures")
        assert "claims_received" in figures
        action = inspector.button("stock.lot", "action_qms_recall_scope", [lot_id])
        rows = inspector.call(
            "qms.recall.scope",
            "web_search_read",
            action["domain"],
            {"partner_id": {"fields": {"display_name": {}}}, "quantity_net": {}},
            limit=80,
        )
        assert rows["records"], "the demo lot has a recall scope"
        [lot] = inspector.call(
            "stock.lot",
            "web_read",
            [lot_id],
            {
                "qms_status": {},
                "qms_claim_count": {},
                "qms_inspection_count": {},
                "qms_status_log_ids": {"fields": {"reason": {}}},
            },
        )
        assert lot["qms_status_log_ids"], "the demo lot has a status history"


def _wait_for(check, timeout=20):
    """PostgreSQL publishes a backend's statistics up to 10 s after its
    transaction ends (when the backend has been idle)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


def test_readonly_calls_answered_by_the_replica(odoo_replica):
    url, db = odoo_replica
    primary, replica = os.environ["QMS_PRIMARY_PORT"], os.environ["QMS_REPLICA_PORT"]
    [(in_recovery,)] = _query(replica, "SELECT pg_is_in_recovery()")
    assert in_recovery, "the replica is a hot standby"
    service = Client(url, db, "service", "service")
    inspector = Client(url, db, "inspector", "inspector")
    [lot_id] = inspector.call(
        "stock.lot", "search", [("name", "=", "AS200-2611-01")], limit=1
    )
    # both workers load the registry and open their connections first
    _readonly_calls(service, inspector, lot_id)
    time.sleep(11)  # statistics of the warm-up published
    before = {"primary": _scans(primary), "replica": _scans(replica)}
    _readonly_calls(service, inspector, lot_id)

    def replica_counted():
        now = _scans(replica)
        return all(now[t] - before["replica"][t] >= CALLS for t in READ_TABLES)

    assert _wait_for(replica_counted), (
        f"the replica did not answer the read-only calls: scans before "
        f"{before['replica']}, after {_scans(replica)}"
    )
    time.sleep(11)  # whatever the primary did is published by now
    after = _scans(primary)
    assert after == before["primary"], (
        f"the primary answered read-only calls: scans before {before['primary']}, "
        f"after {after}"
    )


def test_writes_go_to_the_primary(odoo_replica):
    url, db = odoo_replica
    primary, replica = os.environ["QMS_PRIMARY_PORT"], os.environ["QMS_REPLICA_PORT"]
    inspector = Client(url, db, "inspector", "inspector")
    [lot_id] = inspector.call(
        "stock.lot", "search", [("name", "=", "AS200-2611-01")], limit=1
    )
    reason = f"replica test {uuid.uuid4()}"
    inspector.call(
        "stock.lot", "action_qms_set_status", [lot_id], "pending_disposition", reason
    )
    inspector.call("stock.lot", "action_qms_set_status", [lot_id], "qualified", reason)
    sql = "SELECT count(*) FROM qms_lot_status_log WHERE reason = %s"
    assert _query(primary, sql, [reason]) == [(2,)], "the writes are on the primary"
    _replayed(primary, replica)
    assert _query(replica, sql, [reason]) == [(2,)], "and streamed to the replica"
    # a read-only call right after a write reads what was written, from the
    # replica once it has replayed it
    [lot] = inspector.call("stock.lot", "web_read", [lot_id], {"qms_status": {}})
    assert lot["qms_status"] == "qualified"
