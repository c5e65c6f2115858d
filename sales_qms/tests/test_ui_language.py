"""Store facts, render words in the reader's language: checklist items keep the
translations of their template item, classification details are facts, audit
records print in the reader's language."""

from odoo.tests import tagged

from ..hooks import post_init_hook
from .common import SIGNATURE
from .common_ui import UiCommon, pdf_text


@tagged("post_install", "-at_install")
class TestLanguageOfStoredData(UiCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["res.lang"]._activate_lang("en_US")
        template = cls.env["qms.inspection.template"].create(
            {
                "name": "UI checklist",
                "categ_ids": [(6, 0, cls.product.categ_id.ids)],
                "line_ids": [
                    (
                        0,
                        0,
                        {"sequence": 1, "name": "Certificate of conformity enclosed"},
                    ),
                    (0, 0, {"sequence": 2, "name": "Anti-static label sewn in"}),
                ],
            }
        )
        first, second = template.line_ids.sorted("sequence")
        first.update_field_translations("name", {"zh_CN": "随货附合格证"})
        second.update_field_translations("name", {"zh_CN": "已缝防静电标签"})
        cls.template = template

    def test_checklist_copied_in_chinese_reads_in_each_language(self):
        # the user who confirms the delivery writes Chinese
        picking = self._delivery(lang="zh_CN")
        inspection = picking.qms_inspection_id
        items = inspection.line_ids.sorted("sequence")
        self.assertEqual(items.template_line_id, self.template.line_ids)
        self.assertEqual(
            items.with_context(lang="zh_CN").mapped("name"),
            ["随货附合格证", "已缝防静电标签"],
        )
        self.assertEqual(
            items.with_context(lang="en_US").mapped("name"),
            ["Certificate of conformity enclosed", "Anti-static label sewn in"],
        )
        # the template changes later: the record keeps what was checked
        self.template.line_ids[0].with_context(lang="zh_CN").name = "合格证（新）"
        self.assertEqual(items[0].with_context(lang="zh_CN").name, "随货附合格证")

        items.with_user(self.inspector).write({"result": "pass"})
        inspection.with_user(self.keeper).write({"keeper_signature": SIGNATURE})
        inspection.with_user(self.inspector).write({"inspector_signature": SIGNATURE})
        Report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        report = "sales_qms.action_report_delivery_inspection"
        zh = pdf_text(
            Report.with_context(qms_report_lang="zh_CN")._render_qweb_pdf(
                report, picking.ids
            )[0]
        )
        self.assertIn("随货附合格证", zh)
        self.assertIn("出货检验记录", zh)
        self.assertNotIn("Certificate of conformity enclosed", zh)
        en = pdf_text(
            Report.with_context(qms_report_lang="en_US")._render_qweb_pdf(
                report, picking.ids
            )[0]
        )
        self.assertNotIn("随货附合格证", en)
        # (Latin text of the body is read back from the HTML: the report fonts
        # are another capability's)
        html = (
            Report.with_context(qms_report_lang="en_US")
            ._render_qweb_html(report, picking.ids)[0]
            .decode()
        )
        self.assertIn("Certificate of conformity enclosed", html)
        self.assertIn("Pre-delivery Inspection Record", html)
        self.assertNotIn("随货附合格证", html)

    def test_classification_is_facts_rendered_for_the_reader(self):
        self.product.qms_new_development = True
        self.product.update_field_translations("name", {"zh_CN": "防静电连体服"})
        order = self._order()
        facts = order.qms_special_reason_facts
        self.assertEqual(
            facts, [{"code": "new_product", "product_ids": self.product.ids}]
        )
        en = order.with_context(lang="en_US").qms_special_reason_detail
        zh = order.with_context(lang="zh_CN").qms_special_reason_detail
        self.assertEqual(en, "New product development: UI anti-static coverall")
        self.assertIn("全新产品开发", zh)
        self.assertIn("防静电连体服", zh)
        # the round keeps the facts it was requested with
        order.action_qms_request_review()
        review = order.qms_review_id
        self.assertEqual(review.special_reason_facts, facts)
        self.assertIn(
            "全新产品开发", review.with_context(lang="zh_CN").special_reason_detail
        )
        # margin facts hold numbers, not sentences
        self.product.qms_new_development = False
        order.order_line.price_unit = 52.0
        [fact] = order.qms_special_reason_facts
        self.assertEqual(fact["code"], "margin")
        self.assertIn(
            "below 15.0%", order.with_context(lang="en_US").qms_special_reason_detail
        )

    def test_stored_text_becomes_facts(self):
        Reason = self.env["qms.special.reason"]
        facts = Reason._qms_facts_from_text(
            "credit: overdue receivables\n"
            "margin: margin -437.9% below 15.0%\n"
            "Beyond technical capability: FR-300\n"
            "超生产能力: 交期早于生产周期\n"
            "something else"
        )
        self.assertEqual(
            [f.get("code") for f in facts],
            ["credit", "margin", "technical", "capacity", None],
        )
        self.assertEqual(facts[0]["text"], "overdue receivables")
        text = Reason.with_context(lang="en_US")._qms_render_facts(facts)
        self.assertIn("Payment collection risk: overdue receivables", text)
        self.assertIn("Profit below normal: margin -437.9% below 15.0%", text)

    def test_installation_classifies_the_orders_it_found(self):
        # what the installation left: facts computed before the reasons existed
        self.product.qms_new_development = True
        order = self._order()
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM sale_order_qms_special_reason_rel WHERE order_id = %s",
            [order.id],
        )
        order.invalidate_recordset()
        self.assertFalse(order.qms_special_reason_ids)
        post_init_hook(self.env)
        self.assertEqual(order.qms_special_reason_ids.code, "new_product")
        self.assertEqual(order.qms_contract_type, "special")

    def test_audit_records_print_in_the_readers_language(self):
        self.customer.lang = "zh_CN"
        order = self._order()
        order.action_qms_request_review()
        Report = self.env["ir.actions.report"]
        report = "sales_qms.action_report_contract_review"
        # an English reader of a Chinese customer's review reads English
        html = (
            Report.with_context(lang="en_US")
            ._render_qweb_html(report, order.ids)[0]
            .decode()
        )
        self.assertIn("Contract Review Record", html)
        self.assertNotIn("合同评审单", html)
        # the language chosen when printing wins
        html = (
            Report.with_context(lang="en_US", qms_report_lang="zh_CN")
            ._render_qweb_html(report, order.ids)[0]
            .decode()
        )
        self.assertIn("合同评审单", html)
        # the delivery slip is the customer's: it stays in the customer's language
        picking = self._delivery()
        html = (
            Report.with_context(lang="en_US")
            ._render_qweb_html("stock.action_report_delivery", picking.ids)[0]
            .decode()
        )
        self.assertIn("出货检验", html)
