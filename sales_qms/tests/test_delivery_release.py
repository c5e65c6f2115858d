"""Emergency releases and concessions."""

import base64

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_delivery_inspection import SIGNATURE, DeliveryInspectionCase


@tagged("post_install", "-at_install")
class TestDeliveryRelease(DeliveryInspectionCase):
    def test_emergency_release_flow(self):
        picking = self._create_delivery()
        release = self._release(picking, requester=self.qms_manager)
        self.assertEqual(release.state, "requested")
        self.assertEqual(release.requested_by, self.qms_manager)
        with self.assertRaises(UserError):
            picking.with_user(self.keeper).button_validate()
        # not a manager; the requester himself
        with self.assertRaises(AccessError):
            release.with_user(self.inspector).action_approve()
        with self.assertRaisesRegex(UserError, "another QMS manager"):
            release.with_user(self.qms_manager).action_approve()
        release.with_user(self.qms_manager2).action_approve()
        self.assertEqual(release.state, "approved")
        self.assertEqual(release.approver_id, self.qms_manager2)
        self.assertTrue(release.approved_on)
        self.assertEqual(picking.qms_inspection_state, "released")
        self.assertTrue(picking.qms_emergency_release)
        # the inspection stays open and the inspectors are reminded
        inspection = picking.qms_inspection_id
        self.assertEqual(inspection.result, "pending")
        self.assertIn(self.inspector, inspection.activity_ids.user_id)
        picking.with_user(self.keeper).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.qms_inspection_state, "released")
        # the inspector completes it afterwards; then it is frozen
        self._pass_and_sign(picking)
        self.assertTrue(inspection.is_complete)
        self.assertFalse(inspection.activity_ids)
        self.assertEqual(picking.qms_inspection_state, "passed")
        with self.assertRaisesRegex(UserError, "done or cancelled"):
            inspection.with_user(self.inspector).write({"inspector_signature": False})

    def test_stock_user_without_qms_role(self):
        """A plain warehouse user validates what was signed and nothing else."""
        stock_user = self.plain_stock_user
        signed = self._create_delivery()
        self._pass_and_sign(signed)
        unsigned = self._create_delivery()
        with self.assertRaisesRegex(UserError, "has not signed"):
            unsigned.with_user(stock_user).button_validate()
        with self.assertRaises(AccessError):
            unsigned.qms_inspection_id.with_user(stock_user).write(
                {"keeper_signature": SIGNATURE}
            )
        with self.assertRaises(AccessError):
            self.env["qms.delivery.release"].with_user(stock_user).create(
                {"picking_id": unsigned.id, "reason": "x"}
            )
        signed.with_user(stock_user).button_validate()
        self.assertEqual(signed.state, "done")

    def test_release_needs_reason_and_is_audit(self):
        picking = self._create_delivery()
        release = (
            self.env["qms.delivery.release"]
            .with_user(self.stock_user)
            .create({"picking_id": picking.id, "kind": "emergency", "reason": " "})
        )
        with self.assertRaisesRegex(UserError, "reason"):
            release.action_request()
        with self.assertRaisesRegex(UserError, "buttons"):
            release.with_user(self.qms_manager).write({"state": "approved"})
        with self.assertRaisesRegex(UserError, "recorded by the system"):
            release.write({"approver_id": self.qms_manager.id})
        with self.assertRaisesRegex(UserError, "recorded by the system"):
            self.env["qms.delivery.release"].create(
                {
                    "picking_id": picking.id,
                    "reason": "x",
                    "approver_id": self.qms_manager.id,
                }
            )
        with self.assertRaisesRegex(UserError, "created as a draft"):
            self.env["qms.delivery.release"].create(
                {"picking_id": picking.id, "reason": "x", "state": "approved"}
            )
        release.reason = "Urgent"
        release.action_request()
        release.with_user(self.qms_manager).action_refuse()
        self.assertEqual(release.state, "refused")
        self.assertEqual(picking.qms_inspection_state, "pending")
        with self.assertRaisesRegex(UserError, "no longer be changed"):
            release.write({"reason": "changed"})
        with self.assertRaises(UserError):
            release.unlink()
        with self.assertRaises(UserError):
            release.with_user(self.qms_manager2).action_approve()
        with self.assertRaises(UserError):
            picking.button_validate()

    def test_concession_only_for_failed_with_consent(self):
        picking = self._create_delivery()
        consent = {
            "consent_partner_id": self.customer.id,
            "consent_date": "2026-11-20",
            "consent_document": base64.b64encode(b"%PDF-1.4 consent"),
            "consent_filename": "consent.pdf",
        }
        with self.assertRaisesRegex(UserError, "failed"):
            self._release(picking, kind="concession", **consent)
        inspection = self._answer(picking)
        inspection.line_ids[0].result = "fail"
        with self.assertRaisesRegex(UserError, "not by an emergency release"):
            self._release(picking, kind="emergency")
        with self.assertRaisesRegex(UserError, "consent document"):
            self._release(
                picking,
                kind="concession",
                consent_partner_id=self.customer.id,
                consent_date="2026-11-20",
            )
        release = self._release(picking, kind="concession", **consent)
        with self.assertRaises(AccessError):
            release.with_user(self.stock_user).action_approve()
        release.with_user(self.qms_manager).action_approve()
        self.assertEqual(picking.qms_inspection_state, "released")
        self.assertTrue(picking.qms_concession)
        self.assertFalse(picking.qms_emergency_release)
        picking.with_user(self.keeper).button_validate()
        self.assertEqual(picking.state, "done")

    def test_release_limited_to_lots(self):
        picking = self._create_delivery([(self.lot_product, 60)])
        self.assertEqual(picking.move_line_ids.lot_id, self.lot_a | self.lot_b)
        release = self._release(picking, lot_ids=[(6, 0, self.lot_a.ids)])
        release.with_user(self.qms_manager).action_approve()
        self.assertEqual(picking._qms_released_lots(), self.lot_a)
        # lot B is not covered: the picking cannot leave as a whole
        with self.assertRaises(UserError):
            picking.button_validate()
        release_all = self._release(picking)
        self.assertEqual(picking._qms_released_lots(), self.lot_a)
        release_all.with_user(self.qms_manager).action_approve()
        self.assertEqual(picking._qms_released_lots(), self.lot_a | self.lot_b)
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_released_lots_empty_without_approval(self):
        picking = self._create_delivery([(self.lot_product, 5)])
        self._release(picking)
        self.assertFalse(picking._qms_released_lots())
        self.assertEqual(picking.qms_inspection_state, "pending")
        # once passed and signed, the inspection outranks the release in the status
        self._pass_and_sign(picking)
        self.assertEqual(picking.qms_inspection_state, "passed")
        self.assertTrue(SIGNATURE)
