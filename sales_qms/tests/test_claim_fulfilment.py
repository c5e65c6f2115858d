from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_after_sales import AfterSalesCommon


@tagged("post_install", "-at_install")
class TestClaimFulfilment(AfterSalesCommon):
    def test_return_through_odoo_return_flow(self):
        claim = self._new_claim(claim_type="return")
        claim.with_user(self.service).action_create_return()
        ret = claim.return_picking_id
        self.assertTrue(ret)
        self.assertEqual(ret.return_id, self.picking)
        self.assertEqual(ret.picking_type_id.code, "incoming")
        self.assertEqual(ret.move_ids.product_uom_qty, 2)
        self.assertEqual(ret.move_ids.origin_returned_move_id, self.picking.move_ids)
        # the return takes back the claimed lot, not any lot
        self.assertEqual(ret.move_ids.move_line_ids.lot_id, self.lot)
        self.assertEqual(sum(ret.move_ids.move_line_ids.mapped("quantity")), 2)
        ret.move_ids.picked = True
        ret.button_validate()
        self.assertEqual(ret.state, "done")
        # one return per claim
        with self.assertRaises(UserError):
            claim.with_user(self.service).action_create_return()

    def test_return_refused_for_wrong_type_or_user(self):
        complaint = self._new_claim()
        with self.assertRaises(UserError):
            complaint.with_user(self.service).action_create_return()
        claim = self._new_claim(user=self.salesman, claim_type="return")
        with self.assertRaises(AccessError):
            claim.with_user(self.salesman).action_create_return()
        with self.assertRaises(AccessError):
            claim.with_user(self.salesman).action_create_credit_note()
        no_delivery = self._new_claim(claim_type="return", picking_id=False)
        with self.assertRefused(UserError, "delivery"):
            no_delivery.with_user(self.service).action_create_return()

    def test_exchange_return_and_replacement(self):
        claim = self._new_claim(claim_type="exchange")
        claim.with_user(self.service).action_create_return()
        claim.with_user(self.service).action_create_replacement()
        repl = claim.replacement_picking_id
        self.assertEqual(repl.picking_type_id.code, "outgoing")
        self.assertEqual(repl.partner_id, self.customer)
        self.assertEqual(repl.move_ids.product_id, self.product)
        self.assertEqual(repl.move_ids.product_uom_qty, 2)
        self.assertNotEqual(repl, self.picking)
        with self.assertRaises(UserError):
            claim.with_user(self.service).action_create_replacement()

    def test_compensation_draft_credit_note(self):
        claim = self._new_claim(claim_type="compensation")
        claim.with_user(self.service).action_create_credit_note()
        move = claim.credit_note_id
        self.assertEqual(move.move_type, "out_refund")
        self.assertEqual(move.state, "draft")
        self.assertEqual(move.partner_id, self.customer)
        self.assertEqual(move.invoice_origin, claim.name)
        self.assertEqual(move.invoice_line_ids.quantity, 2)
        self.assertEqual(move.invoice_line_ids.price_unit, 268.0)
        with self.assertRaises(UserError):
            claim.with_user(self.service).action_create_credit_note()

    def test_decided_claim_creates_nothing(self):
        claim = self._new_claim(claim_type="compensation", customer_feedback="ok")
        claim.with_user(self.service).write({"stage": "closed"})
        with self.assertRaises(UserError):
            claim.with_user(self.service).action_create_credit_note()

    def test_lot_status_from_claim(self):
        claim = self._new_claim()
        if "qms_status" not in self.env["stock.lot"]._fields:
            with self.assertRefused(UserError, "qms_status"):
                claim.action_lot_nonconforming()
            self.skipTest("the lot status capability (stock.lot.qms_status) is absent")
        # only QC inspectors and QMS managers decide a lot's status (issue 5):
        # customer service asks, a QMS manager decides from the claim
        with self.assertRaisesRegex(AccessError, "QC Inspector"):
            claim.with_user(self.service).action_lot_pending_disposition()
        manager = self.qms_manager
        claim.with_user(manager).action_lot_pending_disposition()
        self.assertEqual(self.lot.qms_status, "pending_disposition")
        claim.with_user(manager).action_lot_nonconforming()
        self.assertEqual(self.lot.qms_status, "nonconforming")
        # the status log names the claim
        self.assertEqual(self.lot.qms_status_log_ids.sorted("id")[-1].source_ref, claim)
