from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common_review import SIGNATURE, ContractReviewCase


@tagged("post_install", "-at_install")
class TestContractReviewInvalidation(ContractReviewCase):
    def _approved_order(self):
        order = self._create_order()
        order.action_qms_request_review()
        self._approve_all(order)
        self.assertEqual(order.qms_review_state, "approved")
        return order

    def _assert_cancelled(self, order, what):
        review = order.qms_review_ids.sorted("revision")[-1]
        self.assertEqual(review.state, "cancelled", what)
        self.assertEqual(order.qms_review_state, "none", what)
        self.assertIn(what, review.cancel_reason)
        self.assertTrue(
            order.message_ids.filtered(lambda m: "cancelled" in (m.body or "")),
            "a log line on the order",
        )

    def test_commercial_changes_cancel_the_round(self):
        other_product = self.env["product.product"].create(
            {"name": "Other", "list_price": 100.0, "standard_price": 10.0}
        )
        term = self.env["account.payment.term"].create({"name": "30 days"})
        pricelists = self.env["product.pricelist"].create(
            [{"name": "List A"}, {"name": "List B"}]
        )
        partner = self.env["res.partner"].create({"name": "Other customer"})
        changes = [
            ("Line changed", lambda o: o.order_line.write({"product_uom_qty": 9})),
            ("Line changed", lambda o: o.order_line.write({"price_unit": 77})),
            (
                "Line changed",
                lambda o: o.order_line.write({"product_id": other_product.id}),
            ),
            (
                "Line added",
                lambda o: o.write(
                    {"order_line": [Command.create({"product_id": other_product.id})]}
                ),
            ),
            ("Line removed", lambda o: o.order_line.unlink()),
            ("Payment Terms", lambda o: o.write({"payment_term_id": term.id})),
            ("Customer", lambda o: o.write({"partner_id": partner.id})),
            (
                "Pricelist",
                lambda o: o.write(
                    {"pricelist_id": (pricelists - o.pricelist_id)[:1].id}
                ),
            ),
            (
                "Delivery Date",
                lambda o: o.write(
                    {"commitment_date": fields.Datetime.now() + timedelta(days=40)}
                ),
            ),
            (
                "Expiration",
                lambda o: o.write(
                    {"validity_date": fields.Date.today() + timedelta(days=5)}
                ),
            ),
        ]
        for what, change in changes:
            with self.subTest(what=what):
                order = self._approved_order()
                change(order.with_user(self.salesman))
                self._assert_cancelled(order, what)
        # no context key switches the tracking off
        order = self._approved_order()
        order.with_user(self.salesman).with_context(
            qms_no_review_tracking=True, tracking_disable=True, mail_notrack=True
        ).order_line.write({"product_uom_qty": 11})
        self._assert_cancelled(order, "Line changed")
        # a pending round is cancelled as well
        order = self._create_order()
        order.action_qms_request_review()
        order.order_line.product_uom_qty = 50
        self.assertEqual(order.qms_review_id.state, "cancelled")
        # and confirmation is refused again
        with self.assertRaisesRegex(Exception, "contract review"):
            order.action_confirm()

    def test_no_false_invalidation(self):
        order = self._approved_order()
        tag = self.env["crm.tag"].create({"name": "VIP"})
        as_salesman = order.with_user(self.salesman)
        as_salesman.write({"tag_ids": [Command.link(tag.id)]})
        as_salesman.write(
            {"note": "<p>Deliver to gate 3</p>", "client_order_ref": "PO-7"}
        )
        as_salesman.message_post(body="Customer called")
        as_salesman.message_subscribe(partner_ids=self.qms_user.partner_id.ids)
        order._portal_ensure_token()
        order.sudo().write(
            {
                "signed_by": "Customer",
                "signed_on": fields.Datetime.now(),
                "signature": SIGNATURE,
            }
        )
        # writing the same values again is no change
        as_salesman.write(
            {
                "partner_id": order.partner_id.id,
                "payment_term_id": order.payment_term_id.id,
            }
        )
        as_salesman.order_line.write(
            {"product_uom_qty": order.order_line.product_uom_qty}
        )
        as_salesman.action_quotation_send()
        order.write({"state": "sent"})
        self.assertEqual(order.qms_review_id.state, "approved")
        self.assertEqual(len(order.qms_review_ids), 1)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.qms_review_state, "approved")
