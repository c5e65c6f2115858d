"""wkhtmltopdf missing or failing: printing an audit report gives a clear message
and nothing else breaks. The faults are real ones: a failing program named
wkhtmltopdf first on the PATH, or a PATH where there is none."""

import html
import json
import os
import stat
import tempfile
from contextlib import contextmanager
from unittest.mock import patch
from urllib.parse import urlencode

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.base.models import ir_actions_report as core_report

from .common import QmsCommon

CLAIM_REPORT = "sales_qms.report_qms_claim"
# how a wkhtmltopdf fails in the field, as shell scripts
FAILING = {
    "exits with an error": "echo 'QXcbConnection: Could not connect to display' >&2\n"
    "exit 2",
    "crashes": "kill -SEGV $$",
    "writes no PDF": "echo 'Exit with code 1 due to network error: "
    "HostNotFoundError' >&2\nexit 1",
}


@tagged("post_install", "-at_install")
class TestReportFaults(QmsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claim = (
            cls.env["qms.claim"]
            .with_user(cls.service)
            .create({"partner_id": cls.customer.id, "description": "Seams open"})
        )

    @contextmanager
    def _wkhtmltopdf(self, script=None):
        """A PATH whose wkhtmltopdf runs `script`, or with no wkhtmltopdf."""
        with tempfile.TemporaryDirectory() as folder:
            path = folder
            if script is not None:
                binary = os.path.join(folder, "wkhtmltopdf")
                with open(binary, "w", encoding="utf-8") as f:
                    f.write(f"#!/bin/sh\n{script}\n")
                os.chmod(binary, stat.S_IRWXU)
                path = os.pathsep.join([folder, os.environ.get("PATH", "")])
            with patch.dict(os.environ, {"PATH": path}):
                yield

    def _print(self, user=None):
        return (
            self.env["ir.actions.report"]
            .with_user(user or self.service)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(CLAIM_REPORT, self.claim.ids)
        )

    def _assert_nothing_else_broke(self):
        attachments = self.env["ir.attachment"].search_count(
            [("res_model", "=", "qms.claim"), ("res_id", "=", self.claim.id)]
        )
        self.assertEqual(attachments, 0, "a failed print leaves no file behind")
        self.assertEqual(self.claim.stage, "new")
        # the transaction goes on: the claim is worked on, and printed once
        # wkhtmltopdf is back
        self.claim.with_user(self.service).action_investigate()
        self.assertEqual(self.claim.stage, "investigating")
        pdf, fmt = self._print()
        self.assertEqual(fmt, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_failing_wkhtmltopdf(self):
        for fault, script in FAILING.items():
            with self.subTest(fault=fault), self._wkhtmltopdf(script):
                with self.assertRaises(UserError) as caught:
                    self._print()
                self.assertIn("wkhtmltopdf", str(caught.exception).lower())
        self._assert_nothing_else_broke()

    def test_missing_wkhtmltopdf(self):
        """Removed (or not executable) since the server started."""
        with self._wkhtmltopdf(), self.assertRaises(UserError) as caught:
            self._print()
        message = str(caught.exception)
        self.assertIn("wkhtmltopdf", message)
        self.assertIn("cannot be run on the server", message)
        self.assertIn("nothing was changed", message)
        self._assert_nothing_else_broke()

    def test_missing_at_start_up(self):
        """Absent when the server started: Odoo recorded it (the state its
        start-up check sets) and says so."""
        with (
            patch.object(core_report, "wkhtmltopdf_state", "install"),
            self.assertRaises(UserError) as caught,
        ):
            self._print()
        self.assertIn("Wkhtmltopdf", str(caught.exception))
        self._assert_nothing_else_broke()

    def test_user_sees_the_message(self):
        """The web client's print path (/report/download) answers with the
        message of a UserError, which the client shows in a dialog, not a
        traceback of a server error."""
        self.authenticate(self.service.login, self.service.login)
        url = f"/report/pdf/{CLAIM_REPORT}/{self.claim.id}"
        for fault, script in {
            **FAILING,
            "missing": None,
        }.items():
            with self.subTest(fault=fault), self._wkhtmltopdf(script):
                query = urlencode(
                    {
                        "data": json.dumps([url, "qweb-pdf"]),
                        "context": json.dumps({"force_report_rendering": True}),
                    }
                )
                response = self.url_open(f"/report/download?{query}", timeout=60)
                # the body the web client reads: escaped JSON
                error = json.loads(html.unescape(response.text))["data"]
                self.assertEqual(error["name"], "odoo.exceptions.UserError")
                self.assertIn("wkhtmltopdf", error["message"].lower())
                self.assertNotIn("Traceback", error["message"])
        self._assert_nothing_else_broke()
