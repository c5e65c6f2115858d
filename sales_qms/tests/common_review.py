"""Departments with their reviewers, a customer and a product for the contract
review tests, on the role users of ``QmsCommon`` (no demo data)."""

from odoo import Command
from odoo.tests import new_test_user

from .common import QMS_USER, QmsCommon
from .common import SIGNATURE as SIGNATURE_B64

# a 1x1 PNG, as the portal's signature pad sends it (text, not bytes)
SIGNATURE = SIGNATURE_B64.decode()
DEPARTMENT_CODES = (
    "sales",
    "technical",
    "production",
    "quality",
    "purchasing",
    "finance",
    "warehouse",
    "gm",
)


class ContractReviewCase(QmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(cls._company_settings())
        # one reviewer per department: the departments are this capability's data
        cls.reviewers = {
            code: new_test_user(cls.env, login=f"qms_rev_{code}", groups=QMS_USER)
            for code in DEPARTMENT_CODES
        }
        cls.departments = {
            dept.code: dept
            for dept in cls.env["qms.department"].search(
                [("company_id", "in", [False, cls.company.id])]
            )
        }
        for code, dept in cls.departments.items():
            dept.user_ids = [Command.set(cls.reviewers[code].ids)]
        cls.partner = cls.env["res.partner"].create({"name": "QMS Review Customer"})
        cls.product = cls.env["product.product"].create(
            {
                "name": "Review coverall",
                "list_price": 100.0,
                "standard_price": 50.0,
                "is_storable": True,
            }
        )

    @classmethod
    def _company_settings(cls):
        return {
            "qms_review_required": True,
            "qms_review_segregation": True,
            "qms_review_block_send": False,
            "qms_crit_new_product": True,
            "qms_new_product_mode": "flag",
            "qms_crit_capacity": True,
            "qms_crit_technical": True,
            "qms_crit_collection": True,
            "qms_max_payment_days": 90,
            "qms_crit_margin": True,
            "qms_margin_threshold": 15.0,
        }

    def _create_order(self, user=None, qty=5, product=None, **vals):
        env = self.env(user=user or self.salesman)
        return env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "user_id": vals.pop("user_id", (user or self.salesman).id),
                "order_line": [
                    Command.create(
                        {
                            "product_id": (product or self.product).id,
                            "product_uom_qty": qty,
                        }
                    )
                ],
                **vals,
            }
        )

    def _line(self, order, code):
        return order.qms_review_id.line_ids.filtered(
            lambda x: x.department_id.code == code
        )

    def _approve_all(self, order):
        """Every department approves, the final signature last."""
        review = order.sudo().qms_review_id
        for line in review.line_ids.sorted("is_final").filtered(
            lambda x: x.state == "pending"
        ):
            line.with_user(line.reviewer_ids[0]).action_approve()
        return review
