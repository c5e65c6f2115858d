"""Bad input, as a hostile or careless integrator sends it: every public model
of sales_qms (every qms.* model, the qms_ fields of the core models it extends)
and every public ``action_*`` method of the addon, driven over XML-RPC (and
JSON-RPC for what XML-RPC cannot carry: integers beyond 32 bits, NUL characters)
as the demo users, with wrong types, missing required values, huge strings,
negative, zero, NaN and infinite quantities, ids that do not exist, records of
another company and records of another user.

Each call must end on a clean fault (UserError, ValidationError, AccessError,
MissingError: never a psycopg2 error, a KeyError, a ValueError, a TypeError, an
AttributeError, "Expected singleton" or an internal server error), and nothing
may be written: a fingerprint of every watched table (row count, last id, last
write) is the same before and after each model's cases.

The models and fields are discovered from the registry (ir.model, fields_get),
the actions from the addon's source (``def action_``): a new model, field or
action is driven without changing this test. The count of cases is printed."""

import ast
import json
import math
import re
import threading
import time
import urllib.request
import xmlrpc.client
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
from conftest import ADDON

ADMIN = ("admin", "admin")
# the demo users: login -> password
USERS = {
    "sales": "sales",
    "service": "service",
    "inspector": "inspector",
    "keeper": "keeper",
    "qms_manager": "qms",
}
PORTAL = ("bad_input_portal", "bad_input_portal")
OTHER_SALES = ("bad_input_sales2", "bad_input_sales2")
MISSING_ID = 999_999_999
# what a clean refusal is
CLEAN = {"UserError", "ValidationError", "AccessError", "MissingError"}
# XML-RPC /xmlrpc/2 fault codes of clean refusals (odoo/addons/base/controllers/rpc.py)
CLEAN_FAULT_CODES = {2: "UserError", 4: "AccessError"}
EXCEPTION_LINE = re.compile(
    r"^([A-Za-z_][\w.]*(?:Error|Exception|Violation)\w*):", re.M
)
HUGE_CHAR = "巨" * 5_000
HUGE_TEXT = "x" * 300_001
NUMERIC_SPECIALS = (math.nan, math.inf, -math.inf, 1e308)
# sent over JSON-RPC too (XML-RPC writes them as text, JSON as NaN/Infinity)
JSON_SPECIALS = (math.nan, math.inf)
# what XML-RPC cannot carry: integers beyond 32 bits, NUL characters
JSON_ONLY = {"64-bit id", "64-bit", "NUL character"}
# numeric fields with a range: (model, field) -> (lowest, highest) allowed
RANGES = {
    ("qms.claim.line", "quantity"): (1e-9, None),
    ("qms.followup.visit", "score_quality"): (0, 5),
    ("qms.followup.visit", "score_delivery"): (0, 5),
    ("qms.followup.visit", "score_service"): (0, 5),
    ("qms.department", "deadline_days"): (0, None),
    ("product.template", "qms_capacity_qty"): (0, None),
    ("res.company", "qms_claim_sla_minor_days"): (0, None),
    ("res.company", "qms_claim_sla_major_days"): (0, None),
    ("res.company", "qms_claim_sla_critical_days"): (0, None),
    ("res.company", "qms_followup_visit_days"): (0, None),
    ("res.company", "qms_max_payment_days"): (0, None),
    ("res.company", "qms_margin_threshold"): (0, 100),
}
# watched for "nothing written", besides the model under test: what a refused
# call could leave behind (a message, an activity, a file)
WATCHED = ("mail.message", "mail.activity", "ir.attachment")
# wrong-typed ids are refused the same whoever sends them: one user sends them
ONE_USER = "qms_manager"
# ids that do not exist: the manager and the portal user (the widest and the
# narrowest rights) send them
MISSING_USERS = (ONE_USER, PORTAL[0])
# (action, parameter) whose default is None: None is the default, not bad input
OPTIONAL = set()
# a record id that is not a number ("abc") reaches PostgreSQL through Odoo's
# own browse() and access checks, for every model of Odoo (core ones included),
# before any code of the addon runs: counted and reported, not in the addon's
# reach
CORE_LIMIT = "text id"
# one model's cases are sent by this many clients at once (the server is
# threaded): the run stays within a few minutes on two cores
PARALLEL = 4


# ------------------------------------------------------------------ transport
class Fault:
    def __init__(self, name, message):
        self.name, self.message = name, message

    def __repr__(self):
        return f"{self.name}: {self.message[-400:]}"


class Client:
    """One user's XML-RPC and JSON-RPC calls; each returns the result or a Fault."""

    def __init__(self, url, db, login, password):
        self.url, self.db, self.login, self.password = url, db, login, password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        self.uid = common.authenticate(db, login, password, {})
        assert self.uid, f"{login} cannot log in"
        self.local = threading.local()

    @property
    def proxy(self):
        """One connection per thread: a ServerProxy is not shared safely."""
        if not hasattr(self.local, "proxy"):
            self.local.proxy = xmlrpc.client.ServerProxy(
                f"{self.url}/xmlrpc/2/object", allow_none=True
            )
        return self.local.proxy

    def __call__(self, model, method, args, kwargs=None, transport="xmlrpc"):
        if transport == "xmlrpc":
            try:
                return self.xmlrpc(model, method, args, kwargs)
            except (OverflowError, xmlrpc.client.ProtocolError, ValueError):
                pass  # beyond XML-RPC (big integers, NUL): JSON-RPC carries it
        return self.jsonrpc(model, method, args, kwargs)

    def xmlrpc(self, model, method, args, kwargs=None):
        try:
            return self.proxy.execute_kw(
                self.db, self.uid, self.password, model, method, args, kwargs or {}
            )
        except xmlrpc.client.Fault as fault:
            name = CLEAN_FAULT_CODES.get(fault.faultCode)
            if name is None:  # a traceback: its last "Name: message" line names it
                found = EXCEPTION_LINE.findall(fault.faultString)
                name = (
                    found[-1].rsplit(".", 1)[-1] if found else "Internal Server Error"
                )
            return Fault(name, fault.faultString)

    def jsonrpc(self, model, method, args, kwargs=None):
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "service": "object",
                    "method": "execute_kw",
                    "args": [
                        self.db,
                        self.uid,
                        self.password,
                        model,
                        method,
                        args,
                        kwargs or {},
                    ],
                },
            }
        ).encode()  # allow_nan: Python's json writes NaN/Infinity, Odoo reads them
        request = urllib.request.Request(
            f"{self.url}/jsonrpc",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = json.loads(response.read())
        if "error" in answer:
            data = answer["error"].get("data") or {}
            name = (data.get("name") or "Internal Server Error").rsplit(".", 1)[-1]
            return Fault(name, data.get("message") or json.dumps(answer["error"]))
        return answer["result"]


# ------------------------------------------------------------------ discovery
def _addon_actions():
    """{model: {action: [parameter names]}} of every public action_ method
    defined in the addon's source."""
    actions = defaultdict(dict)
    for path in sorted(ADDON.rglob("*.py")):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            model = None
            for stmt in cls.body:
                if isinstance(stmt, ast.Assign) and isinstance(
                    stmt.targets[0], ast.Name
                ):
                    name = stmt.targets[0].id
                    if name == "_name" or (name == "_inherit" and model is None):
                        value = ast.literal_eval(stmt.value)
                        model = value if isinstance(value, str) else value[0]
            for fn in cls.body:
                if isinstance(fn, ast.FunctionDef) and fn.name.startswith("action_"):
                    params = [a.arg for a in fn.args.args[1:]]
                    defaults = fn.args.defaults
                    for param, default in zip(
                        params[::-1], defaults[::-1], strict=False
                    ):
                        if isinstance(default, ast.Constant) and default.value is None:
                            OPTIONAL.add((fn.name, param))
                    actions[model][fn.name] = params
    return dict(actions)


def _bad_values(model, name, field):
    """[(label, value, transport)] a user must not be able to put in a field."""
    kind = field["type"]
    values = []
    if kind == "many2one":
        values = [
            ("text as id", "abc"),
            ("negative id", -5),
            ("missing id", MISSING_ID),
            ("64-bit id", 2**40),
            ("list id", [1, 2]),
        ]
    elif kind in ("one2many", "many2many"):
        values = [
            ("text commands", "abc"),
            ("bad command", [[9, 0, 0]]),
            ("line not a dict", [[0, 0, "abc"]]),
            ("set of text", [[6, 0, "abc"]]),
            ("link missing id", [[4, MISSING_ID]]),
        ]
    elif kind == "integer":
        values = [
            ("text", "abc"),
            ("float", 1.5),
            ("64-bit", 2**40),
        ]
    elif kind in ("float", "monetary"):
        values = [("text", "abc"), ("list", [1.0])]
        values += [(repr(v), v) for v in NUMERIC_SPECIALS]
    elif kind in ("char", "text", "html"):
        values = [
            ("number", 12345),
            ("list", ["a"]),
            ("huge", HUGE_TEXT if kind != "char" else HUGE_CHAR),
            ("NUL character", "a\x00b"),
        ]
    elif kind == "selection":
        values = [("unknown key", "no_such_value"), ("number", 42)]
    elif kind == "boolean":
        values = [("text", "abc"), ("number", 7)]
    elif kind in ("date", "datetime"):
        values = [
            ("not a date", "not a date"),
            ("month 13", "2026-13-45"),
            ("number", 20260101),
        ]
    elif kind == "binary":
        values = [("number", 12345), ("not base64", "!!!%%%~~~")]
    low, high = RANGES.get((model, name), (None, None))
    if low is not None:
        values.append(("below the range", low - 1))
        if low > 0:
            values.append(("zero", 0))
    if high is not None:
        values.append(("above the range", high + 1))
    cases = [
        (label, value, "json" if label in JSON_ONLY else "xmlrpc")
        for label, value in values
    ]
    # NaN and infinities travel both ways: XML-RPC (Python writes "nan") and
    # JSON-RPC (Python's json writes NaN/Infinity, which Odoo's parser reads)
    cases += [
        (label, value, "json")
        for label, value in values
        if isinstance(value, float) and (value in JSON_SPECIALS or math.isnan(value))
    ]
    return cases


# ------------------------------------------------------------------ the run
class Run:
    def __init__(self, url, db):
        self.url, self.db = url, db
        self.admin = Client(url, db, *ADMIN)
        self.users = {login: Client(url, db, login, pw) for login, pw in USERS.items()}
        self.cases = 0
        self.outcomes = Counter()
        self.transports = Counter()
        self.failures = []
        # models without a write date (SQL views), found by fields_get
        self.no_write_date = set()
        self.field_types = {}
        # the cases of the model under test, sent together by flush()
        self.pending = []
        self.lock = threading.Lock()

    # ---- set-up: another company, another user, a portal user
    def setup(self):
        a = self.admin
        company_b = a("res.company", "create", [{"name": "Bad Input Company B"}])
        admin_uid = a.uid
        a("res.users", "write", [[admin_uid], {"company_ids": [[4, company_b]]}])
        ctx = {"allowed_company_ids": [company_b], "tracking_disable": True}
        self.b = {"res.company": company_b}
        partner_b = a(
            "res.partner",
            "create",
            [{"name": "Company B customer", "company_id": company_b}],
        )
        self.b["res.partner"] = partner_b
        product = a(
            "product.product",
            "search",
            [[("default_code", "=", "AS-200")]],
            {"limit": 1},
        )[0]
        self.b["stock.lot"] = a(
            "stock.lot",
            "create",
            [{"name": "LOT-COMPANY-B", "product_id": product, "company_id": company_b}],
            {"context": ctx},
        )
        self.b["qms.claim"] = a(
            "qms.claim",
            "create",
            [{"partner_id": partner_b, "company_id": company_b, "description": "B"}],
            {"context": ctx},
        )
        self.b["qms.contact.log"] = a(
            "qms.contact.log",
            "create",
            [{"partner_id": partner_b, "summary": "B", "company_id": company_b}],
            {"context": ctx},
        )
        self.b["qms.followup.visit"] = a(
            "qms.followup.visit",
            "create",
            [{"partner_id": partner_b, "company_id": company_b}],
            {"context": ctx},
        )
        self.b["qms.department"] = a(
            "qms.department",
            "create",
            [{"name": "B quality", "code": "b_quality", "company_id": company_b}],
            {"context": ctx},
        )
        template = a(
            "qms.inspection.template",
            "create",
            [
                {
                    "name": "B checklist",
                    "company_id": company_b,
                    "is_default": True,
                    "line_ids": [[0, 0, {"name": "B item"}]],
                }
            ],
            {"context": ctx},
        )
        self.b["qms.inspection.template"] = template
        self.b["qms.inspection.template.line"] = a(
            "qms.inspection.template.line",
            "search",
            [[("template_id", "=", template)]],
            {"context": ctx},
        )[0]
        warehouse = a(
            "stock.warehouse",
            "create",
            [{"name": "B warehouse", "code": "BWH", "company_id": company_b}],
            {"context": ctx},
        )
        [wh] = a(
            "stock.warehouse", "read", [[warehouse], ["out_type_id"]], {"context": ctx}
        )
        order_b = a(
            "sale.order",
            "create",
            [{"partner_id": partner_b, "company_id": company_b}],
            {"context": ctx},
        )
        self.b["sale.order"] = order_b
        picking_b = a(
            "stock.picking",
            "create",
            [
                {
                    "partner_id": partner_b,
                    "picking_type_id": wh["out_type_id"][0],
                    "company_id": company_b,
                }
            ],
            {"context": ctx},
        )
        self.b["stock.picking"] = picking_b

        # a salesperson who sees their own documents only, and a portal user of
        # one customer: each tries the records of someone else
        def xmlid(module, name):
            return a("ir.model.data", "check_object_reference", [module, name])[1]

        a(
            "res.users",
            "create",
            [
                {
                    "name": "Bad Input Salesperson 2",
                    "login": OTHER_SALES[0],
                    "password": OTHER_SALES[1],
                    "groups_id": [
                        [
                            6,
                            0,
                            [
                                xmlid("sales_team", "group_sale_salesman"),
                                xmlid("sales_qms", "group_qms_user"),
                            ],
                        ]
                    ],
                }
            ],
        )
        customer = xmlid("sales_qms", "partner_electronics_demo")
        contact = a(
            "res.partner",
            "create",
            [{"name": "Bad Input Portal Contact", "parent_id": customer}],
        )
        a(
            "res.users",
            "create",
            [
                {
                    "name": "Bad Input Portal",
                    "login": PORTAL[0],
                    "password": PORTAL[1],
                    "partner_id": contact,
                    "groups_id": [[6, 0, [xmlid("base", "group_portal")]]],
                }
            ],
        )
        self.users[PORTAL[0]] = Client(self.url, self.db, *PORTAL)
        self.users[OTHER_SALES[0]] = Client(self.url, self.db, *OTHER_SALES)
        sales = self.users["sales"].uid

        def first(model, domain):
            return a(model, "search", [domain], {"limit": 1, "order": "id"})[0]

        # {model: (who tries, whose record)}
        self.other_user = {
            "sale.order": (
                OTHER_SALES[0],
                first("sale.order", [("user_id", "=", sales)]),
            ),
            "qms.followup.visit": (
                OTHER_SALES[0],
                first("qms.followup.visit", [("user_id", "=", sales)]),
            ),
            "qms.claim": (
                PORTAL[0],
                first("qms.claim", [("commercial_partner_id", "!=", customer)]),
            ),
        }
        # one existing record of company A per model, to write to
        self.samples = {}

    def sample(self, model):
        """An existing record of company A (the admin's current company)."""
        if model not in self.samples:
            ids = self.admin(model, "search", [[]], {"limit": 1, "order": "id"})
            self.samples[model] = ids[0] if isinstance(ids, list) and ids else None
        return self.samples[model]

    # ---- fingerprints: "nothing written"
    def fingerprint(self, models):
        """{model: (rows, last id, last write)}, inactive records included."""
        prints = {}
        for model in models:
            aggregates = ["id:max"]
            if model not in self.no_write_date:
                aggregates.append("write_date:max")
            [group] = self.admin(
                model,
                "read_group",
                [[], aggregates, []],
                {"lazy": False, "context": {"active_test": False}},
            )
            prints[model] = (group["__count"], group["id"], group.get("write_date"))
        return prints

    # ---- one case
    def case(self, user, label, model, method, args, *, transport="xmlrpc"):
        """A call to make (by flush()); anything but a clean refusal fails."""
        self.pending.append((user, label, model, method, args, transport))

    def flush(self):
        """Send the pending cases, PARALLEL at a time."""
        pending, self.pending = self.pending, []
        with ThreadPoolExecutor(PARALLEL) as pool:
            for _ in pool.map(self._call, pending):
                pass

    def _call(self, case):
        user, _label, model, method, args, transport = case
        try:
            outcome = self.users[user](model, method, args, transport=transport)
        except Exception as exc:  # the HTTP layer itself failed: a 500 page
            outcome = Fault("Internal Server Error", repr(exc))
        with self.lock:
            self._record(case, outcome)

    def _record(self, case, outcome):
        user, label, model, method, _args, transport = case
        self.cases += 1
        self.transports[transport] += 1
        name = outcome.name if isinstance(outcome, Fault) else "accepted"
        if method == "read" and outcome == []:
            # Odoo's read returns the records that exist (and may be read):
            # none here, nothing written
            name = "empty read"
        elif (
            label.startswith(f"{method}(")
            and isinstance(outcome, dict)
            and outcome.get("type") == "ir.actions.act_window"
            and outcome.get("target") == "new"
        ):
            # an action called without its first value is the button: it opens
            # the form that asks for the values (nothing written: the
            # fingerprints tell)
            name = "form opened"
        elif label.endswith(CORE_LIMIT) and name not in CLEAN:
            name = f"core: {name}"
        self.outcomes[name] += 1
        if name not in CLEAN | {"empty read", "form opened"} and not name.startswith(
            "core"
        ):
            shown = outcome if isinstance(outcome, Fault) else repr(outcome)[:200]
            self.failures.append(f"{user} {model}.{method} {label}: {name}: {shown}")


def _writer(run, model):
    """The first demo user allowed to write ``model`` (ACL), else a user."""
    for login, client in run.users.items():
        if login == PORTAL[0]:
            continue
        if client(model, "has_access", [[], "write"]) is True:
            return login
    return "sales"


@pytest.fixture(scope="module")
def run(server, tmp_path_factory):
    url, db = server
    run = Run(url, db)
    run.report = tmp_path_factory.mktemp("bad_input") / "failures.txt"
    run.setup()
    return run


def _discover(admin):
    """sales_qms models, core models with qms_ fields, the addon's actions."""
    own = sorted(
        m["model"]
        for m in admin(
            "ir.model",
            "search_read",
            [
                [
                    "|",
                    ("model", "=like", "qms.%"),
                    ("model", "=like", "report.sales_qms.%"),
                ]
            ],
            {"fields": ["model"]},
        )
    )
    core = sorted(
        {
            f["model"]
            for f in admin(
                "ir.model.fields",
                "search_read",
                [[("name", "=like", "qms\\_%"), ("model", "not like", "qms.%")]],
                {"fields": ["model"]},
            )
        }
    )
    actions = _addon_actions()
    # core models the addon adds actions to (e.g. portal.share) are driven too
    core = sorted(set(core) | (set(actions) - set(own)))
    return own, core, actions


def _drive_values(run, model, fields, names):
    """Wrong values in every field, as the user who may write the model."""
    writer = _writer(run, model)
    sample = run.sample(model) if _has_table(run, model) else None
    for name in names:
        for label, value, transport in _bad_values(model, name, fields[name]):
            if model.startswith("qms."):
                run.case(
                    writer,
                    f"create {name}={label}",
                    model,
                    "create",
                    [{name: value}],
                    transport=transport,
                )
            if sample:
                run.case(
                    writer,
                    f"write {name}={label}",
                    model,
                    "write",
                    [[sample], {name: value}],
                    transport=transport,
                )


def _drive_required(run, model, fields, names):
    """A record without its required values, as every user."""
    required = [n for n in names if fields[n].get("required")]
    if not (model.startswith("qms.") and required):
        return
    defaults = run.admin(model, "default_get", [required])
    if isinstance(defaults, dict) and set(required) - set(defaults):
        for user in MISSING_USERS:
            run.case(user, "create (required missing)", model, "create", [{}])


def _drive_ids(run, model, names):
    """Ids that do not exist or have the wrong type, records of another company
    and of another user."""
    own = model.startswith("qms.")
    value = {names[0]: False} if names else {}
    # a stored column: reading it needs the record (reading "id" or a list of
    # lines alone answers any id, as Odoo does not look)
    fields = [
        n for n in names if run.field_types[model][n] not in ("one2many", "many2many")
    ][:1] or ["create_date"]
    for label, ids in (("negative id", [-7]), ("text id", ["abc"])):
        run.case(ONE_USER, f"read {label}", model, "read", [ids, fields])
        if own:
            run.case(ONE_USER, f"write {label}", model, "write", [ids, value])
            run.case(ONE_USER, f"unlink {label}", model, "unlink", [ids])
    for user in MISSING_USERS:
        run.case(user, "read missing id", model, "read", [[MISSING_ID], fields])
        if own:
            run.case(user, "write missing id", model, "write", [[MISSING_ID], value])
    for user in run.users:
        other = run.b.get(model)
        if other:
            label = "another company's record"
            run.case(user, f"read {label}", model, "read", [[other], fields])
            run.case(user, f"write {label}", model, "write", [[other], value])
            if own:
                run.case(user, f"unlink {label}", model, "unlink", [[other]])
    if model in run.other_user:
        user, theirs = run.other_user[model]
        label = "another user's record"
        run.case(user, f"read {label}", model, "read", [[theirs], fields])
        run.case(user, f"write {label}", model, "write", [[theirs], value])


def _drive_actions(run, model, actions):
    """Each action on missing, wrong-typed and foreign records, and with wrong
    arguments."""
    sample = run.sample(model) if _has_table(run, model) else None
    for action, params in sorted(actions.items()):
        args = _good_args(params)
        for label, ids in (("text id", ["abc"]), ("negative id", [-3])):
            run.case(ONE_USER, f"{action} on {label}", model, action, [ids, *args])
        for user in run.users:
            targets = []
            if user in MISSING_USERS:
                targets.append(("missing record", [MISSING_ID]))
            if run.b.get(model):
                targets.append(("another company's record", [run.b[model]]))
            if run.other_user.get(model, (None,))[0] == user:
                targets.append(("another user's record", [run.other_user[model][1]]))
            for label, ids in targets:
                run.case(user, f"{action} on {label}", model, action, [ids, *args])
        if params and sample:
            writer = _writer(run, model)
            for label, bad in _bad_args(action, params):
                run.case(writer, f"{action}({label})", model, action, [[sample], *bad])


def test_bad_input_is_refused_cleanly(run):
    own, core, actions = _discover(run.admin)
    assert len(own) >= 20 and "sale.order" in core and actions
    started = time.monotonic()
    for model in own + core:
        model_started = time.monotonic()
        fields = run.admin(
            model,
            "fields_get",
            [],
            {"attributes": ["type", "required", "readonly", "store", "relation"]},
        )
        names = [
            name
            for name, field in sorted(fields.items())
            if (model.startswith(("qms.", "report.")) or name.startswith("qms_"))
            and field.get("store", True)
            and name not in ("id", "display_name")
        ]
        run.field_types[model] = {name: field["type"] for name, field in fields.items()}
        if not _has_table(run, model):
            # an abstract model (a mixin, a report's values): no records, no
            # fields to write; users may not even create
            for user in run.users:
                run.case(user, "create (abstract model)", model, "create", [{}])
            run.flush()
            continue
        if "write_date" not in fields:
            run.no_write_date.add(model)
        watched = [m for m in sorted({model, *WATCHED}) if _has_table(run, m)]
        before = run.fingerprint(watched)
        _drive_values(run, model, fields, names)
        _drive_required(run, model, fields, names)
        _drive_ids(run, model, names)
        _drive_actions(run, model, actions.get(model, {}))
        run.flush()
        after = run.fingerprint(watched)
        print(
            f"{model}: {run.cases} cases so far, {len(run.failures)} failures, "
            f"{time.monotonic() - model_started:.1f} s"
        )
        for name in watched:
            if before[name] != after[name]:
                run.failures.append(
                    f"{model}: its bad input wrote to {name} "
                    f"({before[name]} -> {after[name]})"
                )
    print(
        f"\nbad input: {run.cases} cases on {len(own)} sales_qms models, "
        f"{len(core)} core models (their qms_ fields) and "
        f"{sum(len(a) for a in actions.values())} actions; outcomes "
        f"{dict(run.outcomes)}; transports {dict(run.transports)}; "
        f"{time.monotonic() - started:.0f} s"
    )
    run.report.write_text("\n\n".join(run.failures), encoding="utf-8")
    assert not run.failures, (
        f"{len(run.failures)} of {run.cases} bad inputs were not refused cleanly "
        f"(all in {run.report}):\n" + "\n".join(run.failures[:300])
    )


_TABLES = {}


def _has_table(run, model):
    if model not in _TABLES:
        res = run.admin(model, "search_count", [[]])
        _TABLES[model] = isinstance(res, int)
    return _TABLES[model]


def _good_args(params):
    """Well-typed arguments for an action's parameters (the record is the bad part)."""
    good = {"status": "qualified", "reason": "bad input test", "source": False}
    return [good.get(p, False) for p in params if p not in ("source",)]


def _bad_args(action, params):
    """[(label, args)] wrong arguments for an action's parameters."""
    good = _good_args(params)
    cases = []
    for i, param in enumerate(p for p in params if p != "source"):
        values = [
            ("number", 12345),
            ("list", [1, 2]),
            ("dict", {"a": 1}),
            ("None", None),
            ("blank", "  "),
            ("huge", HUGE_TEXT),
        ]
        if param == "status":
            values.append(("unknown key", "no_such_value"))
        if (action, param) in OPTIONAL:
            values.remove(("None", None))
        for label, value in values:
            args = list(good)
            args[i] = value
            cases.append((f"{param}={label}", args))
    if "source" in params:
        for label, value in (
            ("source=text", "garbage"),
            ("source=bad model", "no.such.model,1"),
            ("source=missing record", f"qms.claim,{MISSING_ID}"),
            ("source=text id", "qms.claim,abc"),
            ("source=list", [1, 2]),
        ):
            cases.append((label, [*good, value]))
    return cases
