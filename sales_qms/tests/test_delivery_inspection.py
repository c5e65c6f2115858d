"""Pre-delivery inspection: creation, checklist, signatures, validation paths."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common_delivery_inspection import SIGNATURE, DeliveryInspectionCase


@tagged("post_install", "-at_install")
class TestDeliveryInspection(DeliveryInspectionCase):
    # ------------------------------------------------------------------ creation
    def test_inspection_exists_once_confirmed(self):
        draft = self._create_delivery(confirm=False, assign=False)
        self.assertFalse(draft.qms_inspection_id)
        self.assertEqual(draft.qms_inspection_state, "pending")
        draft.action_confirm()
        inspection = draft.qms_inspection_id
        self.assertTrue(inspection)
        self.assertEqual(inspection.result, "pending")
        self.assertEqual(len(inspection.line_ids), 7)
        # copied in the company's language
        self.assertTrue(
            {"Certificate of conformity included", "随货附合格证"}
            & set(inspection.line_ids.mapped("name"))
        )
        self.assertTrue(inspection.name.startswith("INS/"))
        # reserving again does not make a second one
        draft.action_assign()
        self.assertEqual(draft.qms_inspection_id, inspection)

    def test_outgoing_types_require_inspection_by_default(self):
        self.assertTrue(self.env.ref("stock.picking_type_out").qms_inspection_required)
        self.assertFalse(self.env.ref("stock.picking_type_in").qms_inspection_required)
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.customer_location.id,
                "location_dest_id": self.stock_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "in",
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "location_id": self.customer_location.id,
                            "location_dest_id": self.stock_location.id,
                        }
                    )
                ],
            }
        )
        receipt.action_confirm()
        self.assertFalse(receipt.qms_inspection_id)
        self.assertEqual(receipt.qms_inspection_state, "not_required")
        receipt.move_ids.quantity = 1
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")

    def test_category_template_replaces_default(self):
        categ = self.env["product.category"].create({"name": "QMS Antistatic"})
        sub = self.env["product.category"].create(
            {"name": "QMS Antistatic Suits", "parent_id": categ.id}
        )
        self.env["qms.inspection.template"].create(
            {
                "name": "Antistatic",
                "categ_ids": [Command.set(categ.ids)],
                "line_ids": [
                    Command.create({"name": "Surface resistance tested"}),
                    Command.create({"name": "Certificate of conformity included"}),
                ],
            }
        )
        self.product.categ_id = sub
        picking = self._create_delivery()
        self.assertEqual(
            picking.qms_inspection_id.line_ids.mapped("name"),
            ["Surface resistance tested", "Certificate of conformity included"],
        )
        with self.assertRaises(UserError):
            self.env["qms.inspection.template"].create({"name": "No scope"})

    # ------------------------------------------------------------------ signing
    def test_signing_records_user_and_time(self):
        picking = self._create_delivery()
        inspection = self._answer(picking)
        self.assertEqual(inspection.result, "passed")
        inspection.with_user(self.keeper).write({"keeper_signature": SIGNATURE})
        self.assertEqual(inspection.keeper_id, self.keeper)
        self.assertTrue(inspection.keeper_signed_on)
        self.assertFalse(inspection.is_complete)
        self.assertEqual(picking.qms_inspection_state, "pending")
        inspection.with_user(self.inspector).write({"inspector_signature": SIGNATURE})
        self.assertEqual(inspection.inspector_id, self.inspector)
        self.assertTrue(inspection.is_complete)
        self.assertEqual(picking.qms_inspection_state, "passed")
        self.assertIn("Signed as", inspection.message_ids[0].body)

    def test_signing_refused_for_wrong_user(self):
        picking = self._create_delivery()
        inspection = self._answer(picking)
        # a keeper signing as inspector, an inspector as keeper, a plain QMS user
        with self.assertRaisesRegex(AccessError, "QC inspector"):
            inspection.with_user(self.keeper).write({"inspector_signature": SIGNATURE})
        with self.assertRaisesRegex(AccessError, "warehouse keeper"):
            inspection.with_user(self.inspector).write({"keeper_signature": SIGNATURE})
        with self.assertRaises(AccessError):
            inspection.with_user(self.stock_user).write({"keeper_signature": SIGNATURE})
        # the same person cannot sign twice, in either order
        inspection.with_user(self.keeper_inspector).write(
            {"keeper_signature": SIGNATURE}
        )
        with self.assertRaisesRegex(UserError, "two different people"):
            inspection.with_user(self.keeper_inspector).write(
                {"inspector_signature": SIGNATURE}
            )
        # the signer cannot be set by hand, over RPC or otherwise
        for field in ("keeper_id", "inspector_id", "inspector_signed_on"):
            with self.assertRaisesRegex(UserError, "recorded by the system"):
                inspection.write(
                    {field: self.inspector.id if "id" in field else "2026-01-01"}
                )
        with self.assertRaisesRegex(UserError, "recorded by the system"):
            self.env["qms.delivery.inspection"].create(
                {"picking_id": picking.id, "keeper_id": self.keeper.id}
            )

    def test_signing_needs_every_item_answered(self):
        picking = self._create_delivery()
        inspection = picking.qms_inspection_id.with_user(self.inspector)
        inspection.line_ids[:-1].write({"result": "pass"})
        with self.assertRaisesRegex(UserError, "every checklist item is answered"):
            inspection.with_user(self.keeper).write({"keeper_signature": SIGNATURE})
        inspection.line_ids[-1].write({"result": "na"})
        inspection.with_user(self.keeper).write({"keeper_signature": SIGNATURE})
        # a signed checklist is frozen
        with self.assertRaisesRegex(UserError, "withdraw"):
            inspection.line_ids[0].write({"result": "fail"})

    def test_failed_item_fails_the_inspection(self):
        picking = self._create_delivery()
        inspection = self._answer(picking)
        inspection.line_ids[0].write({"result": "fail", "note": "Wrong model"})
        self.assertEqual(inspection.result, "failed")
        self._sign(picking)
        self.assertEqual(picking.qms_inspection_state, "failed")
        with self.assertRaisesRegex(UserError, "inspection failed"):
            picking.with_user(self.keeper).button_validate()

    def test_withdraw_signature(self):
        picking = self._create_delivery()
        inspection = self._pass_and_sign(picking)
        with self.assertRaises(AccessError):
            inspection.with_user(self.keeper).write({"inspector_signature": False})
        inspection.with_user(self.inspector).write({"inspector_signature": False})
        self.assertFalse(inspection.inspector_id)
        self.assertEqual(picking.qms_inspection_state, "pending")

    def test_inspection_never_deleted(self):
        picking = self._create_delivery()
        with self.assertRaises(UserError):
            picking.qms_inspection_id.unlink()

    # ------------------------------------------------------------------ validation
    def test_validation_refused_on_every_path(self):
        picking = self._create_delivery()
        self._answer(picking)
        picking.qms_inspection_id.with_user(self.keeper).write(
            {"keeper_signature": SIGNATURE}
        )
        as_keeper = picking.with_user(self.keeper)
        with self.assertRaisesRegex(UserError, "QC inspector has not signed"):
            as_keeper.button_validate()
        # context keys of core wizards do not open the door
        for ctx in (
            {"skip_backorder": True},
            {"skip_sanity_check": True, "skip_expired": True},
            {"cancel_backorder": True, "picking_ids_not_to_backorder": picking.ids},
            {"button_validate_picking_ids": picking.ids},
        ):
            with self.assertRaises(UserError):
                as_keeper.with_context(**ctx).button_validate()
        # the server-side calls behind the button
        with self.assertRaises(UserError):
            as_keeper._action_done()
        with self.assertRaises(UserError):
            picking.sudo().with_context(cancel_backorder=True)._action_done()
        with self.assertRaises(UserError):
            picking.move_ids.sudo()._action_done()
        self.assertEqual(picking.state, "assigned")

    def test_batch_validation_refuses_the_unsigned_one(self):
        good = self._create_delivery()
        bad = self._create_delivery()
        self._pass_and_sign(good)
        with self.assertRaisesRegex(UserError, bad.name):
            (good | bad).with_user(self.keeper).button_validate()
        self.assertEqual(good.state, "assigned")
        with self.assertRaises(UserError):
            (good | bad)._action_done()
        (good).with_user(self.keeper).button_validate()
        self.assertEqual(good.state, "done")

    def test_validation_after_signing_and_lock(self):
        picking = self._create_delivery([(self.lot_product, 5)])
        inspection = self._pass_and_sign(picking)
        picking.with_user(self.keeper).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.qms_inspection_state, "passed")
        # validation touched the move lines but kept the signatures
        self.assertEqual(inspection.keeper_id, self.keeper)
        self.assertEqual(inspection.inspector_id, self.inspector)
        with self.assertRaisesRegex(UserError, "done or cancelled"):
            inspection.with_user(self.inspector).write({"inspector_signature": False})
        with self.assertRaises(UserError):
            inspection.line_ids[0].with_user(self.inspector).write({"note": "late"})

    def test_draft_picking_validated_directly(self):
        picking = self._create_delivery(confirm=False, assign=False)
        with self.assertRaisesRegex(UserError, "pre-delivery inspection"):
            picking.with_user(self.keeper).button_validate()

    def test_backorder_gets_its_own_inspection(self):
        picking = self._create_delivery([(self.product, 10)])
        picking.move_ids.quantity = 6
        inspection = self._pass_and_sign(picking)
        action = picking.with_user(self.keeper).button_validate()
        self.assertEqual(action.get("res_model"), "stock.backorder.confirmation")
        wizard = Form.from_action(self.env(user=self.keeper), action).save()
        wizard.process()
        self.assertEqual(picking.state, "done")
        self.assertTrue(inspection.is_complete)
        backorder = picking.backorder_ids
        self.assertTrue(backorder)
        self.assertTrue(backorder.qms_inspection_id)
        self.assertNotEqual(backorder.qms_inspection_id, inspection)
        self.assertEqual(backorder.qms_inspection_state, "pending")
        with self.assertRaises(UserError):
            backorder.with_user(self.keeper).button_validate()

    def test_backorder_wizard_reentry_is_checked(self):
        picking = self._create_delivery([(self.product, 10)])
        picking.move_ids.quantity = 6
        self._pass_and_sign(picking)
        action = picking.with_user(self.keeper).button_validate()
        wizard = Form.from_action(self.env(user=self.keeper), action).save()
        # the content changes while the wizard is open: the re-entry refuses
        picking.move_line_ids.quantity = 5
        with self.assertRaises(UserError):
            wizard.process()
        with self.assertRaises(UserError):
            wizard.process_cancel_backorder()

    def test_split_transfer_gets_inspection(self):
        picking = self._create_delivery([(self.product, 10)])
        picking.move_ids.quantity = 4
        picking.action_split_transfer()
        split = picking.backorder_ids
        self.assertTrue(split.qms_inspection_id)
        self.assertNotEqual(split.qms_inspection_id, picking.qms_inspection_id)

    # ------------------------------------------------------------------ content change
    def test_content_change_clears_signatures(self):
        picking = self._create_delivery([(self.lot_product, 5)])
        inspection = self._pass_and_sign(picking)
        picking.move_line_ids.write({"lot_id": self.lot_b.id})
        self.assertFalse(inspection.keeper_id)
        self.assertFalse(inspection.inspector_id)
        self.assertFalse(inspection.keeper_signature)
        self.assertEqual(picking.qms_inspection_state, "pending")
        self.assertIn("Signatures cleared", inspection.message_ids[0].body)
        self.assertIn("Signatures cleared", picking.message_ids[0].body)
        with self.assertRaises(UserError):
            picking.button_validate()
        # signing again opens the way
        self._sign(picking)
        picking.move_line_ids.quantity = 4
        self.assertFalse(inspection.keeper_id)
        self._sign(picking)
        action = picking.button_validate()
        self.assertEqual(action["res_model"], "stock.backorder.confirmation")

    def test_content_change_new_product(self):
        picking = self._create_delivery()
        inspection = self._pass_and_sign(picking)
        # a no-op write keeps the signatures
        picking.move_line_ids.write({"quantity": picking.move_line_ids.quantity})
        self.assertTrue(inspection.keeper_id)
        picking.write(
            {
                "move_ids": [
                    Command.create(
                        {
                            "name": "extra",
                            "product_id": self.lot_product.id,
                            "product_uom_qty": 2,
                            "location_id": self.stock_location.id,
                            "location_dest_id": self.customer_location.id,
                        }
                    )
                ]
            }
        )
        picking.action_assign()
        self.assertFalse(inspection.keeper_id)

    def test_sign_from_the_transfer_form_fields(self):
        """The transfer's related fields go through the inspection's rules."""
        picking = self._create_delivery()
        lines = picking.with_user(self.inspector).qms_inspection_line_ids
        picking.with_user(self.inspector).write(
            {
                "qms_inspection_line_ids": [
                    Command.update(line.id, {"result": "pass"}) for line in lines
                ]
            }
        )
        self.assertEqual(picking.qms_inspection_result, "passed")
        with self.assertRaises(AccessError):
            picking.with_user(self.keeper).write({"qms_inspector_signature": SIGNATURE})
        picking.with_user(self.keeper).write({"qms_keeper_signature": SIGNATURE})
        self.assertEqual(picking.qms_keeper_id, self.keeper)
        with Form(picking.with_user(self.inspector)) as form:
            form.qms_inspector_signature = SIGNATURE
        self.assertEqual(picking.qms_inspector_id, self.inspector)
        self.assertEqual(picking.qms_inspection_state, "passed")

    def test_inspection_cannot_be_moved(self):
        first = self._create_delivery()
        second = self._create_delivery()
        inspection = first.qms_inspection_id.with_user(self.inspector)
        with self.assertRaisesRegex(UserError, "stays with the transfer"):
            inspection.write({"picking_id": second.id})
        with self.assertRaises(UserError):
            inspection.line_ids[0].write({"inspection_id": second.qms_inspection_id.id})

    def test_other_company_cannot_read(self):
        other = self.env["res.company"].create({"name": "QMS Other Co"})
        outsider = new_test_user(
            self.env,
            login="qms_outsider_t",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
            groups="stock.group_stock_user,sales_qms.group_qms_inspector",
        )
        picking = self._create_delivery()
        found = (
            self.env["qms.delivery.inspection"]
            .with_user(outsider)
            .search([("id", "=", picking.qms_inspection_id.id)])
        )
        self.assertFalse(found)
