"""Data for the customer capabilities: due diligence, customer property and
technical changes (issue 12). Built on QmsCommon; no demo data."""

from odoo import Command
from odoo.tests import new_test_user

from .common import QmsCommon


class CustomerCase(QmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._switch_off_review()
        cls._switch_off_inspection()
        # the finance department's reviewer approves due diligences
        cls.finance = new_test_user(
            cls.env,
            login="qms_finance_t",
            name="QMS Finance Reviewer",
            groups="sales_qms.group_qms_user",
            email="qms_finance@example.com",
        )
        cls.finance_department = cls.env["qms.department"].search(
            [("code", "=", "finance"), ("company_id", "in", [False, cls.company.id])],
            limit=1,
        )
        cls.finance_department.user_ids = [Command.set(cls.finance.ids)]
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Li Na (purchasing)",
                "parent_id": cls.customer.id,
                "email": "li.na@example.com",
            }
        )
        cls.product = cls._make_product("Anti-static coverall AS-200", list_price=268.0)
        cls.company.qms_due_diligence_months = 12
        # mails and portal pages are in the customer's language
        cls.customer.lang = "en_US"

    def _order(self, user=None, partner=None, **vals):
        env = self.env(user=user or self.salesman)
        return env["sale.order"].create(
            {
                "partner_id": (partner or self.customer).id,
                "user_id": (user or self.salesman).id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 3}
                    )
                ],
                **vals,
            }
        )

    def _due_diligence(self, user=None, partner=None, **vals):
        env = self.env(user=user or self.salesman)
        checks = dict.fromkeys(
            (
                "check_legal_existence",
                "check_licences",
                "check_ownership",
                "check_sanctions",
                "check_litigation",
                "check_references",
                "check_financial_statements",
            ),
            "verified",
        )
        return env["qms.due.diligence"].create(
            {
                "partner_id": (partner or self.customer).id,
                **checks,
                "credit_rating": "B",
                "credit_limit": 50000.0,
                **vals,
            }
        )

    def _approved_due_diligence(self, partner=None, **vals):
        dd = self._due_diligence(partner=partner, **vals)
        dd.action_submit()
        dd.with_user(self.finance).action_approve()
        return dd
