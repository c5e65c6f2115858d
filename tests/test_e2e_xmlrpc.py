"""End to end: start a real Odoo server on the test database, log in over XML-RPC
as a demo user, read data, stop the server (the `server` fixture in conftest)."""

import xmlrpc.client


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
