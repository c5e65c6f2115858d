"""Audit PDFs printed the way a user prints them: a real server (the `server`
fixture), a logged-in demo user, the print route /report/pdf/..., wkhtmltopdf
loading the report assets (web fonts included) from that server. Every sales_qms
report of the demo data, and the delivery slip it extends, gives back its Latin
and Chinese text, in English and in Chinese."""

import json
import re
import subprocess
import tempfile
import xmlrpc.client
from urllib.parse import quote

import pytest
import requests

RADICALS = re.compile(r"[\u2e80-\u2fdf]")


def _text(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", f.name, "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return "".join(text.split())


@pytest.fixture(scope="module")
def printer(server):
    url, db = server
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
    uid = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common").authenticate(
        db, "admin", "admin", {}
    )

    def search(model, domain, **kw):
        ids = models.execute_kw(db, uid, "admin", model, "search", [domain], kw)
        assert ids, f"no demo {model} for {domain}"
        return ids

    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=60)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    session.post(
        f"{url}/web/login",
        data={"login": "qms_manager", "password": "qms", "csrf_token": csrf},
        timeout=60,
    )

    def print_pdf(path, lang, options=None):
        query = "context=" + quote(json.dumps({"lang": lang}))
        if options:
            query += "&options=" + quote(json.dumps(options))
        response = session.get(f"{url}/report/pdf/{path}?{query}", timeout=300)
        assert response.status_code == 200, response.text[:500]
        assert response.headers["Content-Type"] == "application/pdf"
        return _text(response.content)

    print_pdf.search = search
    return print_pdf


@pytest.mark.parametrize("lang", ["en_US", "zh_CN"])
def test_printed_pdfs_are_searchable(printer, lang):
    search = printer.search
    released = search("stock.picking", [("origin", "=", "Emergency release")])
    signed = search("stock.picking", [("origin", "=", "Passed and signed")])
    claim = search("qms.claim", [("line_ids.lot_id", "!=", False)], limit=1)
    order = search("sale.order", [("client_order_ref", "=", "DEMO-CONFIRMED")])
    review = search("qms.contract.review", [("order_id", "=", order[0])], limit=1)
    lot = search("stock.lot", [("name", "=", "AS110-2611-01")])
    reports = {
        "stock.report_deliveryslip": (released, ["紧急放行/Emergencyrelease"]),
        "sales_qms.report_delivery_inspection": (signed, ["INS/", "WH/OUT/"]),
        "sales_qms.report_qms_claim": (claim, ["CLM/"]),
        "sales_qms.report_contract_review": (order, ["S000"]),
        "sales_qms.report_contract_review_round": (review, ["/R1"]),
        "sales_qms.qms_lot_label_report_document": (lot, ["AS110-2611-01"]),
        "sales_qms.qms_recall_scope_report_document": (lot, ["AS110-2611-01"]),
    }
    for report, (ids, words) in reports.items():
        text = printer(f"{report}/{ids[0]}", lang)
        for word in words:
            assert word in text, f"{report} ({lang}): {word!r} not in {text!r}"
        # Latin and Chinese both come back as text
        assert re.search(r"[A-Za-z]{4}", text), f"{report} ({lang}): no Latin"
        assert re.search(r"[\u4e00-\u9fff]", text), f"{report} ({lang}): no Chinese"
        assert not RADICALS.findall(text), f"{report} ({lang}): radicals in {text!r}"
    text = printer(
        "sales_qms.report_service_monthly",
        lang,
        options={"date_from": "2026-01-01", "date_to": "2026-12-31"},
    )
    assert "Huada" in text
    assert ("客户服务月报" if lang == "zh_CN" else "MonthlyServiceReport") in text
