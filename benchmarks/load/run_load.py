"""Load test: Locust plays the roles against Odoo with workers, on plain Odoo and
on sales_qms, at several numbers of simulated users.

    benchmarks/load/run_load.py -c <odoo.conf> --plain <db> --qms <db> \\
        --locust <venv-load>/bin/locust [--users 10,50,100] [--run-time 120]

Run by `make load`, which makes both databases from the same template and
installs Locust in its own virtualenv. For each database: prepare.py creates
the users and the work (a slice of quotations and deliveries per run), Odoo
starts on 127.0.0.1 with --workers, and Locust runs headless for --run-time
seconds at each number of users (every user stops after LOAD_MAX_TASKS tasks).
Prints requests per second, p50 and p95 latency and failures per action.
"""

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
PLAIN_ACTIONS = (
    "order list",
    "order form",
    "confirm order",
    "delivery form",
    "validate delivery",
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(args, db, out, orders):
    subprocess.run(
        [
            sys.executable,
            str(HERE / "prepare.py"),
            "-c",
            args.config,
            "-d",
            db,
            "--orders",
            str(orders),
            "--out",
            out,
        ],
        check=True,
    )
    with open(out, encoding="utf-8") as f:
        return json.load(f)


def start_odoo(args, db):
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            args.odoo_bin,
            "-c",
            args.config,
            "-d",
            db,
            f"--db-filter=^{db}$",
            "--http-interface=127.0.0.1",
            f"--http-port={port}",
            f"--gevent-port={free_port()}",
            f"--workers={args.workers}",
            "--max-cron-threads=0",
            "--limit-time-real=600",
            "--log-level=warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            requests.get(f"{url}/web/login", timeout=120)
            break
        except requests.RequestException:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise SystemExit("Odoo did not start") from None
            time.sleep(0.5)
    # every worker loads its registry before the measure
    for _i in range(args.workers * 3):
        requests.get(f"{url}/web/login", timeout=60)
    return proc, url


def run_locust(args, url, data, users, tmp):
    data_file = os.path.join(tmp, f"data_{data['database']}_{users}.json")
    with open(data_file, "w", encoding="utf-8") as f:
        json.dump(data, f)
    prefix = os.path.join(tmp, f"stats_{data['database']}_{users}")
    env = {**os.environ, "LOAD_DATA": data_file}
    subprocess.run(
        [
            args.locust,
            "-f",
            str(HERE / "locustfile.py"),
            "--headless",
            "--host",
            url,
            "-u",
            str(users),
            "-r",
            # users arrive over 20 s, as a morning's logins do (a login hashes
            # the password: 600,000 PBKDF2 rounds)
            str(users / 20),
            "--run-time",
            f"{args.run_time}s",
            "--stop-timeout",
            "10",
            "--csv",
            prefix,
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    rows = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rows[row["Name"]] = row
    # what failed, and why: the error rate alone does not tell
    failures = []
    try:
        with open(f"{prefix}_failures.csv", encoding="utf-8") as f:
            failures = [
                (int(row["Occurrences"]), row["Name"], row["Error"][:150])
                for row in csv.DictReader(f)
            ]
    except FileNotFoundError:
        pass
    return rows, failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--plain", required=True)
    parser.add_argument("--qms", required=True)
    parser.add_argument("--locust", required=True)
    parser.add_argument(
        "--odoo-bin", default=os.environ.get("QMS_ODOO_BIN", "/opt/odoo/18.0/odoo-bin")
    )
    parser.add_argument("--users", default="10,50,100")
    parser.add_argument("--run-time", type=int, default=120)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--orders", type=int, default=40, help="quotations and deliveries per run"
    )
    args = parser.parse_args()
    levels = [int(u) for u in args.users.split(",")]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, db in (("plain Odoo", args.plain), ("sales_qms", args.qms)):
            data = prepare(
                args, db, os.path.join(tmp, f"{db}.json"), args.orders * len(levels)
            )
            proc, url = start_odoo(args, db)
            try:
                for i, users in enumerate(levels):
                    part = dict(data)
                    for key in ("quotations", "pickings"):
                        part[key] = data[key][i * args.orders : (i + 1) * args.orders]
                    results[label, users] = run_locust(args, url, part, users, tmp)
            finally:
                proc.terminate()
                proc.wait(timeout=60)
    report(results, levels, args)


def report(results, levels, args):
    print(
        f"\nLocust, {args.run_time} s per run, Odoo with {args.workers} workers on "
        "127.0.0.1, this machine (2 shared cores); latencies in ms"
    )
    print(
        f"{'action':<22} {'users':>5} | {'plain req/s':>11} {'p50':>5} {'p95':>6} "
        f"{'fail':>4} | {'qms req/s':>9} {'p50':>5} {'p95':>6} {'fail':>4}"
    )
    names = [
        *sorted(
            {n for r, _f in results.values() for n in r if n != "Aggregated"},
            key=lambda n: (n not in PLAIN_ACTIONS, n),
        ),
        "Aggregated",
    ]
    for name in names:
        for users in levels:
            cells = []
            for label in ("plain Odoo", "sales_qms"):
                row = results.get((label, users), ({}, []))[0].get(name)
                if row is None:
                    cells.append(f"{'-':>11} {'':>5} {'':>6} {'':>4}")
                    continue
                cells.append(
                    f"{float(row['Requests/s']):11.2f} {row['50%']:>5} {row['95%']:>6} "
                    f"{row['Failure Count']:>4}"
                )
            print(f"{name:<22} {users:>5} | {cells[0]} | {cells[1]}")
    for (label, users), (rows, causes) in sorted(results.items()):
        total = rows.get("Aggregated", {})
        failures = int(total.get("Failure Count", 0))
        count = int(total.get("Request Count", 0)) or 1
        print(
            f"{label}, {users} users: {total.get('Request Count')} requests, "
            f"error rate {failures / count:.2%}"
        )
        for occurrences, name, error in sorted(causes, reverse=True)[:6]:
            print(f"    {occurrences:6}  {name}: {error}")


if __name__ == "__main__":
    main()
