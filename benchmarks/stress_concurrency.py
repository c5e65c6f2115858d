"""Stress and fault run: many users at once on Odoo with 4 workers, PostgreSQL
restarted and a worker killed in the middle of work, then a consistency check
of the database in SQL.

    make stress          # builds a fresh demo database, copies it, runs this

    benchmarks/stress_concurrency.py -c <odoo.conf> -d <db> \\
        [--pgdata DIR --pg-bindir DIR --pg-user USER] [--json FILE]

The database is a copy of a demo database and is changed for good: the script
prepares its records in-process (users, orders, deliveries, lots), starts Odoo
on 127.0.0.1 with --workers=4 and drives it over XML-RPC and the portal (HTTP)
from many threads at once:

  A  8 reviewers approve the lines of the same contract review round at the
     same moment, 50 rounds (a second Sales reviewer contests the Sales line of
     the general contracts; the general manager's final line races the others
     on the special ones);
  B  the warehouse keeper and the QC inspector sign the same inspection at the
     same moment, then two users validate the same delivery;
  C  two QC inspectors set the status of the same lot; a keeper reserves a lot
     while an inspector blocks it; a keeper validates while an inspector blocks;
  D  20 portal customers and 5 customer-service users file claims at once;
  E  fault: PostgreSQL restarted (pg_ctl restart -m fast) during a mixed load;
  F  fault: the worker serving a validation killed (SIGKILL) in the middle.

It prints operations per second, the serialization conflicts Odoo retried
(counted from its log: "SERIALIZATION_FAILURE, 4 tries left, ..."), the
refusals users met (expected: each is named), the failures users met
(expected: none outside the faults), and the consistency checks. Exit status 1
when a check fails or a user met an unexpected failure. Not a test: figures.
"""

import argparse
import base64
import collections
import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import xmlrpc.client
from concurrent.futures import ThreadPoolExecutor

import psutil
import psycopg2
import requests

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)
SIGNATURE = base64.b64encode(PNG).decode()
CTX = {"lang": "en_US", "skip_sms": True}
N_ROUNDS = 50
N_SIGN = 20
N_LOT_RACES = 20
N_RESERVE_RACES = 20
N_VALIDATE_RACES = 10
N_PORTAL = 20
N_SERVICE = 5
N_KILL = 6
KILL_LINES = 40
PARALLEL_ROUNDS = 5

# what a user may be told, by scenario: (regex on the message, label)
REFUSALS = [
    (
        r"is already decided or closed",
        "review line already decided by the other reviewer of its department",
    ),
    (r"signs last", "final signature before the other departments (asked again)"),
    (
        r"cannot validate a transfer if no quantities are reserved",
        "nothing reserved left to validate: the other user validated it, "
        "or the inspector's block took the lot off first",
    ),
    (
        r"Only qualified lots are delivered",
        "lot blocked by the inspector before the validation",
    ),
    (
        r"cannot leave before their pre-delivery inspection",
        "lot blocked by the inspector before the validation (signed goods changed)",
    ),
]
RETRY_LINE = re.compile(
    r"odoo\.service\.model: (SERIALIZATION_FAILURE|LOCK_NOT_AVAILABLE|"
    r"DEADLOCK_DETECTED), (\d+) tries left"
)
MAX_TRIES_LINE = re.compile(r"odoo\.service\.model: (\w+), maximum number of tries")


def say(*args):
    print(*args, flush=True)


# ====================================================================== setup
def load_odoo(conf, db):
    import odoo  # noqa: PLC0415 - only once the paths are known
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", conf, "-d", db])
    odoo.netsvc.init_logger()
    return odoo


def prepare(odoo, db):  # noqa: PLR0915 - one pass over the data the run needs
    """Users, orders in review, deliveries and lots: committed, ids returned."""
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        # no chatter tracking nor e-mails sent from the preparation
        env = odoo.api.Environment(
            cr,
            odoo.SUPERUSER_ID,
            {
                "lang": "en_US",
                "tracking_disable": True,
                "mail_notify_force_send": False,
            },
        )
        clock = [time.monotonic()]

        def lap(what):
            now = time.monotonic()
            say(f"  {what}: {now - clock[0]:.0f} s")
            clock[0] = now

        ref = env.ref
        company = env.company
        warehouse = env["stock.warehouse"].search(
            [("company_id", "=", company.id)], limit=1
        )
        stock, customers = warehouse.lot_stock_id, ref("stock.stock_location_customers")
        out_type = warehouse.out_type_id
        out_type.qms_inspection_required = True
        company.qms_review_required = True

        def user(login, name, groups, partner=None):
            vals = {
                "login": login,
                "name": name,
                "password": login,
                "groups_id": [(6, 0, [ref(g).id for g in groups])],
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
            }
            if partner:
                vals["partner_id"] = partner.id
            return env["res.users"].with_context(no_reset_password=True).create(vals)

        sales2 = user(
            "stress_sales2",
            "Stress Sales Reviewer 2",
            ["sales_qms.group_qms_user", "sales_team.group_sale_salesman"],
        )
        ref("sales_qms.qms_department_sales").user_ids |= sales2
        inspector2 = user(
            "stress_inspector2",
            "Stress QC Inspector 2 质检员",
            ["sales_qms.group_qms_inspector", "stock.group_stock_user"],
        )
        services = [
            user(
                f"stress_service{i}",
                f"Stress Service {i} 客服",
                [
                    "sales_qms.group_qms_customer_service",
                    "sales_team.group_sale_salesman_all_leads",
                ],
            )
            for i in range(2, N_SERVICE + 1)
        ]
        keeper = ref("sales_qms.user_keeper_demo")
        inspector = ref("sales_qms.user_inspector_demo")
        sales = ref("sales_qms.user_sales_demo")

        def product(code, tracking="lot", **vals):
            return env["product.product"].create(
                {
                    "name": f"Stress {code} 压力测试",
                    "default_code": code,
                    "is_storable": True,
                    "tracking": tracking,
                    "list_price": 100.0,
                    "standard_price": 50.0,
                    **vals,
                }
            )

        def lot(prod, name, qty):
            lot_ = env["stock.lot"].create(
                {"name": name, "product_id": prod.id, "company_id": company.id}
            )
            if qty:
                env["stock.quant"]._update_available_quantity(
                    prod, stock, qty, lot_id=lot_
                )
            return lot_

        def delivery(partner, lines, assign=True):
            picking = env["stock.picking"].create(
                {
                    "picking_type_id": out_type.id,
                    "partner_id": partner.id,
                    "location_id": stock.id,
                    "location_dest_id": customers.id,
                    "origin": "stress",
                    "move_ids": [
                        (
                            0,
                            0,
                            {
                                "name": p.name,
                                "product_id": p.id,
                                "product_uom_qty": q,
                                "product_uom": p.uom_id.id,
                                "location_id": stock.id,
                                "location_dest_id": customers.id,
                            },
                        )
                        for p, q in lines
                    ],
                }
            )
            picking.action_confirm()
            if assign:
                picking.action_assign()
            return picking

        def answer(picking):
            picking.qms_inspection_id.with_user(inspector).line_ids.write(
                {"result": "pass"}
            )

        def sign(picking):
            inspection = picking.qms_inspection_id
            inspection.with_user(keeper).write({"keeper_signature": SIGNATURE})
            inspection.with_user(inspector).write({"inspector_signature": SIGNATURE})

        buyer = env["res.partner"].create(
            {"name": "Stress Buyer 压力测试买方", "is_company": True}
        )
        # A: orders in review, half general, half special (a product in development)
        general = product("STRESS-GEN", tracking="none")
        special = product("STRESS-NEW", tracking="none", qms_new_development=True)
        # a product sold before is no new product: one confirmed order of it
        paper = env["sale.order"].create(
            {
                "partner_id": buyer.id,
                "order_line": [
                    (0, 0, {"product_id": general.id, "product_uom_qty": 1})
                ],
            }
        )
        paper._qms_record_paper_review("stress: product sold before")
        paper.action_confirm()
        rounds = []
        for i in range(N_ROUNDS):
            prod = special if i % 2 else general
            order = (
                env["sale.order"]
                .with_user(sales)
                .create(
                    {
                        "partner_id": buyer.id,
                        "user_id": sales.id,
                        "client_order_ref": f"STRESS-{i:02d}",
                        "order_line": [
                            (0, 0, {"product_id": prod.id, "product_uom_qty": 2})
                        ],
                    }
                )
            )
            order.with_user(sales).action_qms_request_review()
            review = order.qms_review_id
            rounds.append(
                {
                    "review": review.id,
                    "type": review.contract_type,
                    "lines": [
                        {
                            "id": line.id,
                            "department": line.department_id.code,
                            "final": line.is_final,
                            "reviewers": line.reviewer_ids.mapped("login"),
                        }
                        for line in review.line_ids
                    ],
                }
            )
        lap("A: orders in review")
        # B: deliveries inspected, to sign and validate
        prod_b = product("STRESS-B")
        sign_pickings = []
        for i in range(N_SIGN):
            lot(prod_b, f"STRESS-B-{i:02d}", 10)
            picking = delivery(buyer, [(prod_b, 10)])
            answer(picking)
            sign_pickings.append(
                {"picking": picking.id, "inspection": picking.qms_inspection_id.id}
            )
        lap("B: inspections")
        # C1: lots two inspectors decide at once
        prod_c = product("STRESS-C")
        status_lots = [
            lot(prod_c, f"STRESS-C-{i:02d}", 5).id for i in range(N_LOT_RACES)
        ]
        # C2: one lot per product, its delivery waiting for stock
        reserve = []
        for i in range(N_RESERVE_RACES):
            prod = product(f"STRESS-R{i:02d}")
            picking = delivery(buyer, [(prod, 10)], assign=False)
            reserve.append(
                {"picking": picking.id, "lot": lot(prod, f"STRESS-R{i:02d}-L", 10).id}
            )
        # C3: signed deliveries whose lot an inspector blocks while they leave
        validate = []
        for i in range(N_VALIDATE_RACES):
            prod = product(f"STRESS-V{i:02d}")
            lot_ = lot(prod, f"STRESS-V{i:02d}-L", 10)
            picking = delivery(buyer, [(prod, 10)])
            answer(picking)
            sign(picking)
            validate.append({"picking": picking.id, "lot": lot_.id})
        lap("C: lots and deliveries")
        # D: portal customers with a delivered lot each
        prod_d = product("STRESS-D")
        portal_group = ref("base.group_portal")
        portal = []
        for i in range(N_PORTAL):
            company_partner = env["res.partner"].create(
                {"name": f"Stress Customer {i:02d} 压力测试客户", "is_company": True}
            )
            contact = env["res.partner"].create(
                {
                    "name": f"Stress Buyer {i:02d}",
                    "parent_id": company_partner.id,
                    "email": f"stress{i}@example.com",
                }
            )
            login = f"stress_portal{i:02d}"
            env["res.users"].with_context(no_reset_password=True).create(
                {
                    "login": login,
                    "password": login,
                    "partner_id": contact.id,
                    "groups_id": [(6, 0, portal_group.ids)],
                    "company_id": company.id,
                    "company_ids": [(6, 0, company.ids)],
                }
            )
            lot(prod_d, f"STRESS-D-{i:02d}", 10)
            picking = delivery(company_partner, [(prod_d, 10)])
            answer(picking)
            sign(picking)
            picking.with_user(keeper).with_context(skip_sms=True).button_validate()
            ml = picking.move_line_ids[:1]
            portal.append(
                {
                    "login": login,
                    "partner": company_partner.id,
                    "picking": picking.id,
                    "product": prod_d.id,
                    "lot": ml.lot_id.id,
                }
            )
        lap("D: portal customers and their deliveries")
        # E: more rounds for the load under the PostgreSQL restart
        restart_rounds = []
        for i in range(10):
            order = (
                env["sale.order"]
                .with_user(sales)
                .create(
                    {
                        "partner_id": buyer.id,
                        "user_id": sales.id,
                        "client_order_ref": f"STRESS-PG-{i:02d}",
                        "order_line": [
                            (0, 0, {"product_id": general.id, "product_uom_qty": 3})
                        ],
                    }
                )
            )
            order.with_user(sales).action_qms_request_review()
            review = order.qms_review_id
            restart_rounds.append(
                {
                    "review": review.id,
                    "type": review.contract_type,
                    "lines": [
                        {
                            "id": x.id,
                            "department": x.department_id.code,
                            "final": x.is_final,
                            "reviewers": x.reviewer_ids.mapped("login"),
                        }
                        for x in review.line_ids
                    ],
                }
            )
        restart_sign = []
        for i in range(10):
            lot(prod_b, f"STRESS-PG-{i:02d}", 10)
            picking = delivery(buyer, [(prod_b, 10)])
            answer(picking)
            restart_sign.append(
                {"picking": picking.id, "inspection": picking.qms_inspection_id.id}
            )
        lap("E: rounds and inspections")
        # F: heavy deliveries (40 lines) to validate under a killed worker
        kill_products = [
            product(f"STRESS-K{i:02d}", tracking="none") for i in range(KILL_LINES)
        ]
        for prod in kill_products:
            env["stock.quant"]._update_available_quantity(prod, stock, 1000)
        kill = []
        for _i in range(N_KILL):
            picking = delivery(buyer, [(p, 1) for p in kill_products])
            answer(picking)
            sign(picking)
            kill.append({"picking": picking.id})
        lap("F: heavy deliveries")
        cr.commit()
        return {
            "rounds": rounds,
            "sign": sign_pickings,
            "status_lots": status_lots,
            "reserve": reserve,
            "validate": validate,
            "portal": portal,
            "services": ["service"] + [u.login for u in services],
            "inspector2": inspector2.login,
            "sales2": sales2.login,
            "restart_rounds": restart_rounds,
            "restart_sign": restart_sign,
            "kill": kill,
            "buyer": buyer.id,
        }


# ====================================================================== server
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """Odoo with 4 workers on 127.0.0.1, its log in a file."""

    def __init__(self, odoo, conf, db, log):
        self.cmd_base = [
            sys.executable,
            os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin"),
            "-c",
            conf,
            "-d",
            db,
            f"--db-filter=^{db}$",
            "--http-interface=127.0.0.1",
            "--workers=4",
            "--max-cron-threads=0",
            "--limit-time-real=600",
            "--limit-time-cpu=600",
            "--log-level=warn",
            "--log-handler=odoo.service.model:INFO",
            f"--logfile={log}",
        ]
        self.db, self.log, self.proc = db, log, None

    def start(self):
        self.port = free_port()
        cmd = [
            *self.cmd_base,
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
        ]
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 180
        while True:
            try:
                xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common").version()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Odoo did not start, see {self.log}") from None
                time.sleep(0.5)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log_size(self):
        try:
            return os.path.getsize(self.log)
        except OSError:
            return 0

    def log_between(self, start, end):
        with open(self.log, encoding="utf-8", errors="replace") as f:
            f.seek(start)
            return f.read(max(0, end - start))

    def http_workers(self):
        children = psutil.Process(self.proc.pid).children()
        # the long-polling process runs `odoo-bin gevent ...`
        return [p for p in children if "gevent" not in p.cmdline()[:3]]


# ====================================================================== clients
PASSWORDS = {"qms_manager": "qms", "admin": "admin"}


def password(login):
    return PASSWORDS.get(login, login)


class OneTryTransport(xmlrpc.client.Transport):
    """One try per call. xmlrpc.client sends a call again, once, when the
    connection drops (meant for stale keep-alive connections): a call whose
    worker died would be replayed unseen, and counted as a success."""

    def request(self, host, handler, request_body, verbose=False):
        return self.single_request(host, handler, request_body, verbose)


class TrackedTransport(OneTryTransport):
    """Remembers the local port of its connection: the worker serving the
    call holds the other end."""

    local_port = None

    def send_request(self, host, handler, request_body, debug):
        connection = super().send_request(host, handler, request_body, debug)
        with contextlib.suppress(OSError, AttributeError):
            self.local_port = connection.sock.getsockname()[1]
        return connection


class Rpc:
    """XML-RPC as a given user; a new connection per call (no keep-alive
    pinning a user to one worker)."""

    def __init__(self, url, db):
        self.url, self.db, self.uids, self.lock = url, db, {}, threading.Lock()

    def uid(self, login):
        with self.lock:
            if login not in self.uids:
                common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
                uid = common.authenticate(self.db, login, password(login), {})
                if not uid:
                    raise RuntimeError(f"{login} cannot log in")
                self.uids[login] = uid
            return self.uids[login]

    def __call__(self, login, model, method, *args, **kw):
        return self.with_transport(None, login, model, method, *args, **kw)

    def with_transport(self, transport, login, model, method, *args, **kw):
        kw.setdefault("context", CTX)
        proxy = xmlrpc.client.ServerProxy(
            f"{self.url}/xmlrpc/2/object",
            allow_none=True,
            transport=transport or OneTryTransport(),
        )
        return proxy.execute_kw(
            self.db, self.uid(login), password(login), model, method, list(args), kw
        )


class Portal:
    """A portal customer in a browser session: log in, open the claim form,
    file claims (/my/claims/new, with its CSRF token)."""

    def __init__(self, url, login):
        self.url, self.login, self.session = url, login, requests.Session()

    def open(self):
        page = self.session.get(f"{self.url}/web/login", timeout=120)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        self.session.post(
            f"{self.url}/web/login",
            data={
                "login": self.login,
                "password": self.login,
                "csrf_token": csrf,
                "redirect": "/my",
            },
            timeout=120,
        )
        form = self.session.get(f"{self.url}/my/claims/new", timeout=120)
        self.csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        self.move_line = re.search(r'<option value="(\d+)"', form.text).group(1)

    def file_claim(self, description):
        response = self.session.post(
            f"{self.url}/my/claims/new",
            data={
                "csrf_token": self.csrf,
                "move_line_id": self.move_line,
                "claim_type": "complaint",
                "quantity": "1",
                "description": description,
            },
            timeout=300,
        )
        if response.status_code != 200 or not re.search(
            r"/my/claims/\d+", response.url
        ):
            error = re.search(r"alert-danger[^>]*>\s*(.*?)\s*<", response.text, re.S)
            raise PortalError(
                f"HTTP {response.status_code}: "
                + (error.group(1) if error else response.text[-300:])
            )
        return int(re.search(r"/my/claims/(\d+)", response.url).group(1))


class PortalError(Exception):
    pass


# ====================================================================== scenarios
def refusal_label(message):
    for pattern, label in REFUSALS:
        if re.search(pattern, message):
            return label
    return None


def last_line(text):
    lines = [x for x in str(text).strip().splitlines() if x.strip()]
    return lines[-1][:300] if lines else str(text)[:300]


class Scenario:
    """Counts of one scenario: operations, refusals, failures, Odoo's retries."""

    def __init__(self, name, server):
        self.name, self.server = name, server
        self.ops = self.ok = self.outage_errors = self.reply_lost = 0
        self.refusals = collections.Counter()
        self.failures = []
        self.lock = threading.Lock()

    def __enter__(self):
        self.start, self.log_start = time.monotonic(), self.server.log_size()
        return self

    def __exit__(self, *exc):
        self.seconds = time.monotonic() - self.start
        time.sleep(0.2)  # the last log lines of the workers
        log = self.server.log_between(self.log_start, self.server.log_size())
        self.retries = collections.Counter(m.group(1) for m in RETRY_LINE.finditer(log))
        self.max_tries = len(MAX_TRIES_LINE.findall(log))
        # sql_db logs each serialization failure as a bad query before Odoo
        # retries it: those are counted as retries, not errors
        self.errors = len(
            re.findall(r"^\S+ \S+ \d+ ERROR \S+ (?!odoo\.sql_db: bad query)", log, re.M)
        )
        return False

    def attempt(self, func, outage=False):
        """Run one user operation: (True, result), (False, refusal label) or
        (False, None) for a failure."""
        with self.lock:
            self.ops += 1
        try:
            result = func()
        except xmlrpc.client.Fault as exc:
            label = refusal_label(exc.faultString)
            if label:
                with self.lock:
                    self.refusals[label] += 1
                return False, label
            return self._failed(last_line(exc.faultString), outage)
        except PortalError as exc:
            label = refusal_label(str(exc))
            if label:
                with self.lock:
                    self.refusals[label] += 1
                return False, label
            return self._failed(str(exc), outage)
        except (
            OSError,
            http.client.HTTPException,
            xmlrpc.client.ProtocolError,
            requests.RequestException,
        ) as exc:
            return self._failed(f"{type(exc).__name__}: {exc}"[:300], outage)
        with self.lock:
            self.ok += 1
        return True, result

    def _failed(self, text, outage):
        with self.lock:
            if outage:
                self.outage_errors += 1
            else:
                self.failures.append(text)
        return False, None

    def attempt_until(self, func, done, deadline=180):
        """A user who meets an error waits until the server answers again,
        looks whether the failed try took effect after all (`done()`, the
        reply was lost), and else tries again."""
        end = time.monotonic() + deadline
        while True:
            ok, result = self.attempt(func, outage=True)
            if ok or result is not None:
                return ok, result
            effect = None
            while effect is None and time.monotonic() < end:
                time.sleep(1.0)
                with contextlib.suppress(Exception):
                    effect = bool(done())
            if effect:
                with self.lock:
                    self.reply_lost += 1
                return True, None
            if time.monotonic() > end:
                with self.lock:
                    self.failures.append("gave up after the outage")
                return False, None

    def summary(self):
        return {
            "name": self.name,
            "operations": self.ops,
            "ok": self.ok,
            "seconds": round(self.seconds, 1),
            "ops_per_second": round(self.ops / self.seconds, 1) if self.seconds else 0,
            "conflicts_retried": dict(self.retries),
            "max_tries_reached": self.max_tries,
            "refusals": dict(self.refusals),
            "failures": len(self.failures),
            "failure_samples": self.failures[:5],
            "outage_errors": self.outage_errors,
            "committed_reply_lost": self.reply_lost,
            "server_errors_logged": self.errors,
        }


def together(tasks, timeout=300):
    """Start the callables at the same moment (a barrier), wait for all."""
    barrier = threading.Barrier(len(tasks))
    results = [None] * len(tasks)

    def run(i, func):
        try:
            barrier.wait(timeout=timeout)
        except threading.BrokenBarrierError:
            pass
        results[i] = func()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(tasks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def in_batches(items, size):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def round_tasks(rpc, sc, rnd, retry=False):
    """The reviewers of a round, each approving their line: 8 per round."""
    tasks = []
    for line in rnd["lines"]:
        reviewers = line["reviewers"]
        if rnd["type"] == "special":
            # 8 reviewers: one per department, the general manager included
            reviewers = [r for r in reviewers if not r.startswith("stress_")]
        for login in reviewers:
            tasks.append((login, line))

    def approve(login, line):
        def call():
            return rpc(
                login, "qms.contract.review.line", "action_approve", [line["id"]]
            )

        def done():
            [state] = rpc(
                "admin", "qms.contract.review.line", "read", [line["id"]], ["state"]
            )
            return state["state"] != "pending"

        def run():
            ok, result = sc.attempt_until(call, done) if retry else sc.attempt(call)
            if not ok and result == REFUSALS[1][1]:
                # the general manager signs once the others have approved
                end = time.monotonic() + 600
                while time.monotonic() < end:
                    time.sleep(0.5)
                    with contextlib.suppress(Exception):
                        if not rpc(
                            "admin",
                            "qms.contract.review.line",
                            "search_count",
                            [
                                ("review_id", "=", rnd["review"]),
                                ("is_final", "=", False),
                                ("state", "!=", "approved"),
                            ],
                        ):
                            break
                ok, result = sc.attempt_until(call, done) if retry else sc.attempt(call)
            return ok

        return run

    return [approve(login, line) for login, line in tasks]


def scenario_reviews(rpc, server, data):
    with Scenario("A. 8 reviewers approve one round at once (50 rounds)", server) as sc:
        for batch in in_batches(data["rounds"], PARALLEL_ROUNDS):
            tasks = [round_tasks(rpc, sc, rnd) for rnd in batch]
            threads = [threading.Thread(target=together, args=(t,)) for t in tasks]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    return sc


def sign_tasks(rpc, sc, item, retry=False):
    def signer(login, field):
        def call():
            return rpc(
                login,
                "qms.delivery.inspection",
                "write",
                [item["inspection"]],
                {field: SIGNATURE},
            )

        def done():
            [row] = rpc(
                "admin",
                "qms.delivery.inspection",
                "read",
                [item["inspection"]],
                [field.replace("_signature", "_id")],
            )
            return bool(row[field.replace("_signature", "_id")])

        return (
            (lambda: sc.attempt_until(call, done))
            if retry
            else (lambda: sc.attempt(call))
        )

    return [
        signer("keeper", "keeper_signature"),
        signer("inspector", "inspector_signature"),
    ]


def validate_tasks(rpc, sc, picking, logins, retry=False):
    def validator(login):
        def call():
            result = rpc(login, "stock.picking", "button_validate", [picking])
            if result is not True:
                raise PortalError(f"button_validate asked: {result}")
            return result

        def done():
            [row] = rpc("admin", "stock.picking", "read", [picking], ["state"])
            return row["state"] == "done"

        return (
            (lambda: sc.attempt_until(call, done))
            if retry
            else (lambda: sc.attempt(call))
        )

    return [validator(login) for login in logins]


def scenario_inspections(rpc, server, data):
    with Scenario(
        "B. keeper and inspector sign one inspection at once, two users validate",
        server,
    ) as sc:
        for batch in in_batches(data["sign"], 5):
            threads = [
                threading.Thread(target=together, args=(sign_tasks(rpc, sc, item),))
                for item in batch
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            threads = [
                threading.Thread(
                    target=together,
                    args=(
                        validate_tasks(
                            rpc, sc, item["picking"], ["keeper", "qms_manager"]
                        ),
                    ),
                )
                for item in batch
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    return sc


def set_status(rpc, sc, login, lot, status, reason):  # noqa: PLR0917
    return lambda: sc.attempt(
        lambda: rpc(login, "stock.lot", "action_qms_set_status", [lot], status, reason)
    )


def scenario_lots(rpc, server, data):
    inspector2 = data["inspector2"]
    with Scenario("C1. two inspectors set the status of one lot at once", server) as c1:
        for batch in in_batches(data["status_lots"], 10):
            threads = [
                threading.Thread(
                    target=together,
                    args=(
                        [
                            set_status(
                                rpc,
                                c1,
                                "inspector",
                                lot,
                                "pending_disposition",
                                "stress: seams open",
                            ),
                            set_status(
                                rpc,
                                c1,
                                inspector2,
                                lot,
                                "nonconforming",
                                "stress: resistance too high",
                            ),
                        ],
                    ),
                )
                for lot in batch
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    with Scenario(
        "C2. a keeper reserves a lot while an inspector blocks it", server
    ) as c2:
        for batch in in_batches(data["reserve"], 10):
            threads = [
                threading.Thread(
                    target=together,
                    args=(
                        [
                            lambda item=item: c2.attempt(
                                lambda: rpc(
                                    "keeper",
                                    "stock.picking",
                                    "action_assign",
                                    [item["picking"]],
                                )
                            ),
                            set_status(
                                rpc,
                                c2,
                                "inspector",
                                item["lot"],
                                "nonconforming",
                                "stress: blocked while reserved",
                            ),
                        ],
                    ),
                )
                for item in batch
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    with Scenario(
        "C3. a keeper validates while an inspector blocks the lot", server
    ) as c3:
        for batch in in_batches(data["validate"], 5):
            threads = [
                threading.Thread(
                    target=together,
                    args=(
                        [
                            validate_tasks(rpc, c3, item["picking"], ["keeper"])[0],
                            set_status(
                                rpc,
                                c3,
                                inspector2,
                                item["lot"],
                                "pending_disposition",
                                "stress: blocked while validated",
                            ),
                        ],
                    ),
                )
                for item in batch
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    return [c1, c2, c3]


def scenario_claims(rpc, server, data, token):
    portals = [Portal(server.url, item["login"]) for item in data["portal"]]
    with ThreadPoolExecutor(10) as pool:
        list(pool.map(lambda p: p.open(), portals))
    by_partner = data["portal"]
    with Scenario(
        "D. 20 portal customers and 5 customer-service users file claims at once",
        server,
    ) as sc:

        def portal_task(portal):
            def run():
                for n in range(2):
                    sc.attempt(
                        lambda n=n: portal.file_claim(
                            f"{token} portal {portal.login} #{n}: 缝线开裂, seams open"
                        )
                    )

            return run

        def service_task(login, k):
            def run():
                for n in range(4):
                    item = by_partner[(k * 4 + n) % len(by_partner)]
                    sc.attempt(
                        lambda item=item, n=n: rpc(
                            login,
                            "qms.claim",
                            "create",
                            {
                                "partner_id": item["partner"],
                                "picking_id": item["picking"],
                                "claim_type": "return",
                                "channel": "phone",
                                "description": f"{token} service {login} #{n}: 防静电性能下降",
                                "line_ids": [
                                    (
                                        0,
                                        0,
                                        {
                                            "product_id": item["product"],
                                            "lot_id": item["lot"],
                                            "quantity": 1,
                                        },
                                    )
                                ],
                            },
                        )
                    )

            return run

        together(
            [portal_task(p) for p in portals]
            + [service_task(login, k) for k, login in enumerate(data["services"])]
        )
    return sc


# ====================================================================== faults
def pg_restart_command(args):
    if not args.pgdata:
        return None
    cmd = [
        os.path.join(args.pg_bindir, "pg_ctl") if args.pg_bindir else "pg_ctl",
        "-D",
        args.pgdata,
        "-l",
        os.path.join(os.path.dirname(args.pgdata.rstrip("/")), "postgresql.log"),
        "-w",
        "-t",
        "120",
        "-m",
        "fast",
        "restart",
    ]
    if args.pg_user and args.pg_user != psutil.Process().username():
        cmd = ["runuser", "-u", args.pg_user, "--", *cmd]
    return cmd


def fault_pg_restart(rpc, server, data, restart_cmd, token):
    """A mixed load (approvals, signatures and validations, claims); PostgreSQL
    restarted in its middle. Users who meet an error try again."""
    info = {}
    with Scenario(
        "E. PostgreSQL restarted (pg_ctl restart -m fast) during a mixed load", server
    ) as sc:

        def rounds():
            threads = []
            for rnd in data["restart_rounds"]:
                t = threading.Thread(
                    target=together, args=(round_tasks(rpc, sc, rnd, retry=True),)
                )
                t.start()
                threads.append(t)
                time.sleep(0.5)
            for t in threads:
                t.join()

        def deliveries():
            for item in data["restart_sign"]:
                together(sign_tasks(rpc, sc, item, retry=True))
                together(
                    validate_tasks(rpc, sc, item["picking"], ["keeper"], retry=True)
                )

        def claims(login):
            item = data["portal"][0]
            for n in range(8):
                description = f"{token} restart {login} #{n}"

                def call(description=description):
                    return rpc(
                        login,
                        "qms.claim",
                        "create",
                        {
                            "partner_id": item["partner"],
                            "picking_id": item["picking"],
                            "description": description,
                            "line_ids": [
                                (
                                    0,
                                    0,
                                    {
                                        "product_id": item["product"],
                                        "lot_id": item["lot"],
                                        "quantity": 1,
                                    },
                                )
                            ],
                        },
                    )

                def done(description=description):
                    return rpc(
                        "admin",
                        "qms.claim",
                        "search_count",
                        [("description", "ilike", description)],
                    )

                ok, _result = sc.attempt_until(call, done)
                if ok:
                    with sc.lock:
                        info["claims_ok"] = info.get("claims_ok", 0) + 1
                time.sleep(0.3)

        def restart():
            time.sleep(4)
            start = time.monotonic()
            result = subprocess.run(
                restart_cmd, capture_output=True, text=True, check=False
            )
            info["restart_seconds"] = round(time.monotonic() - start, 1)
            info["restart_rc"] = result.returncode
            if result.returncode:
                info["restart_error"] = (result.stdout + result.stderr)[-500:]

        threads = [threading.Thread(target=f) for f in (rounds, deliveries, restart)]
        threads += [
            threading.Thread(target=claims, args=(login,))
            for login in data["services"][:3]
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    sc.info = info
    return sc


def tcp_connections(process):
    with contextlib.suppress(psutil.Error):
        method = getattr(process, "net_connections", None) or process.connections
        return method(kind="tcp")
    return []


def worker_serving(server, client_port):
    for worker in server.http_workers():
        for conn in tcp_connections(worker):
            if conn.raddr and conn.raddr.port == client_port:
                return worker
    return None


def fault_kill_worker(rpc, server, data, dsn):
    """Validate heavy deliveries (40 lines); SIGKILL the worker serving the
    call once its database transaction has begun writing, after a delay
    that differs per delivery."""
    # the last one comes after the validation committed: its worker is killed
    # idle, the user has their answer
    delays = [0.0, 0.2, 0.5, 1.0, 2.0, 120.0]
    trials = []
    with Scenario("F. the worker serving a validation killed (SIGKILL)", server) as sc:
        for item, delay in zip(data["kill"], delays, strict=False):
            trial = {"picking": item["picking"], "delay": delay, "killed": False}
            transport = TrackedTransport()
            stop = threading.Event()

            def monitor(trial=trial, delay=delay, stop=stop, transport=transport):
                conn = psycopg2.connect(**dsn)
                conn.autocommit = True
                cur = conn.cursor()
                try:
                    worker = None
                    while not stop.is_set() and not worker:
                        if transport.local_port:
                            worker = worker_serving(server, transport.local_port)
                        time.sleep(0.002)
                    backend = None
                    while worker and not stop.is_set() and not backend:
                        # its database connection holds a transaction id once
                        # it has begun writing
                        ports = [
                            c.laddr.port
                            for c in tcp_connections(worker)
                            if c.raddr and c.raddr.port == int(dsn["port"] or 5432)
                        ]
                        cur.execute(
                            """SELECT pid FROM pg_stat_activity
                                WHERE client_port = ANY(%s) AND backend_xid IS NOT NULL""",
                            [ports],
                        )
                        backend = cur.fetchone()
                        time.sleep(0.002)
                    if not backend:
                        return
                    stop.wait(delay)
                    cur.execute(
                        "SELECT backend_xid IS NOT NULL FROM pg_stat_activity WHERE pid = %s",
                        [backend[0]],
                    )
                    still = cur.fetchone()
                    os.kill(worker.pid, 9)
                    trial["killed"] = True
                    trial["in_transaction"] = bool(still and still[0])
                finally:
                    conn.close()

            watcher = threading.Thread(target=monitor)
            watcher.start()
            ok, _result = sc.attempt(
                lambda item=item, transport=transport: rpc.with_transport(
                    transport,
                    "keeper",
                    "stock.picking",
                    "button_validate",
                    [item["picking"]],
                ),
                outage=True,
            )
            stop.set()
            watcher.join()
            trial["first_call_ok"] = ok
            time.sleep(1)
            trial["after_kill"] = picking_moves(dsn, item["picking"])
            # the keeper validates again once the server answers
            sc.attempt_until(
                lambda item=item: rpc(
                    "keeper", "stock.picking", "button_validate", [item["picking"]]
                ),
                lambda item=item: (
                    picking_moves(dsn, item["picking"])["state"] == "done"
                ),
            )
            trial["final"] = picking_moves(dsn, item["picking"])
            trials.append(trial)

    def whole(moves, state):
        return moves["done_moves"] == moves["moves"] and state == "done"

    sc.info = {
        "validations": len(trials),
        "worker_killed_mid_transaction": sum(
            bool(t.get("in_transaction")) for t in trials
        ),
        "left_not_validated_at_all": sum(
            t["after_kill"]["done_moves"] == 0 and t["after_kill"]["state"] != "done"
            for t in trials
        ),
        "left_validated_with_all_moves": sum(
            whole(t["after_kill"], t["after_kill"]["state"]) for t in trials
        ),
        "validated_once_in_the_end": sum(
            whole(t["final"], t["final"]["state"]) for t in trials
        ),
    }
    sc.info["left_half_validated"] = (
        len(trials)
        - sc.info["left_not_validated_at_all"]
        - sc.info["left_validated_with_all_moves"]
    )
    sc.trials = trials
    return sc


def picking_moves(dsn, picking):
    with contextlib.closing(psycopg2.connect(**dsn)) as conn, conn.cursor() as cur:
        cur.execute(
            """SELECT p.state, count(m.id), count(m.id) FILTER (WHERE m.state = 'done'),
                      (SELECT count(*) FROM stock_move_line ml WHERE ml.picking_id = p.id AND ml.state = 'done')
                 FROM stock_picking p JOIN stock_move m ON m.picking_id = p.id
                WHERE p.id = %s GROUP BY p.id, p.state""",
            [picking],
        )
        state, moves, done, done_lines = cur.fetchone()
    return {
        "state": state,
        "moves": moves,
        "done_moves": done,
        "done_lines": done_lines,
    }


# ====================================================================== checks
def consistency(dsn, data, baseline, outcomes):
    """[(check, violations, detail)] read in SQL from the database."""
    checks = []
    conn = psycopg2.connect(**dsn)
    cur = conn.cursor()

    def check(name, sql, params=None, detail=lambda rows: rows[:5]):
        cur.execute(sql, params or {})
        rows = cur.fetchall()
        checks.append((name, len(rows), detail(rows) if rows else ""))

    reviews = outcomes["reviews"]
    params = {"reviews": reviews, "baseline": baseline["message"]}
    check(
        "every review decision recorded exactly once (its line and one chatter line by its reviewer)",
        """SELECT l.id, l.state, count(m.id)
             FROM qms_contract_review_line l
             JOIN res_users u ON u.id = l.decided_by
             LEFT JOIN mail_message m
                    ON m.model = 'qms.contract.review' AND m.res_id = l.review_id
                   AND m.author_id = u.partner_id AND m.id > %(baseline)s
                   AND m.body::text LIKE '%%approved by%%'
            WHERE l.review_id = ANY(%(reviews)s)
            GROUP BY l.id, l.state
           HAVING count(m.id) <> 1 OR l.state <> 'approved'""",
        params,
    )
    check(
        "no decision recorded for a reviewer who decided no line",
        """SELECT m.res_id, m.author_id FROM mail_message m
            WHERE m.model = 'qms.contract.review' AND m.res_id = ANY(%(reviews)s)
              AND m.id > %(baseline)s AND m.body::text LIKE '%%approved by%%'
              AND m.author_id NOT IN (
                  SELECT u.partner_id FROM qms_contract_review_line l
                    JOIN res_users u ON u.id = l.decided_by WHERE l.review_id = m.res_id)""",
        params,
    )
    check(
        "undecided review lines (every line of the stress rounds was approved)",
        """SELECT id FROM qms_contract_review_line
            WHERE review_id = ANY(%(reviews)s) AND (decided_by IS NULL OR decided_on IS NULL)""",
        params,
    )
    check(
        "each round's state is what its lines say (and its order's review state)",
        """SELECT r.id, r.state, o.qms_review_state, array_agg(DISTINCT l.state)
             FROM qms_contract_review r
             JOIN sale_order o ON o.id = r.order_id
             JOIN qms_contract_review_line l ON l.review_id = r.id
            GROUP BY r.id, r.state, o.qms_review_state, o.qms_review_id
           HAVING r.state IN ('pending', 'approved', 'rejected') AND (
                  r.state <> CASE WHEN bool_or(l.state = 'rejected') THEN 'rejected'
                                  WHEN bool_and(l.state = 'approved') THEN 'approved'
                                  ELSE 'pending' END
               OR (o.qms_review_id = r.id AND o.qms_review_state <> r.state)
               OR bool_or(l.review_state IS DISTINCT FROM r.state)
               OR bool_or(l.waiting AND l.state <> 'pending'))""",
    )
    check(
        "duplicate document numbers (claims, inspections, releases, rounds, orders, transfers)",
        """SELECT 'qms.claim', name, count(*) FROM qms_claim GROUP BY name HAVING count(*) > 1
           UNION ALL SELECT 'qms.delivery.inspection', name, count(*) FROM qms_delivery_inspection GROUP BY name HAVING count(*) > 1
           UNION ALL SELECT 'qms.delivery.release', name, count(*) FROM qms_delivery_release WHERE name <> '/' GROUP BY name HAVING count(*) > 1
           UNION ALL SELECT 'qms.contract.review', name, count(*) FROM qms_contract_review GROUP BY name HAVING count(*) > 1
           UNION ALL SELECT 'sale.order', name, count(*) FROM sale_order GROUP BY name HAVING count(*) > 1
           UNION ALL SELECT 'stock.picking', name, count(*) FROM stock_picking GROUP BY name, company_id HAVING count(*) > 1""",
    )
    check(
        "deliveries validated without both signatures on a passed inspection (or an approved release)",
        """SELECT p.id, p.name FROM stock_picking p
             JOIN stock_picking_type t ON t.id = p.picking_type_id
             LEFT JOIN qms_delivery_inspection i ON i.picking_id = p.id
            WHERE p.state = 'done' AND t.code = 'outgoing' AND t.qms_inspection_required
              AND NOT (i.keeper_id IS NOT NULL AND i.inspector_id IS NOT NULL AND i.result = 'passed')
              AND NOT EXISTS (SELECT 1 FROM qms_delivery_release r
                               WHERE r.picking_id = p.id AND r.state = 'approved')""",
    )
    check(
        "lots shipped to a customer while not qualified (status when the line was done)",
        """SELECT ml.id, lot.name, st.new_status FROM stock_move_line ml
             JOIN stock_lot lot ON lot.id = ml.lot_id
             JOIN stock_location d ON d.id = ml.location_dest_id
             JOIN stock_location s ON s.id = ml.location_id
             LEFT JOIN LATERAL (
                  SELECT g.new_status FROM qms_lot_status_log g
                   WHERE g.lot_id = ml.lot_id
                     AND (g.date < ml.date OR (g.date = ml.date AND g.xmin::text::bigint < ml.xmin::text::bigint))
                   ORDER BY g.date DESC, g.id DESC LIMIT 1) st ON TRUE
            WHERE ml.state = 'done' AND d.usage = 'customer' AND s.usage <> 'customer'
              AND COALESCE(st.new_status, 'qualified') <> 'qualified'
              AND NOT EXISTS (SELECT 1 FROM qms_delivery_release r
                               WHERE r.picking_id = ml.picking_id AND r.state = 'approved')""",
    )
    check(
        "blocked lots still reserved on a customer delivery",
        """SELECT ml.id, p.name, lot.name, lot.qms_status FROM stock_move_line ml
             JOIN stock_lot lot ON lot.id = ml.lot_id
             JOIN stock_move m ON m.id = ml.move_id
             JOIN stock_location d ON d.id = m.location_dest_id
             LEFT JOIN stock_picking p ON p.id = ml.picking_id
            WHERE ml.state NOT IN ('done', 'cancel') AND ml.quantity > 0
              AND lot.qms_status IN ('nonconforming', 'pending_disposition')
              AND d.usage = 'customer'
              AND NOT EXISTS (SELECT 1 FROM qms_delivery_release r
                               WHERE r.picking_id = ml.picking_id AND r.state = 'approved')""",
    )
    check(
        "half-written signatures (signer, time and image together; result and completion agree)",
        """SELECT i.id, i.name FROM qms_delivery_inspection i
            WHERE (i.keeper_id IS NULL) <> (i.keeper_signed_on IS NULL)
               OR (i.inspector_id IS NULL) <> (i.inspector_signed_on IS NULL)
               OR (i.keeper_id IS NULL) <> NOT EXISTS (
                    SELECT 1 FROM ir_attachment a WHERE a.res_model = 'qms.delivery.inspection'
                       AND a.res_field = 'keeper_signature' AND a.res_id = i.id)
               OR (i.inspector_id IS NULL) <> NOT EXISTS (
                    SELECT 1 FROM ir_attachment a WHERE a.res_model = 'qms.delivery.inspection'
                       AND a.res_field = 'inspector_signature' AND a.res_id = i.id)
               OR i.is_complete IS DISTINCT FROM (i.result = 'passed' AND i.keeper_id IS NOT NULL
                                                  AND i.inspector_id IS NOT NULL)""",
    )
    check(
        "signatures without their chatter line, inspection states the transfer does not show",
        """SELECT i.id, i.name, p.qms_inspection_state FROM qms_delivery_inspection i
             JOIN stock_picking p ON p.id = i.picking_id
            WHERE p.origin = 'stress' AND (
                  (i.keeper_id IS NOT NULL AND NOT EXISTS (
                      SELECT 1 FROM mail_message m JOIN res_users u ON u.partner_id = m.author_id
                       WHERE m.model = 'qms.delivery.inspection' AND m.res_id = i.id
                         AND u.id = i.keeper_id AND m.body::text LIKE '%%Signed as%%'))
               OR (i.inspector_id IS NOT NULL AND NOT EXISTS (
                      SELECT 1 FROM mail_message m JOIN res_users u ON u.partner_id = m.author_id
                       WHERE m.model = 'qms.delivery.inspection' AND m.res_id = i.id
                         AND u.id = i.inspector_id AND m.body::text LIKE '%%Signed as%%'))
               OR (p.qms_inspection_state = 'passed') <> i.is_complete)""",
    )
    check(
        "lot status changes without their log line, or a broken log chain",
        """SELECT lot.id, lot.name, lot.qms_status, last.new_status FROM stock_lot lot
             LEFT JOIN LATERAL (SELECT new_status FROM qms_lot_status_log g
                                 WHERE g.lot_id = lot.id ORDER BY g.id DESC LIMIT 1) last ON TRUE
            WHERE (last.new_status IS NOT NULL AND lot.qms_status <> last.new_status)
               OR (last.new_status IS NULL AND lot.qms_status <> 'qualified')
           UNION ALL
           SELECT g.lot_id, g.old_status, g.new_status, g.prev FROM (
                  SELECT lot_id, old_status, new_status,
                         lag(new_status) OVER (PARTITION BY lot_id ORDER BY id) AS prev
                    FROM qms_lot_status_log) g
            WHERE g.prev IS NOT NULL AND g.old_status IS DISTINCT FROM g.prev""",
    )
    check(
        "stock moved more or less than once (quantities of the stress products)",
        """SELECT pp.default_code,
                  sum(q.quantity) FILTER (WHERE l.usage = 'internal') AS in_stock,
                  sum(q.quantity) FILTER (WHERE l.usage = 'customer') AS at_customers,
                  (SELECT sum(ml.quantity) FROM stock_move_line ml
                     JOIN stock_location d ON d.id = ml.location_dest_id
                    WHERE ml.product_id = pp.id AND ml.state = 'done' AND d.usage = 'customer') AS shipped
             FROM stock_quant q JOIN product_product pp ON pp.id = q.product_id
             JOIN stock_location l ON l.id = q.location_id
            WHERE pp.default_code LIKE 'STRESS-%%'
            GROUP BY pp.id, pp.default_code
           HAVING sum(q.quantity) FILTER (WHERE l.usage = 'customer')
                  IS DISTINCT FROM (SELECT sum(ml.quantity) FROM stock_move_line ml
                     JOIN stock_location d ON d.id = ml.location_dest_id
                    WHERE ml.product_id = pp.id AND ml.state = 'done' AND d.usage = 'customer')""",
    )
    check(
        "transfers half validated (some moves done, some not)",
        """SELECT p.id, p.name, p.state FROM stock_picking p JOIN stock_move m ON m.picking_id = p.id
            WHERE p.origin = 'stress' GROUP BY p.id
           HAVING (p.state = 'done') <> bool_and(m.state IN ('done', 'cancel'))
               OR (p.state <> 'done' AND bool_or(m.state = 'done'))""",
    )
    check(
        "reserved quantities of the quants equal the open move lines (per product, place, lot)",
        """WITH q AS (SELECT product_id, location_id, lot_id, sum(reserved_quantity) AS reserved
                       FROM stock_quant GROUP BY product_id, location_id, lot_id),
                ml AS (SELECT product_id, location_id, lot_id, sum(quantity) AS reserved
                         FROM stock_move_line WHERE state NOT IN ('done', 'cancel')
                        GROUP BY product_id, location_id, lot_id)
           SELECT pp.default_code, q.location_id, q.lot_id, q.reserved, ml.reserved
             FROM q JOIN product_product pp ON pp.id = q.product_id
             JOIN stock_location l ON l.id = q.location_id
             LEFT JOIN ml ON ml.product_id = q.product_id AND ml.location_id = q.location_id
                         AND ml.lot_id IS NOT DISTINCT FROM q.lot_id
            WHERE pp.default_code LIKE 'STRESS-%%' AND l.usage = 'internal'
              AND round(q.reserved::numeric, 4) <> round(COALESCE(ml.reserved, 0)::numeric, 4)""",
    )
    check(
        "claims filed twice, or without their product line",
        """SELECT c.id, c.name, count(l.id) FROM qms_claim c
             LEFT JOIN qms_claim_line l ON l.claim_id = c.id
            WHERE c.description::text LIKE %(token)s
            GROUP BY c.id HAVING count(l.id) <> 1
           UNION ALL
           SELECT min(c.id), c.description::text, count(*) FROM qms_claim c
            WHERE c.description::text LIKE %(token)s
            GROUP BY c.description::text HAVING count(*) > 1""",
        {"token": f"%{outcomes['token']}%"},
    )
    cur.execute(
        "SELECT count(*) FROM qms_claim WHERE description::text LIKE %s",
        [f"%{outcomes['token']}%"],
    )
    filed = cur.fetchone()[0]
    expected = outcomes["claims_ok"]
    checks.append(
        (
            "claims in the database = claims the users were told were filed",
            0 if filed == expected else abs(filed - expected),
            ""
            if filed == expected
            else f"{filed} in the database, {expected} confirmed",
        )
    )
    conn.close()
    return checks


# ====================================================================== main
def report(scenarios, checks, prep_seconds, total_seconds):
    say("")
    say(
        f"{'scenario':<78} {'ops':>5} {'s':>6} {'ops/s':>6} {'retried':>7} {'refused':>7} {'failed':>6}"
    )
    for sc in scenarios:
        s = sc.summary()
        say(
            f"{s['name'][:78]:<78} {s['operations']:>5} {s['seconds']:>6} {s['ops_per_second']:>6}"
            f" {sum(s['conflicts_retried'].values()):>7} {sum(s['refusals'].values()):>7} {s['failures']:>6}"
        )
    total_ops = sum(sc.ops for sc in scenarios)
    busy = sum(sc.seconds for sc in scenarios)
    say(f"{'all scenarios':<78} {total_ops:>5} {busy:>6.1f} {total_ops / busy:>6.1f}")
    say("")
    say("Serialization conflicts retried by Odoo (its log), by scenario:")
    for sc in scenarios:
        s = sc.summary()
        if s["conflicts_retried"] or s["max_tries_reached"]:
            say(
                f"  {s['name'][:60]}: {s['conflicts_retried']}, maximum tries reached {s['max_tries_reached']}"
            )
    say("Refusals users met (documented):")
    refusals = collections.Counter()
    for sc in scenarios:
        refusals.update(sc.refusals)
    for label, count in refusals.most_common():
        say(f"  {count:4}  {label}")
    say("Failures users met:")
    for sc in scenarios:
        s = sc.summary()
        if s["failures"]:
            say(f"  {s['name'][:60]}: {s['failures']}: {s['failure_samples']}")
        if s["outage_errors"]:
            say(
                f"  {s['name'][:60]}: {s['outage_errors']} errors during the fault, retried by the user; {s['committed_reply_lost']} had taken effect (reply lost)"
            )
        if s["server_errors_logged"]:
            say(
                f"  {s['name'][:60]}: {s['server_errors_logged']} ERROR lines in the Odoo log"
            )
        if getattr(sc, "info", None):
            say(f"  {s['name'][:60]}: {json.dumps(sc.info)}")
    say("")
    say("Consistency (SQL, after the run):")
    for name, violations, detail in checks:
        say(
            f"  {'OK  ' if not violations else 'FAIL'}  {name}"
            + (f": {violations} {detail}" if violations else "")
        )
    say("")
    say(f"preparation {prep_seconds:.0f} s, whole run {total_seconds:.0f} s")


def main():  # noqa: PLR0915 - the run, step by step
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument(
        "--pgdata", help="data folder of the private cluster, for the restart fault"
    )
    parser.add_argument("--pg-bindir")
    parser.add_argument("--pg-user")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument(
        "--log", help="Odoo's log file (default: beside --json or in /tmp)"
    )
    args = parser.parse_args()
    started = time.monotonic()

    odoo = load_odoo(args.config, args.database)
    from odoo.tools import config  # noqa: PLC0415

    dsn = {
        "dbname": args.database,
        "host": config["db_host"] or None,
        "port": config["db_port"] or None,
        "user": config["db_user"] or None,
        "password": config["db_password"] or None,
    }
    with contextlib.closing(psycopg2.connect(**dsn)) as conn, conn.cursor() as cur:
        cur.execute("SELECT COALESCE(max(id), 0) FROM mail_message")
        baseline = {"message": cur.fetchone()[0]}
    say(f"preparing users, orders in review, deliveries and lots in {args.database}")
    data = prepare(odoo, args.database)
    prep_seconds = time.monotonic() - started
    say(
        f"prepared in {prep_seconds:.0f} s: {len(data['rounds'])} rounds, {len(data['sign'])} inspections, {len(data['portal'])} portal customers"
    )
    token = f"STRESS-{int(time.time())}"
    log = args.log or (
        os.path.splitext(args.json)[0] + ".odoo.log"
        if args.json
        else f"/tmp/stress-{args.database}.odoo.log"
    )
    with contextlib.suppress(FileNotFoundError):
        os.unlink(log)
    server = Server(odoo, args.config, args.database, log)
    server.start()
    say(f"Odoo serves {args.database} on {server.url} with 4 workers (log: {log})")
    scenarios = []
    restart_cmd = pg_restart_command(args)
    try:
        rpc = Rpc(server.url, args.database)
        logins = {
            "admin",
            "keeper",
            "inspector",
            "qms_manager",
            data["inspector2"],
            *data["services"],
        }
        for rnd in data["rounds"] + data["restart_rounds"]:
            for line in rnd["lines"]:
                logins.update(line["reviewers"])
        with ThreadPoolExecutor(8) as pool:  # every worker loads its registry now
            list(pool.map(rpc.uid, sorted(logins)))
        scenarios.append(scenario_reviews(rpc, server, data))
        scenarios.append(scenario_inspections(rpc, server, data))
        scenarios.extend(scenario_lots(rpc, server, data))
        scenarios.append(scenario_claims(rpc, server, data, token))
        for sc in scenarios:
            say(f"  done: {sc.name} ({sc.ops} operations, {sc.seconds:.0f} s)")
        if restart_cmd:
            scenarios.append(fault_pg_restart(rpc, server, data, restart_cmd, token))
        else:
            say("  PostgreSQL is not the private cluster (PG* set): no restart fault")
        scenarios.append(fault_kill_worker(rpc, server, data, dsn))
    finally:
        server.stop()
    claims_ok = sum(sc.ok for sc in scenarios if sc.name.startswith("D."))
    claims_ok += sum(
        getattr(sc, "info", {}).get("claims_ok", 0)
        for sc in scenarios
        if sc.name.startswith("E.")
    )
    reviews = [r["review"] for r in data["rounds"]]
    if restart_cmd:
        reviews += [r["review"] for r in data["restart_rounds"]]
    checks = consistency(
        dsn,
        data,
        baseline,
        {"token": token, "claims_ok": claims_ok, "reviews": reviews},
    )
    for sc in scenarios:
        if sc.name.startswith("E."):
            checks.append(
                (
                    "PostgreSQL was restarted in the middle of the load",
                    int(sc.info.get("restart_rc", 1) != 0),
                    sc.info.get("restart_error", ""),
                )
            )
        if sc.name.startswith("F."):
            checks.append(
                (
                    "each validation whose worker was killed: all of it or nothing",
                    sc.info["left_half_validated"],
                    "",
                )
            )
    total = time.monotonic() - started
    report(scenarios, checks, prep_seconds, total)
    failed = [c for c in checks if c[1]]
    user_failures = sum(len(sc.failures) for sc in scenarios)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(
                {
                    "scenarios": [
                        dict(
                            sc.summary(),
                            info=getattr(sc, "info", None),
                            trials=getattr(sc, "trials", None),
                        )
                        for sc in scenarios
                    ],
                    "checks": [
                        {"check": n, "violations": v, "detail": str(d)}
                        for n, v, d in checks
                    ],
                    "prep_seconds": round(prep_seconds),
                    "total_seconds": round(total),
                },
                f,
                indent=1,
            )
    sys.exit(1 if failed or user_failures else 0)


if __name__ == "__main__":
    main()
