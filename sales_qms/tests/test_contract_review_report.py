"""The Contract Review Record renders as a PDF in the reader's language."""

import shutil

from odoo.tests import HttpCase, tagged

from .common_review import ContractReviewCase
from .test_harness import _pdf_text


@tagged("post_install", "-at_install")
class TestContractReviewReport(HttpCase, ContractReviewCase):
    def _render(self, report, ids, lang=None):
        pdf, fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, qms_report_lang=lang)
            ._render_qweb_pdf(report, ids)
        )
        self.assertEqual(fmt, "pdf")
        return _pdf_text(pdf)

    def test_record_in_chinese_from_order_and_round(self):
        self.assertTrue(
            shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed"
        )
        self.env["res.lang"]._activate_lang("zh_CN")
        self.partner.write({"name": "东莞精密电子有限公司", "lang": "zh_CN"})
        self.product.qms_new_development = True
        order = self._create_order()
        order.action_qms_request_review()
        line = self._line(order, "finance")
        line.with_user(self.reviewers["finance"]).write({"comment": "价格偏低"})
        line.with_user(self.reviewers["finance"]).action_reject()
        order.action_qms_request_review()
        self._approve_all(order)
        self.company.qms_procedure_ref = "HDSS-CX-14"

        text = self._render(
            "sales_qms.action_report_contract_review", order.ids, "zh_CN"
        )
        for words in (
            "合同评审单",
            "东莞精密电子有限公司",
            "特殊合同",
            "全新产品开发",
            "财务部",
            "总经理",
            "价格偏低",
            "已驳回",
            "已批准",
            order.name,
            self.company.name,
            "HDSS-CX-14",
            self.reviewers["finance"].name,
        ):
            self.assertIn(words, text)
        self.assertIn("/R1", text)
        self.assertIn("/R2", text)

        review = order.qms_review_id
        text = self._render(
            "sales_qms.action_report_contract_review_round", review.ids, "zh_CN"
        )
        self.assertIn("合同评审单", text)
        self.assertIn(review.name, text)
        self.assertNotIn("价格偏低", text, "the round prints only itself")
        # the Print button asks the language (zh_CN and English are installed)
        self.env["res.lang"]._activate_lang("en_US")
        action = review.action_print()
        self.assertEqual(action["res_model"], "qms.report.print.wizard")
        wizard = (
            self.env["qms.report.print.wizard"]
            .with_context(**action["context"])
            .create({"lang": "zh_CN"})
        )
        self.assertEqual(
            wizard.report_id.report_name, "sales_qms.report_contract_review_round"
        )
        url = wizard.action_print()["url"]
        self.assertIn(
            f"/report/pdf/sales_qms.report_contract_review_round/{review.id}", url
        )
        self.assertIn("zh_CN", url)

    def test_record_in_english(self):
        # a Chinese customer's record, read by an English-speaking reader
        self.env["res.lang"]._activate_lang("zh_CN")
        self.partner.lang = "zh_CN"
        order = self._create_order()
        order.action_qms_request_review()
        text = self._render(
            "sales_qms.action_report_contract_review", order.ids, "en_US"
        )
        self.assertIn("Contract Review Record", text)
        self.assertIn("Finance", text)
        self.assertIn("General contract", text)
