"""Proof that the harness is real: a browser tour and a PDF in Chinese."""

import shutil
import subprocess
import tempfile
import unicodedata

from odoo.tests import HttpCase, tagged

from .common import QmsCommon


@tagged("post_install", "-at_install")
class TestHarness(QmsCommon, HttpCase):
    def test_settings_tour(self):
        """Log in, open the Sales QMS app and its settings, change one, save."""
        self.start_tour("/odoo", "sales_qms_settings_tour", login="admin")
        self.assertEqual(self.env.company.qms_procedure_ref, "QP-7.2-TOUR")

    def test_pdf_renders_chinese(self):
        """wkhtmltopdf renders a zh_CN report whose text holds the Chinese words."""
        self.assertTrue(
            shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed"
        )
        self.env["res.lang"]._activate_lang("zh_CN")
        partner = self.env["res.partner"].create(
            {"name": "东莞精密电子有限公司", "lang": "zh_CN"}
        )
        product = self.env["product.product"].create(
            {"name": "防静电连体服", "list_price": 268.0}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 3})
                ],
            }
        )
        pdf, fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf("sale.action_report_saleorder", order.ids)
        )
        self.assertEqual(fmt, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = _pdf_text(pdf)
        # the partner's language drives the report: the title is translated
        self.assertIn("报价单", text)
        self.assertIn("防静电连体服", text)
        self.assertIn("东莞精密电子有限公司", text)


def _pdf_text(pdf):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", f.name, "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    # pdftotext maps some CJK glyphs to Kangxi radicals (⼦ for 子): fold them back
    return unicodedata.normalize("NFKC", text)
