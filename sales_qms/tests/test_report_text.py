"""Audit PDFs stay searchable: every sales_qms report, and the delivery slip it
extends, printed with the server running (wkhtmltopdf loading the report assets
from it, web fonts included), in English and Chinese, gives its Latin and
Chinese text back to pdftotext, with no Kangxi radical (⼦, ⽇, ⾏) in place of
an ideograph."""

import re
import shutil
import subprocess
import tempfile

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import QmsCommon, pass_inspection

# what the PDFs of this test must never hold: radicals where the document has
# ideographs (子 read back as ⼦ defeats a search for 电子)
RADICALS = re.compile(r"[\u2e80-\u2fdf]")
COMPANY = ("Huada Workwear", "华达劳保服饰")


def _pdf(path_or_bytes):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(path_or_bytes)
        f.flush()
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", f.name, "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        fonts = subprocess.run(
            ["pdffonts", f.name], check=True, capture_output=True, text=True
        ).stdout
    # no NFKC folding here: the text as a PDF reader's search sees it; lines
    # wrap inside Chinese words, so the words are compared without spaces
    return "".join(text.split()), fonts


@tagged("post_install", "-at_install")
class TestReportText(QmsCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.company.write(
            {"name": " ".join(COMPANY), "qms_procedure_ref": "HDSS-CX-14"}
        )
        cls.customer.name = "Dongguan Precision Electronics 东莞精密电子"
        cls.product = cls._make_product(
            "Anti-static coverall 防静电连体服", tracking="lot", default_code="AS-200"
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "AS200-TXT-01", "product_id": cls.product.id}
        )
        cls._stock(cls.product, 100, lot=cls.lot)
        # a delivered, inspected picking, and an open one released in an emergency
        cls.done_picking = cls._delivery(10)
        pass_inspection(cls.done_picking, cls.keeper, cls.inspector)
        cls.done_picking.with_context(skip_sms=True).button_validate()
        cls.released_picking = cls._delivery(5)
        release = (
            cls.env["qms.delivery.release"]
            .with_user(cls.salesman)
            .create(
                {
                    "picking_id": cls.released_picking.id,
                    "kind": "emergency",
                    "reason": "Production line stopped 生产线停线",
                }
            )
        )
        release.action_request()
        release.with_user(cls.qms_manager).action_approve()
        cls.claim = (
            cls.env["qms.claim"]
            .with_user(cls.service)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "picking_id": cls.done_picking.id,
                    "claim_type": "return",
                    "description": "Seams open 缝线开裂",
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "product_id": cls.product.id,
                                "lot_id": cls.lot.id,
                                "quantity": 2,
                            },
                        )
                    ],
                }
            )
        )
        cls.env["qms.department"].search([]).user_ids = cls.sales_manager
        cls.order = (
            cls.env["sale.order"]
            .with_user(cls.salesman)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "order_line": [
                        (0, 0, {"product_id": cls.product.id, "product_uom_qty": 40})
                    ],
                }
            )
        )
        cls.order.with_user(cls.salesman).action_qms_request_review()

    @classmethod
    def _delivery(cls, qty):
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.picking_type_out.id,
                "partner_id": cls.customer.id,
                "location_id": cls.stock_location.id,
                "location_dest_id": cls.customer_location.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": cls.product.name,
                            "product_id": cls.product.id,
                            "product_uom_qty": qty,
                            "product_uom": cls.product.uom_id.id,
                            "location_id": cls.stock_location.id,
                            "location_dest_id": cls.customer_location.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _print(self, report_name, ids=None, lang="en_US", data=None, user=None):
        """The PDF a user gets from the print menu, as text and font list.

        Rendered while the test server runs: wkhtmltopdf loads the report
        assets from it, web fonts included, as it does in production. (The
        /report/pdf route itself cannot be used in an HttpCase: its request
        holds the test cursor that the asset requests of wkhtmltopdf wait for;
        tests/test_report_http.py prints through the route of a real server.)"""
        self.customer.lang = lang
        pdf, fmt = (
            self.env["ir.actions.report"]
            .with_user(user or self.qms_manager)
            .with_context(lang=lang, force_report_rendering=True)
            ._render_qweb_pdf(report_name, ids, data=data)
        )
        self.assertEqual(fmt, "pdf")
        return _pdf(pdf)

    def _assert_searchable(self, report_name, ids, expected, data=None):
        """Each language's words are in the PDF text. Every report but the
        delivery slip (core's layout header is lost with Debian's wkhtmltopdf)
        names the company in its body."""
        company = () if report_name == "stock.report_deliveryslip" else COMPANY
        for lang, words in expected.items():
            with self.subTest(report=report_name, lang=lang):
                text, fonts = self._print(report_name, ids, lang, data)
                # the report assets were loaded from the server: the stylesheet
                # of sales_qms chose the simplified Chinese face
                self.assertIn("NotoSansCJKsc", fonts)
                for word in (*company, *words):
                    self.assertIn("".join(word.split()), text)
                self.assertFalse(
                    RADICALS.findall(text),
                    f"radicals instead of ideographs in {report_name}: {text}",
                )

    def test_pdfs_are_searchable(self):
        self.assertTrue(shutil.which("pdftotext"), "pdftotext (poppler-utils)")
        picking = self.done_picking
        inspection = picking.qms_inspection_id
        self._assert_searchable(
            "sales_qms.report_delivery_inspection",
            picking.ids,
            {
                "en_US": [
                    "Pre-delivery Inspection Record",
                    inspection.name,
                    "HDSS-CX-14",
                    picking.name,
                    "AS200-TXT-01",
                    "Dongguan Precision Electronics",
                    "东莞精密电子",
                    "Anti-static coverall",
                    self.keeper.name,
                ],
                "zh_CN": [
                    "出货检验记录",
                    inspection.name,
                    "文件编号",
                    "日期",
                    "库管员",
                ],
            },
        )
        self._assert_searchable(
            "stock.report_deliveryslip",
            self.released_picking.ids,
            {
                "en_US": [
                    "紧急放行 / Emergency release",
                    self.released_picking.name,
                    "Pre-delivery Inspection",
                    "AS-200",
                    "防静电连体服",
                ],
                "zh_CN": ["紧急放行 / Emergency release", "出货检验", "发货日期"],
            },
        )
        self._assert_searchable(
            "sales_qms.report_qms_claim",
            self.claim.ids,
            {
                "en_US": ["Claim Report", self.claim.name, "AS200-TXT-01"],
                "zh_CN": [
                    "客户投诉/索赔处理单",
                    self.claim.name,
                    "缝线开裂",
                    "责任部门",
                ],
            },
        )
        review = self.order.qms_review_id
        for report, ids in (
            ("sales_qms.report_contract_review", self.order.ids),
            ("sales_qms.report_contract_review_round", review.ids),
        ):
            self._assert_searchable(
                report,
                ids,
                {
                    "en_US": ["Contract Review Record", review.name, "HDSS-CX-14"],
                    "zh_CN": [
                        "合同评审单",
                        review.name,
                        "东莞精密电子",
                        "部门",
                        "评审意见",
                    ],
                },
            )
        self._assert_searchable(
            "sales_qms.qms_recall_scope_report_document",
            self.lot.ids,
            {
                "en_US": ["召回范围 / Recall Scope", "AS200-TXT-01", picking.name],
                "zh_CN": ["召回范围 / Recall Scope", "AS200-TXT-01", "顾客"],
            },
        )
        today = fields.Date.context_today(self.claim)
        self._assert_searchable(
            "sales_qms.report_service_monthly",
            None,
            {
                "en_US": ["Monthly Service Report", "Claims received"],
                "zh_CN": ["客户服务月报", "收到的索赔"],
            },
            data={
                "date_from": str(today.replace(day=1)),
                "date_to": str(today),
                "company_id": self.company.id,
            },
        )

    def test_lot_label_is_searchable(self):
        for lang in ("en_US", "zh_CN"):
            text, fonts = self._print(
                "sales_qms.qms_lot_label_report_document",
                self.lot.ids,
                lang,
                user=self.inspector,
            )
            self.assertIn("NotoSansCJKsc", fonts)
            for word in ("AS200-TXT-01", "合格", "QUALIFIED", "防静电连体服"):
                self.assertIn(word, text)
            self.assertFalse(RADICALS.findall(text))
