"""Users, departments and orders for the contract review tests (no demo data)."""

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

# a 1x1 PNG, as the portal's signature pad sends
SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
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


class ContractReviewCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # messages are asserted in English whatever the admin's language
        cls.env = cls.env(context=dict(cls.env.context, lang="en_US"))
        cls.company = cls.env.company
        cls.company.write(cls._company_settings())
        cls.salesman = new_test_user(
            cls.env,
            login="qms_rev_salesman",
            groups="sales_team.group_sale_salesman,sales_qms.group_qms_user",
        )
        cls.other_salesman = new_test_user(
            cls.env,
            login="qms_rev_salesman2",
            groups="sales_team.group_sale_salesman_all_leads,sales_qms.group_qms_user",
        )
        cls.qms_manager = new_test_user(
            cls.env,
            login="qms_rev_manager",
            groups="sales_qms.group_qms_manager,sales_team.group_sale_salesman_all_leads",
        )
        cls.outsider = new_test_user(
            cls.env, login="qms_rev_outsider", groups="sales_qms.group_qms_user"
        )
        cls.reviewers = {
            code: new_test_user(
                cls.env, login=f"qms_rev_{code}", groups="sales_qms.group_qms_user"
            )
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
