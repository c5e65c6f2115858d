"""Customer requirements in the contract review, and oral orders."""

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common_review import SIGNATURE, ContractReviewCase


@tagged("post_install", "-at_install")
class TestCustomerRequirements(ContractReviewCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own_salesman = new_test_user(
            cls.env,
            login="qms_req_own_salesman",
            groups="sales_team.group_sale_salesman",
        )

    def _requirements(self):
        return [
            Command.create(
                {
                    "kind": "stated",
                    "category": "price",
                    "description": "Unit price 268 CNY incl. VAT",
                }
            ),
            Command.create(
                {
                    "kind": "statutory",
                    "category": "safety",
                    "description": "GB 12014-2019 anti-static clothing",
                    "source": "standard",
                }
            ),
            Command.create(
                {
                    "kind": "implied",
                    "category": "quality",
                    "description": "Washable 100 times without losing conductivity",
                }
            ),
            Command.create(
                {
                    "kind": "company",
                    "category": "transport",
                    "description": "Cartons of 20, moisture-proof",
                }
            ),
        ]

    def test_department_lines_show_their_categories(self):
        order = self._create_order(qms_requirement_ids=self._requirements())
        order.action_qms_request_review()
        finance = self._line(order, "finance")
        technical = self._line(order, "technical")
        warehouse = self._line(order, "warehouse")
        self.assertEqual(finance.requirement_ids.mapped("category"), ["price"])
        self.assertEqual(
            set(technical.requirement_ids.mapped("category")), {"safety", "quality"}
        )
        self.assertEqual(warehouse.requirement_ids.mapped("category"), ["transport"])
        # a reviewer reads the requirements of the line they decide
        lines = finance.with_user(self.reviewers["finance"])
        self.assertEqual(
            lines.requirement_ids.description, "Unit price 268 CNY incl. VAT"
        )

    def test_mapping_is_data(self):
        self.departments["finance"].requirement_category_ids = [
            Command.link(self.env.ref("sales_qms.requirement_category_safety").id)
        ]
        order = self._create_order(qms_requirement_ids=self._requirements())
        order.action_qms_request_review()
        self.assertEqual(
            set(self._line(order, "finance").requirement_ids.mapped("category")),
            {"price", "safety"},
        )

    def test_difference_with_tender_resolved_before_review(self):
        order = self._create_order(
            qms_requirement_ids=[
                Command.create(
                    {
                        "kind": "stated",
                        "category": "delivery",
                        "description": "Delivery in 15 days (tender said 30)",
                        "source": "tender",
                        "differs_from_offer": True,
                    }
                )
            ]
        )
        with self.assertRaisesRegex(UserError, "Delivery in 15 days"):
            order.action_qms_request_review()
        self.assertFalse(order.qms_review_ids)
        order.qms_requirement_ids.write({"resolution": "Customer agreed to 30 days"})
        order.action_qms_request_review()
        self.assertEqual(order.qms_review_state, "pending")

    def test_requirement_change_voids_quotation_review(self):
        order = self._create_order(qms_requirement_ids=self._requirements())
        order.action_qms_request_review()
        self._approve_all(order)
        self.assertEqual(order.qms_review_state, "approved")
        order.qms_requirement_ids[0].description = "Unit price 250 CNY"
        self.assertEqual(order.qms_review_state, "none")
        with self.assertRaisesRegex(UserError, "contract review"):
            order.action_confirm()
        # confirming the requirement with the customer is no change of content
        order.action_qms_request_review()
        self._approve_all(order)
        order.qms_requirement_ids[0].write(
            {"confirmed_by_customer": True, "confirmed_on": fields.Date.today()}
        )
        self.assertEqual(order.qms_review_state, "approved")

    def test_requirement_after_confirmation_opens_amendment(self):
        order = self._create_order(qms_requirement_ids=self._requirements())
        order.action_qms_request_review()
        self._approve_all(order)
        order.action_confirm()
        # added
        order.write(
            {
                "qms_requirement_ids": [
                    Command.create(
                        {
                            "kind": "stated",
                            "category": "training",
                            "description": "Train 10 operators on donning",
                        }
                    )
                ]
            }
        )
        review = order.qms_review_id
        self.assertEqual(review.kind, "amendment")
        self.assertEqual(review.state, "pending")
        self.assertIn("Train 10 operators", review.change_summary)
        # changed and removed: the same pending round covers them
        order.qms_requirement_ids.filtered(lambda r: r.category == "price").write(
            {"description": "Unit price 255 CNY"}
        )
        order.qms_requirement_ids.filtered(lambda r: r.category == "transport").unlink()
        self.assertEqual(order.qms_review_id, review)
        self.assertIn("Unit price 255 CNY", review.change_summary)
        self.assertIn("(removed)", review.change_summary)

    def test_wrong_user_cannot_write_requirements(self):
        order = self._create_order(qms_requirement_ids=self._requirements())
        # a salesperson who sees only their own orders
        with self.assertRaises(AccessError):
            order.qms_requirement_ids[0].with_user(self.own_salesman).write(
                {"description": "changed by someone else"}
            )
        # a department reviewer reads, does not write
        with self.assertRaises(AccessError):
            order.qms_requirement_ids[0].with_user(self.reviewers["technical"]).write(
                {"description": "changed by a reviewer"}
            )
        with self.assertRaises(AccessError):
            self.env["qms.customer.requirement"].with_user(
                self.reviewers["technical"]
            ).create(
                {
                    "order_id": order.id,
                    "category": "other",
                    "description": "added by a reviewer",
                }
            )

    # ------------------------------------------------------------ oral orders
    def _oral_order(self):
        order = self._create_order(qms_order_origin="oral")
        order.action_qms_request_review()
        self._approve_all(order)
        return order

    def _record_oral_confirmation(self, order):
        contact = self.env["res.partner"].create(
            {"name": "Wang Fang", "parent_id": self.partner.id}
        )
        order.write(
            {
                "qms_oral_confirmed_by": contact.id,
                "qms_oral_confirmed_on": fields.Datetime.now(),
                "qms_oral_confirmation_channel": "phone",
            }
        )

    def test_oral_order_button_and_batch(self):
        order = self._oral_order()
        written = self._create_order()
        written.action_qms_request_review()
        self._approve_all(written)
        with self.assertRaisesRegex(UserError, "oral order.*Oral Order Confirmed by"):
            order.action_confirm()
        with self.assertRaisesRegex(UserError, order.name):
            (written | order).action_confirm()
        self.assertEqual(written.state, "draft")
        order.qms_oral_confirmed_on = fields.Datetime.now()
        with self.assertRaisesRegex(UserError, "Oral Order Confirmed through"):
            order.action_confirm()
        self._record_oral_confirmation(order)
        (written | order).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_oral_order_rpc_write_and_create(self):
        order = self._oral_order()
        with self.assertRaisesRegex(UserError, "oral order"):
            order.write({"state": "sale"})
        with self.assertRaisesRegex(UserError, "oral order"):
            order.sudo().write({"state": "sale"})
        # calling it written in the same write is no way round
        with self.assertRaisesRegex(UserError, "oral order"):
            order.write({"state": "sale", "qms_order_origin": "written"})
        self.company.qms_review_required = False
        with self.assertRaisesRegex(UserError, "oral order"):
            self._create_order(qms_order_origin="oral", state="sale")
        self.assertEqual(order.state, "draft")

    def test_oral_order_payment_path(self):
        order = self._oral_order()
        order.write({"state": "sent"})
        order_sudo = order.sudo()
        order_sudo.write({"signed_by": "Customer", "signature": SIGNATURE})
        with self.assertRaisesRegex(UserError, "oral order"):
            order_sudo._validate_order()
        self._record_oral_confirmation(order)
        order_sudo._validate_order()
        self.assertEqual(order.state, "sale")
