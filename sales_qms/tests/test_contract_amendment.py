from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_review import ContractReviewCase


@tagged("post_install", "-at_install")
class TestContractAmendment(ContractReviewCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # deliveries leave here without the pre-delivery inspection, tested on its own
        cls.env["stock.picking.type"].search([("code", "=", "outgoing")]).write(
            {"qms_inspection_required": False}
        )

    def _confirmed_order(self):
        order = self._create_order()
        order.action_qms_request_review()
        self._approve_all(order)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        return order

    def _validate(self, picking):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        return picking.button_validate()

    def test_line_change_opens_amendment_and_blocks_delivery(self):
        order = self._confirmed_order()
        picking = order.picking_ids
        self.assertEqual(picking.picking_type_code, "outgoing")
        order.with_user(self.salesman).write(
            {"order_line": [(1, order.order_line.id, {"product_uom_qty": 8})]}
        )
        review = order.qms_review_id
        self.assertEqual(review.kind, "amendment")
        self.assertEqual(review.revision, 2)
        self.assertEqual(review.state, "pending")
        self.assertEqual(order.qms_review_state, "pending")
        self.assertEqual(len(review.change_ids), 1)
        change = review.change_ids
        self.assertEqual(change.description, "Line changed")
        self.assertIn("5.0", change.before)
        self.assertIn("8.0", change.after)
        # the reviewers and followers are told
        notice = order.message_ids.filtered(
            lambda m: "Amendment review" in (m.body or "")
        )
        self.assertTrue(notice)
        self.assertIn(self.reviewers["finance"].partner_id, notice[0].partner_ids)
        # delivery is blocked, by the button and by the lower-level _action_done
        with self.assertRaisesRegex(UserError, "amendment"):
            self._validate(picking)
        with self.assertRaisesRegex(UserError, "amendment"):
            picking._action_done()
        # the customer confirms before the last approval
        lines = review.line_ids
        for line in lines[:-1]:
            line.with_user(line.reviewer_ids).action_approve()
        with self.assertRaisesRegex(UserError, "customer's confirmation"):
            lines[-1].with_user(lines[-1].reviewer_ids).action_approve()
        with self.assertRaises(AccessError):
            review.with_user(self.qms_user).write({"customer_confirmed_by": "x"})
        with self.assertRaises(AccessError):
            review.with_user(self.salesman).write(
                {"customer_confirmed_by": "x", "state": "approved"}
            )
        review.with_user(self.salesman).write(
            {
                "customer_confirmed_by": "Huang Wei",
                "customer_confirmed_on": fields.Datetime.now(),
                "customer_confirmation_method": "phone",
            }
        )
        lines[-1].with_user(lines[-1].reviewer_ids).action_approve()
        self.assertEqual(review.state, "approved")
        with self.assertRaises(UserError):
            review.with_user(self.salesman).write(
                {"customer_confirmed_by": "someone else"}
            )
        self._validate(picking)
        self.assertEqual(picking.state, "done")

    def test_protected_header_fields(self):
        order = self._confirmed_order()
        address = self.env["res.partner"].create(
            {"name": "Site B", "parent_id": self.partner.id, "type": "delivery"}
        )
        term = self.env["account.payment.term"].create({"name": "45 days"})
        order.write(
            {
                "commitment_date": fields.Datetime.now() + timedelta(days=20),
                "payment_term_id": term.id,
                "partner_shipping_id": address.id,
            }
        )
        review = order.qms_review_id
        self.assertEqual(review.kind, "amendment")
        self.assertEqual(
            set(review.change_ids.mapped("description")),
            {"Delivery Date", "Payment Terms", "Delivery Address"},
        )
        after = review.change_ids.filtered(
            lambda c: c.description == "Payment Terms"
        ).after
        self.assertEqual(after, "45 days")
        # a further change joins the same pending round
        order.order_line.product_uom_qty = 6
        self.assertEqual(order.qms_review_id, review)
        self.assertEqual(len(review.change_ids), 4)
        self.assertIn("Line changed", review.change_summary)
        # changes are audit records
        with self.assertRaises(UserError):
            review.change_ids[0].with_user(self.qms_manager).write({"after": "x"})
        with self.assertRaises(UserError):
            review.change_ids[0].unlink()

    def test_changes_are_named_in_the_readers_language(self):
        """A change recorded while the user works in Chinese is named in
        English for an English reader, and the other way round."""
        self.env["res.lang"]._activate_lang("zh_CN")
        order = self._confirmed_order()
        order.with_context(lang="zh_CN").write(
            {"commitment_date": fields.Datetime.now() + timedelta(days=30)}
        )
        order.order_line.with_context(lang="zh_CN").product_uom_qty = 7
        changes = order.qms_review_id.change_ids
        self.assertEqual(
            set(changes.mapped("kind")), {"field", "line_changed"}, changes.read()
        )
        self.assertEqual(
            set(changes.with_context(lang="en_US").mapped("label")),
            {"Delivery Date", "Line changed"},
        )
        self.assertEqual(
            set(changes.with_context(lang="zh_CN").mapped("label")),
            {"交付日期", "明细变更"},
        )
        # a further round carries the facts
        order.qms_review_id._cancel("test")
        order.action_qms_request_review()
        self.assertEqual(
            set(
                order.qms_review_id.change_ids.with_context(lang="en_US").mapped(
                    "label"
                )
            ),
            {"Delivery Date", "Line changed"},
        )

    def test_other_writes_open_no_amendment(self):
        order = self._confirmed_order()
        order.write({"client_order_ref": "PO-9", "note": "<p>gate 2</p>"})
        order.message_post(body="hello")
        self.assertEqual(order.qms_review_id.kind, "initial")
        self.assertEqual(len(order.qms_review_ids), 1)
        self._validate(order.picking_ids)
        self.assertEqual(order.picking_ids.state, "done")

    def test_rejected_amendment_can_be_requested_again(self):
        order = self._confirmed_order()
        order.order_line.product_uom_qty = 7
        review = order.qms_review_id
        line = review.line_ids[0]
        line.with_user(line.reviewer_ids).write({"comment": "not feasible"})
        line.with_user(line.reviewer_ids).action_reject()
        self.assertEqual(order.qms_review_state, "rejected")
        with self.assertRaisesRegex(UserError, "amendment"):
            order.picking_ids.button_validate()
        order.action_qms_request_review()
        again = order.qms_review_id
        self.assertEqual(again.kind, "amendment")
        self.assertEqual(again.revision, 3)
        self.assertEqual(
            again.change_ids.mapped("after"), review.change_ids.mapped("after")
        )
