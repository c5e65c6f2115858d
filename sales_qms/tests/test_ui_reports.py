"""Every audit report carries, on every page of its body, the company, the
document number with the procedure number, the date and "page x of y"; the
management representative; signature lines with names and dates; in English
and in Chinese (PDF text read back with pdftotext)."""

import re
import shutil

from odoo import Command, fields
from odoo.tests import tagged

from .common import SIGNATURE
from .common_ui import UiCommon, pdf_text


@tagged("post_install", "-at_install")
class TestAuditReports(UiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["res.lang"]._activate_lang("en_US")
        cls.company.name = "华达劳保服饰有限公司 Huada Workwear"
        # a long checklist: the inspection record runs over several pages
        cls.env["qms.inspection.template"].create(
            {
                "name": "UI long checklist",
                "categ_ids": [(6, 0, cls.product.categ_id.ids)],
                "line_ids": [
                    Command.create({"sequence": n, "name": f"Seam check no. {n}"})
                    for n in range(1, 71)
                ],
            }
        )

    def setUp(self):
        super().setUp()
        self.assertTrue(
            shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed"
        )

    def _pages(self, report, ids, lang, data=None):
        pdf, fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, qms_report_lang=lang)
            ._render_qweb_pdf(report, ids, data=data)
        )
        self.assertEqual(fmt, "pdf")
        pages = [page for page in pdf_text(pdf).split("\f") if page.strip()]
        self.assertTrue(pages)
        return pages

    def _signed_delivery(self):
        picking = self._delivery()
        inspection = picking.qms_inspection_id
        inspection.with_user(self.inspector).action_all_pass()
        inspection.with_user(self.keeper).write({"keeper_signature": SIGNATURE})
        inspection.with_user(self.inspector).write({"inspector_signature": SIGNATURE})
        return picking, inspection

    def _assert_every_page(self, pages, number, page_pattern):
        total = len(pages)
        today = fields.Date.context_today(self.env.user).strftime("%Y-%m-%d")
        for index, page in enumerate(pages, start=1):
            self.assertIn(number, page, f"page {index} lacks the document number")
            self.assertIn(self.company.name, page, f"page {index} lacks the company")
            self.assertIn(today, page, f"page {index} lacks the date")
            self.assertRegex(page, page_pattern.format(page=index, pages=total))

    def test_inspection_record_pages_representative_signatures(self):
        picking, inspection = self._signed_delivery()
        number = f"HDSS-CX-14/{inspection.name}"
        report = "sales_qms.action_report_delivery_inspection"

        pages = self._pages(report, picking.ids, "en_US")
        self.assertGreaterEqual(len(pages), 2, "the long checklist takes two pages")
        self._assert_every_page(pages, number, r"Page {page} of {pages}")
        text = "\n".join(pages)
        self.assertIn("Management Representative", text)
        self.assertIn(self.qms_manager.name, text)
        for words in ("Warehouse Keeper", "QC Inspector", "Name", "Date"):
            self.assertIn(words, text)
        self.assertIn(self.keeper.name, text)
        self.assertIn(self.inspector.name, text)
        signed = fields.Datetime.context_timestamp(
            self.env.user, inspection.keeper_signed_on
        ).strftime("%Y-%m-%d %H:%M")
        self.assertIn(signed, text)

        pages = self._pages(report, picking.ids, "zh_CN")
        self._assert_every_page(pages, number, r"第 {page} 页.共 {pages} 页")
        text = "\n".join(pages)
        for words in (
            "出货检验记录",
            "管理者代表",
            "库管员",
            "质检员",
            "文件编号",
            "姓名",
        ):
            self.assertIn(words, text)
        self.assertIn(self.qms_manager.name, text)
        self.assertIn(self.keeper.name, text)

    def test_contract_review_record_headers_and_signatures(self):
        order = self._order()
        order.action_qms_request_review()
        self._approve_all(order)
        review = order.qms_review_id
        report = "sales_qms.action_report_contract_review_round"
        number = f"HDSS-CX-14/{review.name}"

        pages = self._pages(report, review.ids, "zh_CN")
        self._assert_every_page(pages, number, r"第 {page} 页.共 {pages} 页")
        text = "\n".join(pages)
        # "Decision" and "Comment" are two columns with two headers
        self.assertIn("评审结论", text)
        self.assertIn("评审意见", text)
        self.assertEqual(text.count("评审意见"), 1)
        for words in ("合同评审单", "管理者代表", "编制人", "批准人"):
            self.assertIn(words, text)
        self.assertIn(self.salesman.name, text)
        self.assertIn(self.reviewers["warehouse"].name, text)

        pages = self._pages(report, review.ids, "en_US")
        self._assert_every_page(pages, number, r"Page {page} of {pages}")
        self.assertIn("Management Representative", "\n".join(pages))
        html = (
            self.env["ir.actions.report"]
            .with_context(qms_report_lang="en_US")
            ._render_qweb_html(report, review.ids)[0]
            .decode()
        )
        self.assertIn('<th style="white-space: nowrap;">Decision</th>', html)
        self.assertIn("<th>Review Comment</th>", html)

    def test_recall_scope_claim_and_monthly_reports(self):
        picking, _inspection = self._signed_delivery()
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        rows = self.env["qms.recall.scope"].search([("lot_id", "=", self.lot.id)])
        self.assertTrue(rows)
        # printed from the Recall Scope list: one document per lot
        pages = self._pages("sales_qms.qms_recall_scope_rows_report", rows.ids, "en_US")
        text = "\n".join(pages)
        self.assertIn("UI-LOT-1", text)
        self.assertIn("Management Representative", text)
        self.assertRegex(text, r"Page 1 of \d")
        self.assertIn("Prepared by", text)

        claim = (
            self.env["qms.claim"]
            .with_user(self.service)
            .create(
                {
                    "partner_id": self.customer.id,
                    "picking_id": picking.id,
                    "claim_type": "return",
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "lot_id": self.lot.id,
                                "quantity": 1,
                            }
                        )
                    ],
                }
            )
        )
        pages = self._pages("sales_qms.action_report_qms_claim", claim.ids, "zh_CN")
        text = "\n".join(pages)
        self.assertIn(f"HDSS-CX-14/{claim.name}", text)
        for words in ("客户投诉/索赔处理单", "管理者代表", "客服", "责任部门"):
            self.assertIn(words, text)
        self.assertIn(self.service.name, text)
        self.assertRegex(text, r"第 1 页.共 \d+ 页")

        today = fields.Date.context_today(self.env.user)
        wizard = self.env["qms.service.report.wizard"].create(
            {"date_from": today.replace(day=1), "date_to": today, "lang": "zh_CN"}
        )
        pages = self._pages(
            "sales_qms.action_report_service_monthly",
            wizard.ids,
            "zh_CN",
            data=wizard._prepare_report_data(),
        )
        for index, page in enumerate(pages, start=1):
            self.assertRegex(page, rf"第 {index} 页.共 {len(pages)} 页")
            self.assertTrue(
                re.search(r"客户服务月报", page), f"page {index} of the monthly report"
            )
        self.assertIn("管理者代表", "\n".join(pages))
