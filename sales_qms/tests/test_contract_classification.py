from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common_review import ContractReviewCase


@tagged("post_install", "-at_install")
class TestContractClassification(ContractReviewCase):
    def _codes(self, order):
        return set(order.qms_special_reason_ids.mapped("code"))

    def test_general_by_default(self):
        order = self._create_order()
        self.assertEqual(order.qms_contract_type, "general")
        self.assertFalse(order.qms_special_reason_ids)

    def test_new_product_flag_and_never_sold(self):
        self.product.qms_new_development = True
        order = self._create_order()
        self.assertEqual(order.qms_contract_type, "special")
        self.assertEqual(self._codes(order), {"new_product"})
        self.assertIn("Review coverall", order.qms_special_reason_detail)
        self.assertIn("New product development", order.qms_special_reason_detail)
        self.company.qms_crit_new_product = False
        order._qms_refresh_classification()
        self.assertEqual(order.qms_contract_type, "general")
        # "never sold before" per setting
        self.product.qms_new_development = False
        self.company.write(
            {"qms_crit_new_product": True, "qms_new_product_mode": "flag_or_never_sold"}
        )
        order._qms_refresh_classification()
        self.assertEqual(self._codes(order), {"new_product"})
        self.company.qms_review_required = False
        self._create_order().action_confirm()
        order._qms_refresh_classification()
        self.assertEqual(order.qms_contract_type, "general")

    def test_capacity(self):
        self.product.sale_delay = 10
        order = self._create_order(
            commitment_date=fields.Datetime.now() + timedelta(days=2)
        )
        self.assertEqual(self._codes(order), {"capacity"})
        self.assertIn("lead time", order.qms_special_reason_detail)
        order.commitment_date = fields.Datetime.now() + timedelta(days=30)
        self.assertEqual(order.qms_contract_type, "general")
        self.product.qms_capacity_qty = 3
        self.assertEqual(self._codes(self._create_order(qty=4)), {"capacity"})
        self.assertEqual(self._create_order(qty=3).qms_contract_type, "general")

    def test_technical(self):
        order = self._create_order()
        order.order_line.qms_special_technical = True
        self.assertEqual(self._codes(order), {"technical"})
        self.product.qms_special_technical = True
        self.assertEqual(self._codes(self._create_order()), {"technical"})

    def test_collection_risk(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "120 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100, "nb_days": 120}
                    )
                ],
            }
        )
        order = self._create_order(payment_term_id=term.id)
        self.assertEqual(self._codes(order), {"credit"})
        self.assertIn("120", order.qms_special_reason_detail)
        self.company.qms_max_payment_days = 150
        order._qms_refresh_classification()
        self.assertEqual(order.qms_contract_type, "general")
        # over the credit limit
        self.partner.credit_limit = 100.0
        self.assertEqual(self._codes(self._create_order(qty=5)), {"credit"})
        self.partner.credit_limit = 0.0
        # overdue receivables
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner.id,
                "invoice_date": fields.Date.today() - timedelta(days=60),
                "invoice_date_due": fields.Date.today() - timedelta(days=30),
                "invoice_line_ids": [
                    Command.create({"name": "old", "quantity": 1, "price_unit": 10.0})
                ],
            }
        )
        invoice.action_post()
        self.assertEqual(self._codes(self._create_order()), {"credit"})

    def test_margin(self):
        cheap = self.env["product.product"].create(
            {"name": "Thin margin", "list_price": 100.0, "standard_price": 95.0}
        )
        order = self._create_order(product=cheap)
        self.assertEqual(self._codes(order), {"margin"})
        self.company.qms_margin_threshold = 4.0
        order._qms_refresh_classification()
        self.assertEqual(order.qms_contract_type, "general")

    def test_all_reasons_in_words(self):
        self.product.write({"qms_new_development": True, "qms_special_technical": True})
        order = self._create_order()
        self.assertEqual(self._codes(order), {"new_product", "technical"})
        self.assertEqual(
            set(order.qms_special_reason_ids.mapped("name")),
            {"New product development", "Beyond technical capability"},
        )

    def test_downgrade_only_by_qms_manager_with_reason(self):
        self.product.qms_new_development = True
        order = self._create_order()
        order.action_qms_request_review()
        self.assertIn("gm", order.qms_review_id.line_ids.department_id.mapped("code"))
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).write({"qms_contract_type": "general"})
        with self.assertRaises(AccessError):
            order.with_user(self.salesman)._qms_downgrade("we know it")
        with self.assertRaises(AccessError):
            self.env["qms.contract.downgrade.wizard"].with_user(self.salesman).create(
                {"order_id": order.id, "reason": "x"}
            )
        with self.assertRaisesRegex(UserError, "reason"):
            order.with_user(self.qms_manager)._qms_downgrade("  ")
        action = order.with_user(self.qms_manager).action_qms_open_downgrade()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.qms_manager)
            .with_context(**action["context"])
        )
        wizard.reason = "Repeat order of a proven design"
        wizard.save().action_confirm()
        self.assertEqual(order.qms_contract_type, "general")
        self.assertTrue(order.qms_downgraded)
        self.assertEqual(order.qms_review_id.state, "cancelled")
        self.assertIn(
            "Repeat order of a proven design",
            order.message_ids[:3].mapped("body")[0]
            + "".join(order.message_ids.mapped("body")),
        )
        # the next round is a general one, without the GM
        order.action_qms_request_review()
        self.assertNotIn(
            "gm", order.qms_review_id.line_ids.department_id.mapped("code")
        )
        with self.assertRaisesRegex(UserError, "not a special contract"):
            order.with_user(self.qms_manager)._qms_downgrade("again")

    def test_classified_live_in_the_form(self):
        self.product.qms_new_development = True
        form = Form(self.env["sale.order"].with_user(self.salesman))
        form.partner_id = self.partner
        self.assertEqual(form.qms_contract_type, "general")
        with form.order_line.new() as line:
            line.product_id = self.product
            line.product_uom_qty = 2
        self.assertEqual(form.qms_contract_type, "special")
        order = form.save()
        self.assertEqual(order.qms_contract_type, "special")
        self.assertEqual(self._codes(order), {"new_product"})
