"""Load test: Locust plays the roles against Odoo with workers, on plain Odoo and
on sales_qms, at several numbers of simulated users.

    benchmarks/load/run_load.py -c <odoo.conf> --plain <db> --qms <db> \\
        --locust <venv-load>/bin/locust [--users 10,50,100] [--run-time 120]

Run by `make load`, which makes both databases from the same template and
installs Locust in its own virtualenv. For each database: prepare.py creates
the users and the work (a slice of quotations and deliveries per run), Odoo
starts on 127.0.0.1 with --workers behind nginx (--nginx, as Odoo's deployment
guide sets it up: Odoo in --proxy-mode, nginx buffering the answers so that a
worker is free as soon as it has written one, and ODOO_HTTP_SOCKET_TIMEOUT
raised, see start_odoo; --nginx "" talks to Odoo directly), and Locust runs headless for --run-time seconds at each number of
users (every user stops after LOAD_MAX_TASKS tasks). Prints requests per
second, p50 and p95 latency and failures per action, and their causes as
Locust, nginx and the kernel saw them.
"""

import argparse
import csv
import itertools
import json
import os
import re
import shutil
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


NGINX_CONF = """
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {error_log} warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream odoo {{ server 127.0.0.1:{odoo}; }}
    upstream odoochat {{ server 127.0.0.1:{gevent}; }}
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 64m;
        client_body_buffer_size 1m;
        proxy_buffers 64 16k;
        proxy_read_timeout 720s;
        proxy_connect_timeout 720s;
        proxy_send_timeout 720s;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Real-IP $remote_addr;
        location /websocket {{
            proxy_pass http://odoochat;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }}
        location / {{
            proxy_pass http://odoo;
            proxy_redirect off;
        }}
    }}
}}
"""


# where Debian's package puts it (/usr/sbin is not on every user's PATH)
NGINX = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")


def start_nginx(args, odoo_port, gevent_port, tmp):
    """nginx in front of Odoo, as Odoo's deployment documentation configures
    it (its own prefix and files in tmp, on 127.0.0.1 only): the process and
    the URL Locust is to use."""
    directory = os.path.join(tmp, f"nginx_{odoo_port}")
    os.makedirs(directory)
    # the worker processes (user nobody when started as root) write the
    # temporary files of large bodies here
    os.chmod(tmp, 0o755)
    os.chmod(directory, 0o777)
    port = free_port()
    conf = os.path.join(directory, "nginx.conf")
    error_log = os.path.join(directory, "error.log")
    with open(conf, "w", encoding="utf-8") as f:
        f.write(
            NGINX_CONF.format(
                dir=directory,
                error_log=error_log,
                odoo=odoo_port,
                gevent=gevent_port,
                port=port,
            )
        )
    proc = subprocess.Popen(
        [args.nginx, "-p", directory, "-c", conf, "-e", error_log],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return proc, f"http://127.0.0.1:{port}", error_log


def start_odoo(args, db, tmp):
    """Odoo with workers (behind nginx unless --nginx is empty): the processes
    to stop, the URL Locust is to use and the logs of Odoo and nginx."""
    port, gevent_port = free_port(), free_port()
    odoo_log = os.path.join(tmp, f"odoo_{db}.log")
    environ = dict(os.environ)
    if args.nginx:
        # A worker waits at most 2 s for a request (ODOO_HTTP_SOCKET_TIMEOUT),
        # against clients that connect and send nothing. nginx reads the whole
        # request before it connects, so behind it the only wait left is the
        # kernel's: when Odoo's listen queue (8 x workers connections) is full,
        # the connection is completed seconds later, when TCP sends again; a
        # 2 s timeout then closes it unanswered (nginx: 502).
        environ["ODOO_HTTP_SOCKET_TIMEOUT"] = str(args.socket_timeout)
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
            f"--gevent-port={gevent_port}",
            f"--workers={args.workers}",
            *(["--proxy-mode"] if args.nginx else []),
            "--max-cron-threads=0",
            "--limit-time-real=600",
            "--log-level=warn",
            f"--logfile={odoo_log}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environ,
    )
    procs = [proc]
    url, nginx_log = f"http://127.0.0.1:{port}", None
    if args.nginx:
        nginx, url, nginx_log = start_nginx(args, port, gevent_port, tmp)
        procs.append(nginx)
    deadline = time.monotonic() + 120
    while True:
        try:
            requests.get(f"{url}/web/login", timeout=120).raise_for_status()
            break
        except requests.RequestException:
            if any(p.poll() is not None for p in procs) or time.monotonic() > deadline:
                stop(procs)
                raise SystemExit("Odoo (or nginx) did not start") from None
            time.sleep(0.5)
    # every worker loads its registry before the measure
    for _i in range(args.workers * 3):
        requests.get(f"{url}/web/login", timeout=60)
    return procs, url, {"odoo": odoo_log, "nginx": nginx_log}


def stop(procs):
    for proc in reversed(procs):
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()


# the message of an error line, per log (Odoo's holds werkzeug's too)
LOG_ERRORS = {
    "nginx": re.compile(
        r"\[(?:error|crit|alert|emerg)\] [\d#]+: (?:\*\d+ )?(.*?)(?:, client: .*)?$"
    ),
    "odoo": re.compile(r"^[-\d: ,]+\d+ (?:ERROR|CRITICAL) \S+ (\S+: .*)$"),
}


def listen_overflows():
    """How many times the kernel found a listen queue full (TcpExt
    ListenOverflows: the connection waited for a retransmission or was lost)."""
    try:
        with open("/proc/net/netstat", encoding="ascii") as f:
            lines = f.read().splitlines()
    except OSError:
        return 0
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("TcpExt:"):
            table = dict(zip(names.split()[1:], values.split()[1:], strict=True))
            return int(table.get("ListenOverflows", 0))
    return 0


class ServerSide:
    """What the servers saw during a run: the errors Odoo and nginx logged
    (the cause of a 502) and the kernel's full listen queues."""

    def __init__(self, logs):
        """logs: {"odoo" | "nginx": the path of its log, or None}."""
        self.logs = [
            (name, path, os.path.getsize(path) if os.path.exists(path) else 0)
            for name, path in logs.items()
            if path
        ]
        self.overflows = listen_overflows()

    def causes(self):
        causes = {}
        for name, path, offset in self.logs:
            if not os.path.exists(path):
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                f.seek(offset)
                lines = f.read().splitlines()
            for line, after in itertools.zip_longest(lines, lines[1:], fillvalue=""):
                match = LOG_ERRORS[name].search(line)
                if not match:
                    continue
                cause = match.group(1)
                if after.startswith("ERROR: "):
                    # a failed query: PostgreSQL's error is on the next line
                    # (a concurrency error is retried by Odoo, not a failure)
                    cause = f"{after[7:]} <- {cause}"
                key = name, re.sub(r"\d+", "N", cause)[:150]
                causes[key] = causes.get(key, 0) + 1
        result = [(n, name, cause) for (name, cause), n in causes.items()]
        overflows = listen_overflows() - self.overflows
        if overflows:
            result.append((overflows, "kernel", "listen queue full (ListenOverflows)"))
        return result


def run_locust(args, url, data, users, tmp, *, logs):
    data_file = os.path.join(tmp, f"data_{data['database']}_{users}.json")
    with open(data_file, "w", encoding="utf-8") as f:
        json.dump(data, f)
    prefix = os.path.join(tmp, f"stats_{data['database']}_{users}")
    env = {**os.environ, "LOAD_DATA": data_file}
    server = ServerSide(logs)
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
    return rows, failures + server.causes()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--plain", required=True)
    parser.add_argument("--qms", required=True)
    parser.add_argument("--locust", required=True)
    parser.add_argument(
        "--odoo-bin", default=os.environ.get("QMS_ODOO_BIN", "/opt/odoo/18.0/odoo-bin")
    )
    parser.add_argument(
        "--nginx",
        default=NGINX or "/usr/sbin/nginx",
        help='the nginx in front of Odoo ("" for none)',
    )
    parser.add_argument(
        "--socket-timeout",
        type=int,
        default=60,
        help="ODOO_HTTP_SOCKET_TIMEOUT behind nginx (Odoo's default: 2 s)",
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
            procs, url, logs = start_odoo(args, db, tmp)
            try:
                for i, users in enumerate(levels):
                    part = dict(data)
                    for key in ("quotations", "pickings"):
                        part[key] = data[key][i * args.orders : (i + 1) * args.orders]
                    results[label, users] = run_locust(
                        args, url, part, users, tmp, logs=logs
                    )
            finally:
                stop(procs)
    report(results, levels, args)


def report(results, levels, args):
    front = "behind nginx" if args.nginx else "without a proxy"
    print(
        f"\nLocust, {args.run_time} s per run, Odoo with {args.workers} workers "
        f"{front} on 127.0.0.1, this machine (2 shared cores); latencies in ms"
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
        for occurrences, name, error in sorted(causes, reverse=True)[:8]:
            print(f"    {occurrences:6}  {name}: {error}")


if __name__ == "__main__":
    main()
