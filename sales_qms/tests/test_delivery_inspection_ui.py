"""Browser tour, printed delivery slip and Pre-delivery Inspection Record."""

from odoo.tests import HttpCase, tagged

from .common_delivery_inspection import SIGNATURE, DeliveryInspectionCase
from .test_harness import _pdf_text


@tagged("post_install", "-at_install")
class TestDeliveryInspectionUi(DeliveryInspectionCase, HttpCase):
    def test_tour_fill_and_sign(self):
        keeper = self.keeper
        picking = self._create_delivery()
        inspection = picking.qms_inspection_id
        self.start_tour(
            f"/odoo/action-sales_qms.qms_delivery_inspection_action/{inspection.id}",
            "sales_qms_delivery_inspection_tour",
            login=keeper.login,
        )
        self.assertEqual(inspection.result, "passed")
        self.assertEqual(inspection.keeper_id, keeper)
        self.assertTrue(inspection.keeper_signature)
        self.assertTrue(inspection.keeper_signed_on)

    def test_inspection_record_pdf_zh_cn(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.customer.lang = "zh_CN"
        self.env.company.partner_id.lang = "zh_CN"
        self.env.company.name = "华达劳保服饰有限公司"
        self.env.company.qms_procedure_ref = "QP-7.2"
        picking = self._create_delivery()
        inspection = self._pass_and_sign(picking)
        # what pdftotext cannot read back here (Latin text) is checked in the HTML
        Report = self.env["ir.actions.report"].with_context(qms_report_lang="zh_CN")
        html = Report._render_qweb_html(
            "sales_qms.action_report_delivery_inspection", picking.ids
        )[0].decode()
        for text in (
            inspection.name,
            "QP-7.2",
            self.keeper.name,
            self.inspector.name,
            picking.name,
            "文件编号",
        ):
            self.assertIn(text, html)
        pdf, fmt = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "sales_qms.action_report_delivery_inspection", picking.ids
        )
        self.assertEqual(fmt, "pdf")
        text = _pdf_text(pdf)
        self.assertIn("出货检验记录", text)
        self.assertIn("随货附合格证", text)
        self.assertIn("华达劳保服饰有限公司", text)
        for label in ("公司", "文件编号", "日期", "库管员", "质检员", "合格"):
            self.assertIn(label, text)

    def test_delivery_slip_shows_inspection_release_and_after_sales(self):
        company = self.env.company
        self.customer.lang = "en_US"
        company.qms_aftersales_contacts = "After-sales: Mr Wang 400-800-1234"
        company.qms_claim_rules = "Claims within 30 days of delivery"
        self.env["res.lang"]._activate_lang("zh_CN")
        company.update_field_translations(
            "qms_claim_rules", {"zh_CN": "收货后30天内提出索赔"}
        )
        picking = self._create_delivery()
        release = self._release(picking, requester=self.stock_user)
        release.with_user(self.qms_manager).action_approve()
        self._answer(picking)
        picking.qms_inspection_id.with_user(self.keeper).write(
            {"keeper_signature": SIGNATURE}
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("stock.action_report_delivery", picking.ids)[0]
            .decode()
        )
        self.assertIn("紧急放行 / Emergency release", html)
        self.assertIn(picking.qms_inspection_id.name, html)
        self.assertIn(self.keeper.name, html)
        self.assertIn(release.name, html)
        self.assertIn("400-800-1234", html)
        self.assertIn("Claims within 30 days", html)
        # the customer's language picks the claim rules
        self.customer.lang = "zh_CN"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("stock.action_report_delivery", picking.ids)[0]
            .decode()
        )
        self.assertIn("收货后30天内提出索赔", html)
        self.assertIn("售后服务", html)

    def test_delivery_slip_shows_salesperson_of_the_order(self):
        salesperson = self.salesman
        order = (
            self.env["sale.order"]
            .with_user(salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": salesperson.id,
                    "order_line": [
                        (0, 0, {"product_id": self.product.id, "product_uom_qty": 2})
                    ],
                }
            )
        )
        order.action_confirm()
        picking = order.picking_ids
        self.assertTrue(picking.qms_inspection_id)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("stock.action_report_delivery", picking.ids)[0]
            .decode()
        )
        self.assertIn("QMS Salesperson", html)
        self.assertIn("qms_salesman@example.com", html)
