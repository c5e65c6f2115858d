#!/usr/bin/env python3
"""Screenshots of each role's first screen, in English and Chinese.

Drives a headless Chromium through the DevTools protocol (websocket-client, as
Odoo's own tour runner does), logged in as each demo user of a running Odoo
served on the demo database. ``make screenshots`` starts that server on a fresh
demo database and calls this script; it can also run against any server:

    python scripts/screenshots.py --url http://localhost:8069 --db sales_qms_demo \
        --out docs/screenshots [--only keeper,service] [--lang en_US,zh_CN]

Each role lands on its own work (the user's home action), so the script opens
``/odoo`` and waits for the screen named in ROLES; a few extra shots open a
record (the review a reviewer signs, the checklist a keeper fills).
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xmlrpc.client

import requests
import websocket

WIDTH, HEIGHT = 1440, 900

# file name -> (login, password, path to open, CSS selector that says it is ready)
SHOTS = {
    "reviewer_my_reviews": (
        "finance",
        "finance",
        "/odoo",
        ".o_list_renderer .o_data_row",
    ),
    "reviewer_review_form": (
        "finance",
        "finance",
        "action:sales_qms.qms_contract_review_line_action_my:first",
        ".o_form_view .o_field_widget[name=order_line_ids] .o_data_row",
    ),
    "keeper_deliveries_to_sign": (
        "keeper",
        "keeper",
        "/odoo",
        ".o_list_renderer .o_data_row",
    ),
    "inspector_checklist": (
        "inspector",
        "inspector",
        "action:sales_qms.qms_delivery_inspection_action:first",
        ".o_form_view .o_field_widget[name=line_ids] .o_data_row",
    ),
    "service_open_claims": (
        "service",
        "service",
        "/odoo",
        ".o_kanban_renderer .o_kanban_record:not(.o_kanban_ghost)",
    ),
    "qms_manager_overview": (
        "qms_manager",
        "qms",
        "/odoo",
        ".o_kanban_renderer .o_qms_overview_tile",
    ),
    "salesperson_quotation": (
        "sales",
        "sales",
        "record:sale.order:client_order_ref=DEMO-REJECTED",
        ".o_form_view .o_qms_review_banner",
    ),
    "portal_claims": (
        "customer",
        "customer",
        "/my/claims",
        ".o_portal_my_doc_table, .o_qms_new_claim",
    ),
}


class Browser:
    """A headless Chromium and one page, spoken to over the DevTools websocket."""

    def __init__(self, executable):
        self.profile = tempfile.mkdtemp(prefix="qms_shots_")
        self.proc = subprocess.Popen(
            [
                executable,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--no-first-run",
                "--hide-scrollbars",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not os.path.exists(port_file):
            if time.time() > deadline:
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.1)
        time.sleep(0.2)
        port = open(port_file).read().split()[0]
        pages = requests.get(f"http://127.0.0.1:{port}/json", timeout=10).json()
        page = next(p for p in pages if p["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.ids = 0
        self.call("Page.enable")
        self.call("Network.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        self.ids += 1
        self.ws.send(json.dumps({"id": self.ids, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.ids:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=60):
        check = (
            f"!!document.querySelector({json.dumps(selector)}) && "
            "!document.querySelector('.o_loading, .o_loading_indicator, .o_blockUI')"
        )
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.evaluate(check):
                time.sleep(1.0)  # let animations and avatars settle
                return True
            time.sleep(0.25)
        return False

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


class Odoo:
    def __init__(self, url, db, admin_login, admin_password):
        self.url, self.db = url.rstrip("/"), db
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
        self.uid = common.authenticate(db, admin_login, admin_password, {})
        if not self.uid:
            raise SystemExit(f"cannot log in as {admin_login} on {db}")
        self.password = admin_password
        self.models = xmlrpc.client.ServerProxy(
            f"{self.url}/xmlrpc/2/object", allow_none=True
        )

    def call(self, model, method, *args, **kw):
        return self.models.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kw
        )

    def activate_langs(self, langs):
        ids = self.call(
            "res.lang",
            "search",
            [("code", "in", langs)],
            context={"active_test": False},
        )
        self.call("res.lang", "write", ids, {"active": True})

    def set_lang(self, login, lang):
        users = self.call(
            "res.users",
            "search",
            [("login", "=", login)],
            context={"active_test": False},
        )
        self.call("res.users", "write", users, {"lang": lang})

    def session(self, login, password):
        response = requests.post(
            f"{self.url}/web/session/authenticate",
            json={
                "jsonrpc": "2.0",
                "params": {"db": self.db, "login": login, "password": password},
            },
            timeout=60,
        )
        response.raise_for_status()
        if response.json().get("error"):
            raise SystemExit(f"{login} cannot log in: {response.json()['error']}")
        return response.cookies["session_id"]

    def resolve(self, target, login, password):
        """A path for ``action:<xmlid>:first`` / ``record:<model>:<field>=<value>``."""
        if target.startswith("/"):
            return target
        kind, ref, which = target.split(":", 2)
        if kind == "action":
            module, name = ref.split(".", 1)
            _model, action_id = self.call(
                "ir.model.data", "check_object_reference", module, name
            )
            model = self.call(
                "ir.actions.act_window",
                "read",
                [action_id],
                fields=["res_model", "domain", "context"],
            )[0]
            # the user's own first record of the action, as they would see it
            common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
            uid = common.authenticate(self.db, login, password, {})
            ids = self.models.execute_kw(
                self.db,
                uid,
                password,
                model["res_model"],
                "search",
                [_action_domain(model, uid)],
                {"limit": 1},
            )
            return f"/odoo/action-{ref}/{ids[0]}" if ids else f"/odoo/action-{ref}"
        if kind == "record":
            field, value = which.split("=", 1)
            ids = self.call(ref, "search", [(field, "=", value)], limit=1)
            return f"/odoo/{ref}/{ids[0]}"
        raise ValueError(target)


def _action_domain(action, uid):
    """The domain of an action's default filter, enough for the first record."""
    context = action.get("context") or ""
    if "waiting_for_me" in context:
        return [("waiting", "=", True), ("reviewer_ids", "in", [uid])]
    if "to_sign" in context:
        return [("to_sign", "=", True)]
    return []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="sales_qms_demo")
    parser.add_argument("--out", default="docs/screenshots")
    parser.add_argument("--lang", default="en_US,zh_CN")
    parser.add_argument("--only", default="", help="comma-separated shot names")
    parser.add_argument("--admin", default="admin:admin")
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()

    admin_login, admin_password = args.admin.split(":", 1)
    odoo = Odoo(args.url, args.db, admin_login, admin_password)
    os.makedirs(args.out, exist_ok=True)
    only = {name for name in args.only.split(",") if name}
    odoo.activate_langs(args.lang.split(","))
    failures = []
    for lang in args.lang.split(","):
        for name, (login, password, target, ready) in SHOTS.items():
            if only and name not in only:
                continue
            odoo.set_lang(login, lang)
            browser = Browser(args.chromium)
            try:
                cookie = odoo.session(login, password)
                browser.call(
                    "Network.setCookie",
                    name="session_id",
                    value=cookie,
                    url=odoo.url,
                    path="/",
                )
                path = odoo.resolve(target, login, password)
                browser.call("Page.navigate", url=odoo.url + path)
                ok = browser.wait_for(ready)
                out = os.path.join(args.out, f"{name}.{lang}.png")
                browser.screenshot(out)
                print(("ok    " if ok else "NOT READY ") + out, flush=True)
                if not ok:
                    failures.append(out)
            finally:
                browser.close()
        for name, (login, *_rest) in SHOTS.items():
            if not only or name in only:
                odoo.set_lang(login, "en_US")
    if failures:
        sys.exit(f"screens not ready (see the PNGs): {', '.join(failures)}")


if __name__ == "__main__":
    main()
