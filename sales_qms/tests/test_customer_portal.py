"""Over HTTP: the customer's portal signature is refused for an unevaluated
customer and an unconfirmed oral order; the technical change is acknowledged
through the link of the notice."""

from odoo import Command, fields
from odoo.tests import HttpCase, JsonRpcException, tagged

from .common_customer import CustomerCase
from .common_review import SIGNATURE


@tagged("post_install", "-at_install")
class TestCustomerPortal(HttpCase, CustomerCase):
    def _sent_quotation(self, **vals):
        order = self._order(require_signature=True, require_payment=False, **vals)
        order.write({"state": "sent"})
        order._portal_ensure_token()
        return order

    def _accept(self, order):
        return self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {
                "access_token": order.access_token,
                "name": "Huang Wei",
                "signature": SIGNATURE,
            },
        )

    def _reset_signature(self, order):
        order.write({"signature": False, "signed_by": False, "signed_on": False})

    def test_portal_accept_refused_without_due_diligence(self):
        self.company.qms_due_diligence_required = True
        order = self._sent_quotation()
        with self.assertRaises(JsonRpcException) as error:
            self._accept(order)
        self.assertIn("UserError", str(error.exception))
        order.invalidate_recordset()
        self.assertEqual(order.state, "sent")
        self._reset_signature(order)
        self._approved_due_diligence()
        self._accept(order)
        order.invalidate_recordset()
        self.assertEqual(order.state, "sale")

    def test_portal_accept_refused_for_unconfirmed_oral_order(self):
        order = self._sent_quotation(qms_order_origin="oral")
        with self.assertRaises(JsonRpcException) as error:
            self._accept(order)
        self.assertIn("UserError", str(error.exception))
        order.invalidate_recordset()
        self.assertEqual(order.state, "sent")
        self._reset_signature(order)
        order.write(
            {
                "qms_oral_confirmed_by": self.contact.id,
                "qms_oral_confirmed_on": fields.Datetime.now(),
                "qms_oral_confirmation_channel": "phone",
            }
        )
        self._accept(order)
        order.invalidate_recordset()
        self.assertEqual(order.state, "sale")

    def _notified_line(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.product.id, "product_uom_qty": 1}
                    )
                ],
            }
        )
        order.action_confirm()
        change = self.env["qms.technical.change"].create(
            {
                "title": "Zipper YKK 5 replaces YKK 3",
                "product_ids": [Command.set(self.product.ids)],
                "description": "From 1 December the front zipper is YKK 5.",
                "effective_date": fields.Date.today(),
            }
        )
        change.with_user(self.qms_manager).action_approve()
        change.action_find_affected()
        change.action_notify()
        return change.affected_line_ids

    def test_acknowledgement_over_the_portal(self):
        line = self._notified_line()
        self.assertEqual(line.partner_id, self.customer)
        url = f"/my/technical_changes/{line.id}"
        # a wrong token shows nothing and changes nothing
        res = self.url_open(f"{url}?access_token=wrong", allow_redirects=False)
        self.assertIn(res.status_code, (302, 303))
        page = self.url_open(f"{url}?access_token={line.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("YKK 5", page.text)
        self.assertIn("Accept the Change", page.text)
        res = self.url_open(
            f"{url}/respond",
            data={
                "access_token": "wrong",
                "response": "accepted",
                "name": "Forger",
                "csrf_token": self._csrf(),
            },
            allow_redirects=False,
        )
        line.invalidate_recordset()
        self.assertEqual(line.response, "pending")
        res = self.url_open(
            f"{url}/respond",
            data={
                "access_token": line.access_token,
                "response": "accepted",
                "name": "Huang Wei",
                "note": "OK for our plant",
                "csrf_token": self._csrf(),
            },
        )
        self.assertEqual(res.status_code, 200)
        self.assertIn("your answer is recorded", res.text)
        line.invalidate_recordset()
        self.assertEqual(line.response, "accepted")
        self.assertEqual(line.acknowledged_by, "Huang Wei")
        self.assertEqual(line.response_channel, "portal")
        # answered once
        res = self.url_open(
            f"{url}/respond",
            data={
                "access_token": line.access_token,
                "response": "rejected",
                "name": "Someone else",
                "csrf_token": self._csrf(),
            },
        )
        self.assertIn("already recorded", res.text)
        line.invalidate_recordset()
        self.assertEqual(line.response, "accepted")

    def _csrf(self):
        page = self.url_open("/web/login")
        marker = 'name="csrf_token" value="'
        start = page.text.index(marker) + len(marker)
        return page.text[start : page.text.index('"', start)]
