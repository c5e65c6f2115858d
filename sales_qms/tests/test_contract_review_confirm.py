from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_review import SIGNATURE, ContractReviewCase


@tagged("post_install", "-at_install")
class TestContractReviewConfirm(ContractReviewCase):
    def test_button_refused_until_approved_naming_departments(self):
        order = self._create_order()
        with self.assertRaisesRegex(UserError, "Finance"):
            order.action_confirm()
        order.action_qms_request_review()
        self._line(order, "finance").with_user(
            self.reviewers["finance"]
        ).action_approve()
        with self.assertRaises(UserError) as error:
            order.action_confirm()
        self.assertIn("Warehouse", str(error.exception))
        self.assertNotIn("Finance", str(error.exception))
        self.assertEqual(order.state, "draft")
        self._approve_all(order)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_rejected_review_blocks(self):
        order = self._create_order()
        order.action_qms_request_review()
        line = self._line(order, "technical")
        line.with_user(self.reviewers["technical"]).write({"comment": "no"})
        line.with_user(self.reviewers["technical"]).action_reject()
        with self.assertRaisesRegex(UserError, "rejected by Technical"):
            order.action_confirm()

    def test_batch_confirm(self):
        approved = self._create_order()
        approved.action_qms_request_review()
        self._approve_all(approved)
        pending = self._create_order()
        pending.action_qms_request_review()
        with self.assertRaisesRegex(UserError, pending.name):
            (approved | pending).action_confirm()
        self.assertEqual(approved.state, "draft")
        self.assertEqual(pending.state, "draft")
        self._approve_all(pending)
        (approved | pending).action_confirm()
        self.assertEqual(set((approved | pending).mapped("state")), {"sale"})

    def test_rpc_write_state_and_create_confirmed(self):
        order = self._create_order()
        with self.assertRaisesRegex(UserError, "contract review"):
            order.write({"state": "sale"})
        with self.assertRaisesRegex(UserError, "contract review"):
            order.sudo().write({"state": "sale"})
        with self.assertRaisesRegex(UserError, "contract review"):
            order.with_context(qms_no_review_tracking=True).write({"state": "sale"})
        self.assertEqual(order.state, "draft")
        with self.assertRaisesRegex(UserError, "created as confirmed"):
            self._create_order(state="sale")

    def test_portal_signature_and_payment_paths(self):
        order = self._create_order()
        order.action_quotation_send()
        order.write({"state": "sent"})
        # the portal accept controller writes the signature then calls this
        order_sudo = order.sudo()
        order_sudo.write({"signed_by": "Customer", "signature": SIGNATURE})
        with self.assertRaisesRegex(UserError, "contract review"):
            order_sudo._validate_order()
        self.assertEqual(order.state, "sent")
        # a payment transaction confirms through the same action_confirm
        with self.assertRaisesRegex(UserError, "contract review"):
            order_sudo.with_context(send_email=True).action_confirm()
        order.action_qms_request_review()
        self._approve_all(order)
        order_sudo._validate_order()
        self.assertEqual(order.state, "sale")

    def test_online_payment_path(self):
        """A paid transaction confirms through payment.transaction's own method."""
        order = self._create_order(require_payment=True, prepayment_percent=1.0)
        order.write({"state": "sent"})
        provider = self.env["payment.provider"].create(
            {"name": "QMS Dummy Provider", "code": "none", "state": "test"}
        )
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": self.env.ref(
                        "payment.payment_method_unknown"
                    ).id,
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": self.partner.id,
                    "reference": f"QMS-TX-{order.id}",
                    "operation": "online_redirect",
                    "sale_order_ids": [(6, 0, order.ids)],
                }
            )
        )
        tx._set_done()
        with self.assertRaisesRegex(UserError, "contract review"):
            tx._check_amount_and_confirm_order()
        self.assertEqual(order.state, "sent")
        order.action_qms_request_review()
        self._approve_all(order)
        self.assertEqual(tx._check_amount_and_confirm_order(), order)
        self.assertEqual(order.state, "sale")

    def test_paper_review_is_server_side_only(self):
        order = self._create_order()
        with self.assertRaises(AccessError):
            order.with_user(self.qms_manager)._qms_record_paper_review(
                "signed on paper"
            )
        order.sudo()._qms_record_paper_review("signed on paper 2026-11-01")
        self.assertEqual(order.qms_review_state, "approved")
        line = self._line(order, "finance")
        self.assertEqual(line.decided_by, self.reviewers["finance"])
        self.assertIn("paper", order.message_ids[0].body)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_setting_off_allows_confirmation(self):
        self.company.qms_review_required = False
        order = self._create_order()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_block_send_setting(self):
        order = self._create_order()
        order.action_quotation_send()
        self.company.qms_review_block_send = True
        with self.assertRaisesRegex(UserError, "only after its contract review"):
            order.action_quotation_send()
        with self.assertRaisesRegex(UserError, "only after its contract review"):
            order.action_preview_sale_order()
        # sharing hands out the same link: refused when the wizard opens...
        share = self.env["portal.share"].with_context(
            active_model="sale.order", active_id=order.id
        )
        with self.assertRaisesRegex(UserError, "only after its contract review"):
            share.default_get(["res_model", "res_id", "share_link"])
        # ...and when a wizard made over RPC sends
        wizard = self.env["portal.share"].create(
            {
                "res_model": "sale.order",
                "res_id": order.id,
                "partner_ids": [(6, 0, order.partner_id.ids)],
            }
        )
        with self.assertRaisesRegex(UserError, "only after its contract review"):
            wizard.action_send_mail()
        order.action_qms_request_review()
        self._approve_all(order)
        order.action_quotation_send()
        wizard.action_send_mail()
