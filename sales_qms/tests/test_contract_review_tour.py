from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import QmsCommon


@tagged("post_install", "-at_install")
class TestContractReviewTour(QmsCommon, HttpCase):
    def test_request_review_to_confirmation(self):
        admin = self.env.ref("base.user_admin")
        self.company.qms_review_required = True
        for department in self.env["qms.department"].search([]):
            department.user_ids = [Command.set(admin.ids)]
        product = self.env["product.product"].create(
            {"name": "Tour coverall", "list_price": 100.0, "standard_price": 50.0}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.env["res.partner"]
                .create({"name": "Tour customer"})
                .id,
                "user_id": self.salesman.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 3})
                ],
            }
        )
        self.assertEqual(order.qms_contract_type, "general")
        url = f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}"
        self.start_tour(url, "sales_qms_contract_review_request_tour", login="admin")
        self.assertEqual(order.qms_review_state, "approved")
        self.assertEqual(
            set(order.qms_review_id.line_ids.mapped("decided_by")), {admin}
        )
        self.start_tour(url, "sales_qms_contract_review_confirm_tour", login="admin")
        self.assertEqual(order.state, "sale")
