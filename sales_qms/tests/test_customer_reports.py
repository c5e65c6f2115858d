"""The PDFs of the customer capabilities, in Chinese for a Chinese customer and
in English: 客户资信调查表, 顾客财产登记表, 技术状态更改通知 and its acknowledgement
list, and the 合同评审单 with the four kinds of requirements."""

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common_customer import CustomerCase
from .test_harness import _pdf_text


@tagged("post_install", "-at_install")
class TestCustomerReports(HttpCase, CustomerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.customer.write({"name": "东莞精密电子有限公司", "lang": "zh_CN"})
        cls.company.qms_procedure_ref = "HDSS-CX-14"

    def _render(self, report, ids, lang="zh_CN"):
        """Print as a reader choosing ``lang`` in the Print dialog."""
        pdf, fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, qms_report_lang=lang)
            ._render_qweb_pdf(report, ids)
        )
        self.assertEqual(fmt, "pdf")
        return _pdf_text(pdf)

    def _assert_all(self, text, words):
        for word in words:
            self.assertIn(word, text)

    def test_due_diligence(self):
        dd = self._approved_due_diligence(risk_notes="付款记录良好")
        text = self._render("sales_qms.action_report_due_diligence", dd.ids)
        self._assert_all(
            text,
            (
                "资信调查表",
                "东莞精密电子有限公司",
                "HDSS-CX-14",
                dd.name,
                "付款记录良好",
            ),
        )
        text = self._render("sales_qms.action_report_due_diligence", dd.ids, "en_US")
        self._assert_all(text, ("Customer Due Diligence", "Sanctions and Blacklists"))

    def test_customer_property_register(self):
        prop = self.env["qms.customer.property"].create(
            {
                "name": "商标图稿",
                "partner_id": self.customer.id,
                "kind": "drawing",
                "condition_on_receipt": "完好",
            }
        )
        text = self._render(
            "sales_qms.action_report_customer_property", self.customer.ids
        )
        self._assert_all(
            text,
            ("顾客财产登记表", "东莞精密电子有限公司", "商标图稿", prop.reference),
        )
        text = self._render(
            "sales_qms.action_report_customer_property", self.customer.ids, "en_US"
        )
        self._assert_all(text, ("Customer Property Register", "Drawing", "Received"))

    def test_technical_change_notice_and_acknowledgements(self):
        order = self._order()
        order.action_confirm()
        change = self.env["qms.technical.change"].create(
            {
                "title": "反光条更换为3M 8906",
                "product_ids": [Command.set(self.product.ids)],
                "description": "自批次AS200-2612起使用3M 8906反光条。",
                "effective_date": fields.Date.today(),
            }
        )
        change.with_user(self.qms_manager).action_approve()
        change.action_find_affected()
        line = change.affected_line_ids
        text = self._render("sales_qms.action_report_technical_change_notice", line.ids)
        self._assert_all(
            text,
            (
                "技术状态更改通知",
                "反光条更换为3M 8906",
                "东莞精密电子有限公司",
                order.name,
            ),
        )
        text = self._render(
            "sales_qms.action_report_technical_change_acknowledgements",
            change.ids,
            "en_US",
        )
        self._assert_all(
            text, ("Technical Change Notice", "Acknowledgement List", "Pending")
        )
        text = self._render(
            "sales_qms.action_report_technical_change_acknowledgements", change.ids
        )
        self._assert_all(text, ("技术状态更改通知", "确认清单", "东莞精密电子有限公司"))

    def test_contract_review_record_has_the_four_kinds(self):
        self.company.qms_review_required = True
        order = self._order(
            qms_requirement_ids=[
                Command.create(
                    {"kind": "stated", "category": "price", "description": "单价268元"}
                ),
                Command.create(
                    {
                        "kind": "statutory",
                        "category": "safety",
                        "description": "GB 12014-2019 防静电服",
                    }
                ),
            ]
        )
        text = self._render("sales_qms.action_report_contract_review", order.ids)
        self._assert_all(
            text,
            (
                "顾客要求",
                "顾客明示的要求",
                "预期用途所需的要求",
                "法律法规要求",
                "公司附加的要求",
                "单价268元",
                "GB 12014-2019",
            ),
        )
        text = self._render(
            "sales_qms.action_report_contract_review", order.ids, "en_US"
        )
        self._assert_all(
            text,
            ("Customer Requirements", "Stated by the customer", "Added by the company"),
        )
