"""Locust users playing the roles of the procedures against Odoo's web client
routes (JSON-RPC), on plain Odoo and on sales_qms.

Started by benchmarks/load/run_load.py with LOAD_DATA pointing at the JSON
written by prepare.py. Every user stops after MAX_TASKS tasks; the run stops at
its --run-time: the number of requests is bounded. A JSON-RPC error (a
UserError, an AccessError) counts as a failure.

Plain actions (both databases): the salesperson opens the order list and an
order form and confirms a quotation; the warehouse keeper opens a delivery and
validates it. sales_qms only: reviewers work their queue, the keeper and the
QC inspector sign the inspection before validating, customer service works the
claim list and files claims, portal customers open their claims.
"""

import itertools
import json
import os
import random
import threading

import gevent
from locust import HttpUser, between, events, task
from locust.exception import StopUser

DATA = json.load(open(os.environ["LOAD_DATA"], encoding="utf-8"))
QMS = DATA["sales_qms"]
DB = DATA["database"]
MAX_TASKS = int(os.environ.get("LOAD_MAX_TASKS", "40"))
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)
_lock = threading.Lock()
_quotations = iter(DATA["quotations"])
_pickings = iter(DATA["pickings"])
_ids = itertools.count(1)
ORDER_SPEC = {
    "name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "state": {},
    "amount_total": {},
    "order_line": {
        "fields": {
            "product_id": {"fields": {"display_name": {}}},
            "product_uom_qty": {},
            "price_subtotal": {},
        },
        "limit": 40,
    },
}
if QMS:
    ORDER_SPEC |= {"qms_contract_type": {}, "qms_review_state": {}}
PICKING_SPEC = {
    "name": {},
    "state": {},
    "partner_id": {"fields": {"display_name": {}}},
    "move_ids": {"fields": {"product_id": {}, "quantity": {}}, "limit": 40},
}
if QMS:
    PICKING_SPEC |= {"qms_inspection_state": {}, "qms_inspection_id": {}}


def rpc(user, path, params, name):
    """POST a JSON-RPC call as ``user``: its result, or None after counting the
    failure (an Odoo error, or no JSON answer)."""
    payload = {"jsonrpc": "2.0", "method": "call", "id": next(_ids), "params": params}
    with user.client.post(path, json=payload, name=name, catch_response=True) as r:
        try:
            body = r.json()
        except ValueError:
            # status 0: no answer at all (the connection was refused or cut)
            r.failure(f"HTTP {r.status_code}, not JSON: {r.error or ''}"[:200])
            return None
        if "error" in body:
            error = body["error"]
            r.failure(error.get("data", {}).get("message") or error.get("message"))
            return None
        return body.get("result")


def log_in(user, params):
    """Log in as a person does: when the server does not answer (too many
    logins at once), try again a little later, up to 3 times; each failed
    attempt counts as a failure. A user who could not log in leaves, instead of
    sending requests that can only fail."""
    for attempt in range(3):
        if attempt:
            gevent.sleep(random.uniform(2, 5))
        if rpc(user, "/web/session/authenticate", params, "login") is not None:
            return
    raise StopUser()


def _next(iterator):
    with _lock:
        return next(iterator, None)


class OdooUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    login = password = None

    def on_start(self):
        self.tasks_done = 0
        log_in(self, {"db": DB, "login": self.login, "password": self.password})

    def call(self, name, model, method, *args, **kwargs):
        return rpc(
            self,
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            name,
        )

    def button(self, name, model, method, ids, context=None):
        return rpc(
            self,
            f"/web/dataset/call_button/{model}/{method}",
            {
                "model": model,
                "method": method,
                "args": [ids],
                "kwargs": {"context": context or {}},
            },
            name,
        )

    def done_one(self):
        self.tasks_done += 1
        if self.tasks_done >= MAX_TASKS:
            raise StopUser()


class Salesperson(OdooUser):
    weight = 4
    login = password = "load_sales"

    @task(3)
    def order_form(self):
        page = self.call(
            "order list",
            "sale.order",
            "web_search_read",
            [("state", "in", ("draft", "sent", "sale"))],
            {"name": {}, "partner_id": {"fields": {"display_name": {}}}, "state": {}},
            limit=80,
            order="id desc",
        )
        if page and page["records"]:
            order = random.choice(page["records"])
            self.call("order form", "sale.order", "web_read", [order["id"]], ORDER_SPEC)
        self.done_one()

    @task(1)
    def confirm(self):
        order_id = _next(_quotations)
        if order_id:
            self.button("confirm order", "sale.order", "action_confirm", [order_id])
        self.done_one()


class Keeper(OdooUser):
    weight = 2
    login = password = "load_keeper"

    @task
    def validate(self):
        picking_id = _next(_pickings)
        if not picking_id:
            self.done_one()
            return
        self.call(
            "delivery form", "stock.picking", "web_read", [picking_id], PICKING_SPEC
        )
        if QMS:
            [picking] = self.call(
                "delivery form",
                "stock.picking",
                "read",
                [picking_id],
                ["qms_inspection_id"],
            ) or [{"qms_inspection_id": False}]
            inspection = picking["qms_inspection_id"]
            if inspection:
                self.inspect(inspection[0])
        self.button(
            "validate delivery",
            "stock.picking",
            "button_validate",
            [picking_id],
            {"skip_sms": True},
        )
        self.done_one()

    def inspect(self, inspection_id):
        """The QC inspector answers the checklist and signs, the keeper signs."""
        inspector = self.environment.inspector_session(self)
        lines = inspector.call(
            "inspection checklist",
            "qms.delivery.inspection.line",
            "search",
            [("inspection_id", "=", inspection_id)],
        )
        inspector.call(
            "inspection checklist",
            "qms.delivery.inspection.line",
            "write",
            lines or [],
            {"result": "pass"},
        )
        self.call(
            "sign (keeper)",
            "qms.delivery.inspection",
            "write",
            [inspection_id],
            {"keeper_signature": PNG},
        )
        inspector.call(
            "sign (inspector)",
            "qms.delivery.inspection",
            "write",
            [inspection_id],
            {"inspector_signature": PNG},
        )


class _Inspector(OdooUser):
    """The QC inspector's session, used by a keeper to sign together."""

    abstract = True
    login = password = "load_inspector"


def _inspector_session(environment, keeper):
    session = getattr(keeper, "_inspector", None)
    if session is None:
        session = _Inspector(environment)
        session.on_start()
        keeper._inspector = session
    return session


@events.init.add_listener
def _on_init(environment, **_kw):
    environment.inspector_session = lambda keeper: _inspector_session(
        environment, keeper
    )


if QMS:

    class Reviewer(OdooUser):
        weight = 2
        logins = ("sales_manager", "engineer", "production", "buyer", "finance")

        def on_start(self):
            self.login = self.password = random.choice(self.logins)
            super().on_start()

        @task
        def my_reviews(self):
            uid = self.call(
                "my reviews", "res.users", "search", [("login", "=", self.login)]
            )
            page = self.call(
                "my reviews",
                "qms.contract.review.line",
                "web_search_read",
                [("waiting", "=", True), ("reviewer_ids", "in", uid or [])],
                {
                    "review_id": {"fields": {"display_name": {}}},
                    "department_id": {"fields": {"display_name": {}}},
                    "deadline": {},
                },
                limit=80,
            )
            if page and page["records"]:
                line = page["records"][0]
                self.call(
                    "review line form",
                    "qms.contract.review.line",
                    "web_read",
                    [line["id"]],
                    {"checklist": {}, "comment": {}, "state": {}},
                )
            self.done_one()

    class Inspector(OdooUser):
        weight = 1
        login = password = "load_inspector"

        @task
        def lot_form(self):
            self.call(
                "lot form",
                "stock.lot",
                "web_read",
                [DATA["lot"]],
                {
                    "name": {},
                    "qms_status": {},
                    "qms_claim_count": {},
                    "qms_inspection_count": {},
                    "qms_status_log_ids": {"fields": {"reason": {}}, "limit": 40},
                },
            )
            action = self.button(
                "recall scope", "stock.lot", "action_qms_recall_scope", [DATA["lot"]]
            )
            if action:
                self.call(
                    "recall scope",
                    "qms.recall.scope",
                    "web_read_group",
                    action["domain"],
                    ["quantity_net:sum"],
                    ["partner_id"],
                    limit=80,
                )
            self.done_one()

    class CustomerService(OdooUser):
        weight = 2
        login = password = "load_service"
        open_claims = [("stage", "in", ("new", "investigating", "action"))]

        @task(3)
        def claim_list(self):
            page = self.call(
                "claim list",
                "qms.claim",
                "web_search_read",
                self.open_claims,
                {
                    "name": {},
                    "partner_id": {"fields": {"display_name": {}}},
                    "stage": {},
                    "deadline": {},
                    "is_overdue": {},
                    "open_action_count": {},
                },
                limit=80,
                count_limit=10001,
            )
            self.call(
                "claim counters",
                "qms.claim",
                "search_count",
                [("is_overdue", "=", True)],
            )
            if page and page["records"]:
                claim = random.choice(page["records"])
                self.call(
                    "claim form",
                    "qms.claim",
                    "web_read",
                    [claim["id"]],
                    {"name": {}, "stage": {}, "line_ids": {"fields": {"lot_id": {}}}},
                )
            self.done_one()

        @task(1)
        def file_claim(self):
            self.call(
                "file claim",
                "qms.claim",
                "create",
                {
                    "partner_id": DATA["customer"],
                    "claim_type": "complaint",
                    "channel": "phone",
                    "severity": "minor",
                    "description": "<p>Load test: seams</p>",
                },
            )
            self.done_one()

    class PortalCustomer(HttpUser):
        weight = 1
        wait_time = between(1, 3)

        def on_start(self):
            self.tasks_done = 0
            log_in(self, {"db": DB, "login": "load_portal", "password": "load_portal"})

        @task
        def my_claims(self):
            self.client.get("/my/claims", name="portal: my claims")
            if DATA.get("portal_claim"):
                self.client.get(
                    f"/my/claims/{DATA['portal_claim']}", name="portal: claim"
                )
            self.tasks_done += 1
            if self.tasks_done >= MAX_TASKS:
                raise StopUser()
