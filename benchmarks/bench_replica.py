"""Odoo with workers and a PostgreSQL streaming replica: sales_qms's read-only
calls with and without the replica, and how far the replica lags.

    /var/cache/sales_qms/venv/bin/python benchmarks/bench_replica.py \\
        -c <odoo.conf> -d <db> --primary-port 55432 --replica-port <port>

Run by `make scale`, which builds the replica. Starts Odoo on 127.0.0.1 with 2
workers twice, with --db_replica_host/--db_replica_port and without, and plays
the same read-only calls from --clients threads for --seconds each: the monthly
service figures, a lot's recall scope (button and first page), the lot form
with its counters. Prints requests per second, p50 and p95 latency and errors;
then the replication lag: how long a committed write on the primary takes to
be replayed on the replica. On one machine the replica shares the cores of the
primary: the figures show the mechanism and its cost, not added capacity.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from load import odoo_json


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_odoo(args, replica):
    port = free_port()
    cmd = [
        sys.executable,
        args.odoo_bin,
        "-c",
        args.config,
        "-d",
        args.database,
        f"--db-filter=^{args.database}$",
        "--http-interface=127.0.0.1",
        f"--http-port={port}",
        f"--gevent-port={free_port()}",
        f"--workers={args.workers}",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]
    if replica:
        cmd += ["--db_replica_host=127.0.0.1", f"--db_replica_port={args.replica_port}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            requests.get(f"{url}/web/login", timeout=120)
            return proc, url
        except requests.RequestException:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("Odoo did not start") from None
            time.sleep(0.5)


def stop_odoo(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


class Player:
    """One client: the QC inspector and customer service reading."""

    def __init__(self, url, db):
        self.url = url
        self.inspector, self.service = requests.Session(), requests.Session()
        odoo_json.login(self.inspector, url, db, "inspector", "inspector")
        odoo_json.login(self.service, url, db, "service", "service")
        [self.lot_id] = odoo_json.call(
            self.inspector,
            url,
            "stock.lot",
            "search",
            [("name", "=", "AS200-2611-01")],
            kw={"limit": 1},
        )
        self.latencies, self.errors = [], 0

    def _timed(self, func, *args, **kwargs):
        start = time.perf_counter()
        try:
            result = func(*args, **kwargs)
        except (odoo_json.OdooError, requests.RequestException):
            self.errors += 1
            return None
        self.latencies.append(time.perf_counter() - start)
        return result

    def play(self):
        url = self.url
        self._timed(
            odoo_json.call,
            self.service,
            url,
            "report.sales_qms.report_service_monthly",
            "get_figures",
        )
        action = self._timed(
            odoo_json.button,
            self.inspector,
            url,
            "stock.lot",
            "action_qms_recall_scope",
            [self.lot_id],
        )
        if action:
            self._timed(
                odoo_json.call,
                self.inspector,
                url,
                "qms.recall.scope",
                "web_search_read",
                action["domain"],
                {"partner_id": {"fields": {"display_name": {}}}, "quantity_net": {}},
                kw={"limit": 80},
            )
        self._timed(
            odoo_json.call,
            self.inspector,
            url,
            "stock.lot",
            "web_read",
            [self.lot_id],
            {
                "qms_status": {},
                "qms_claim_count": {},
                "qms_inspection_count": {},
                "qms_status_log_ids": {"fields": {"reason": {}}},
            },
        )


def run_load(args, url):
    players = [Player(url, args.database) for _i in range(args.clients)]
    for player in players:  # every worker loads its registry first
        player.play()
        player.latencies.clear()
    deadline = time.monotonic() + args.seconds

    def loop(player):
        while time.monotonic() < deadline:
            player.play()

    start = time.monotonic()
    threads = [threading.Thread(target=loop, args=(p,)) for p in players]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - start
    latencies = sorted(x for p in players for x in p.latencies)
    errors = sum(p.errors for p in players)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies) * 1e3,
        "p95": latencies[int(len(latencies) * 0.95)] * 1e3,
        "errors": errors,
    }


def replication_lag(args, samples=20):
    """Seconds from a commit on the primary to its replay on the replica."""
    dsn = {"host": "127.0.0.1", "user": os.environ.get("PGUSER", "odoo")}
    primary = psycopg2.connect(port=args.primary_port, dbname=args.database, **dsn)
    replica = psycopg2.connect(port=args.replica_port, dbname=args.database, **dsn)
    primary.autocommit = replica.autocommit = True
    lags = []
    with primary.cursor() as pcr, replica.cursor() as rcr:
        for _i in range(samples):
            pcr.execute("SELECT txid_current()")  # a transaction that commits
            pcr.execute("SELECT pg_current_wal_insert_lsn()::text")
            (lsn,) = pcr.fetchone()
            start = time.perf_counter()
            while True:
                rcr.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
                if rcr.fetchone()[0]:
                    break
                time.sleep(0.0005)
            lags.append(time.perf_counter() - start)
            time.sleep(0.05)
    primary.close()
    replica.close()
    return statistics.median(lags), max(lags)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--primary-port", type=int, required=True)
    parser.add_argument("--replica-port", type=int, required=True)
    parser.add_argument(
        "--odoo-bin",
        default=os.environ.get("QMS_ODOO_BIN", "/opt/odoo/18.0/odoo-bin"),
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args()
    print(
        f"read-only calls of sales_qms, {args.clients} clients for "
        f"{args.seconds:.0f} s, Odoo with {args.workers} workers"
    )
    print(
        f"{'setup':<34} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}"
    )
    for label, replica in (("primary only", False), ("primary + replica", True)):
        proc, url = start_odoo(args, replica)
        try:
            r = run_load(args, url)
        finally:
            stop_odoo(proc)
        print(
            f"{label:<34} {r['requests']:8} {r['rps']:7.1f} {r['p50']:7.0f} "
            f"{r['p95']:7.0f} {r['errors']:6}"
        )
    median, worst = replication_lag(args)
    print(
        f"replication lag (commit on the primary -> replayed on the replica): "
        f"median {median * 1e3:.1f} ms, worst of 20 {worst * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main()
