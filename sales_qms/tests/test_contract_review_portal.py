"""The customer's portal signature is a confirmation path too: refused until approved."""

from odoo.tests import HttpCase, JsonRpcException, tagged

from .common_review import SIGNATURE, ContractReviewCase


@tagged("post_install", "-at_install")
class TestContractReviewPortal(HttpCase, ContractReviewCase):
    def _sent_quotation(self):
        order = self._create_order(require_signature=True, require_payment=False)
        order.action_quotation_send()
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

    def test_portal_accept_refused_until_review_approved(self):
        order = self._sent_quotation()
        with self.assertRaises(JsonRpcException) as error:
            self._accept(order)
        self.assertIn("UserError", str(error.exception))
        order.invalidate_recordset()
        self.assertEqual(order.state, "sent")
        # the review is approved: the same signature confirms the order
        order.write({"signature": False, "signed_by": False, "signed_on": False})
        order.action_qms_request_review()
        self._approve_all(order)
        self._accept(order)
        order.invalidate_recordset()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.qms_review_state, "approved")
