"""Lot inspection status: who decides, the one method, the read-only log."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common_lot import LotStatusCase


@tagged("post_install", "-at_install")
class TestLotStatus(LotStatusCase):
    def test_initial_status_from_product(self):
        """New lots start qualified, or pending for products that need an
        incoming inspection; the creation is logged."""
        self.assertEqual(self.lot_a.qms_status, "qualified")
        self.product.qms_lot_initial_status = "pending"
        lot = (
            self.env["stock.lot"]
            .with_user(self.keeper)
            .create({"name": "LOT-NEW", "product_id": self.product.id})
        )
        self.assertEqual(lot.qms_status, "pending")
        self.assertEqual(lot.qms_status_log_ids.new_status, "pending")
        self.assertFalse(lot.qms_status_log_ids.old_status)
        self.assertEqual(lot.qms_status_log_ids.user_id, self.keeper)

    def test_lot_received_on_receipt_starts_pending(self):
        self.product.qms_lot_initial_status = "pending"
        receipt = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.stock_location.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "in",
                            "product_id": self.product.id,
                            "product_uom_qty": 5,
                            "location_id": self.env.ref(
                                "stock.stock_location_suppliers"
                            ).id,
                            "location_dest_id": self.stock_location.id,
                        },
                    )
                ],
            }
        )
        receipt.action_confirm()
        receipt.move_ids.move_line_ids.write({"lot_name": "IQC-2611-01"})
        receipt.move_ids.picked = True
        receipt.with_user(self.keeper).button_validate()
        lot = receipt.move_line_ids.lot_id
        self.assertEqual(lot.name, "IQC-2611-01")
        self.assertEqual(lot.qms_status, "pending")

    def test_stock_user_cannot_create_lot_in_another_status(self):
        self.product.qms_lot_initial_status = "pending"
        with self.assertRaisesRegex(AccessError, "QC Inspector"):
            self.env["stock.lot"].with_user(self.keeper).create(
                {
                    "name": "LOT-SNEAKY",
                    "product_id": self.product.id,
                    "qms_status": "qualified",
                }
            )

    def test_inspector_sets_status_and_log(self):
        self.lot_a.with_user(self.inspector).action_qms_set_status(
            "nonconforming", "IQC report 07: seams open"
        )
        self.assertEqual(self.lot_a.qms_status, "nonconforming")
        log = self._last_log(self.lot_a)
        self.assertEqual(
            (log.old_status, log.new_status, log.reason, log.user_id),
            ("qualified", "nonconforming", "IQC report 07: seams open", self.inspector),
        )
        self.assertFalse(log.source_ref)
        self.assertEqual(log.company_id, self.lot_a.company_id)
        # the manager decides too, and a source document is recorded
        picking = self._delivery(1)
        self.lot_a.with_user(self.qms_manager).action_qms_set_status(
            "pending_disposition", "review board", source=picking
        )
        self.assertEqual(self._last_log(self.lot_a).source_ref, picking)
        self.assertEqual(self._last_log(self.lot_a).user_id, self.qms_manager)

    def test_source_as_reference_string(self):
        """Over RPC the source document is a "model,id" string."""
        picking = self._delivery(1)
        self.lot_a.with_user(self.inspector).action_qms_set_status(
            "pending", "re-test", source=f"stock.picking,{picking.id}"
        )
        self.assertEqual(self._last_log(self.lot_a).source_ref, picking)
        for bad in ("nonsense", 42, "stock.picking,0"):
            with self.assertRaisesRegex(UserError, "model,id"):
                self.lot_a.with_user(self.inspector).action_qms_set_status(
                    "qualified", "x", source=bad
                )
        self.assertEqual(self.lot_a.qms_status, "pending")

    def test_same_status_writes_no_log(self):
        count = len(self.lot_a.qms_status_log_ids)
        self._set_status(self.lot_a, "qualified")
        self.assertEqual(len(self.lot_a.qms_status_log_ids), count)

    def test_reason_and_status_required(self):
        with self.assertRaisesRegex(UserError, "reason"):
            self.lot_a.with_user(self.inspector).action_qms_set_status(
                "nonconforming", "  "
            )
        with self.assertRaisesRegex(UserError, "Unknown"):
            self.lot_a.with_user(self.inspector).action_qms_set_status("bad", "x")
        self.assertEqual(self.lot_a.qms_status, "qualified")

    def test_wrong_users_cannot_decide(self):
        for user in (self.keeper, self.salesman):
            with self.assertRaisesRegex(AccessError, "QC Inspector"):
                self.lot_a.with_user(user).action_qms_set_status(
                    "nonconforming", "I think so"
                )
        self.assertEqual(self.lot_a.qms_status, "qualified")

    def test_direct_write_refused(self):
        """RPC-style write of the field, even by an inspector, even with a
        guessed context key: refused."""
        for user in (self.keeper, self.inspector, self.qms_manager):
            with self.assertRaisesRegex(UserError, "action_qms_set_status"):
                self.lot_a.with_user(user).write({"qms_status": "nonconforming"})
        with self.assertRaises(UserError):
            self.lot_a.with_user(self.inspector).with_context(
                qms_status_token=True
            ).write({"qms_status": "nonconforming"})
        with self.assertRaises(UserError):
            self.lot_a.sudo().write({"qms_status": "nonconforming"})
        # rewriting the same value (imports, form saves) is harmless
        self.lot_a.with_user(self.keeper).write(
            {"qms_status": "qualified", "ref": "R1"}
        )
        self.assertEqual(self.lot_a.qms_status, "qualified")

    def test_log_is_read_only(self):
        self._set_status(self.lot_a, "pending")
        log = self._last_log(self.lot_a)
        with self.assertRaises(UserError):
            log.with_user(self.qms_manager).write({"reason": "other"})
        with self.assertRaises(UserError):
            log.sudo().write({"reason": "other"})
        with self.assertRaises(AccessError):
            log.with_user(self.qms_manager).unlink()
        with self.assertRaises(UserError):
            log.sudo().unlink()
        with self.assertRaises(AccessError):
            self.env["qms.lot.status.log"].with_user(self.qms_manager).create(
                {
                    "lot_id": self.lot_a.id,
                    "new_status": "qualified",
                    "reason": "forged",
                    "user_id": self.qms_manager.id,
                }
            )
        # a lot with history cannot be deleted either
        with self.assertRaises(UserError):
            self.lot_a.sudo().unlink()

    def test_wizard_changes_many_lots(self):
        lots = self.lot_a | self.lot_b
        action = lots.with_user(self.inspector).action_qms_open_status_wizard()
        form = Form(
            self.env["qms.lot.status.wizard"]
            .with_user(self.inspector)
            .with_context(**action["context"])
        )
        form.new_status = "pending_disposition"
        form.reason = "customer complaint C-12"
        form.save().action_apply()
        self.assertEqual(set(lots.mapped("qms_status")), {"pending_disposition"})
        self.assertEqual(
            lots.qms_status_log_ids.filtered(
                lambda log: log.new_status == "pending_disposition"
            ).mapped("reason"),
            ["customer complaint C-12"] * 2,
        )
        # the same wizard as a stock user is refused by the method
        wizard = (
            self.env["qms.lot.status.wizard"]
            .with_user(self.keeper)
            .create(
                {
                    "lot_ids": [(6, 0, lots.ids)],
                    "new_status": "qualified",
                    "reason": "looks fine",
                }
            )
        )
        with self.assertRaisesRegex(AccessError, "QC Inspector"):
            wizard.action_apply()

    def test_scrap_by_stock_user_sets_scrapped(self):
        self._put_in_stock(self.lot_a, 10)
        self._set_status(self.lot_a, "nonconforming")
        scrap = (
            self.env["stock.scrap"]
            .with_user(self.keeper)
            .create(
                {
                    "product_id": self.product.id,
                    "lot_id": self.lot_a.id,
                    "scrap_qty": 10,
                    "location_id": self.stock_location.id,
                }
            )
        )
        scrap.action_validate()
        self.assertEqual(scrap.state, "done")
        self.assertEqual(self.lot_a.qms_status, "scrapped")
        log = self._last_log(self.lot_a)
        self.assertEqual(log.source_ref, scrap)
        self.assertEqual(log.user_id, self.keeper)

    def test_forged_scrap_source_refused(self):
        """The scrap exception holds only for a done scrap of that very lot."""
        self._put_in_stock(self.lot_a, 5)
        self._put_in_stock(self.lot_b, 5)
        Scrap = self.env["stock.scrap"].with_user(self.keeper)
        draft = Scrap.create(
            {"product_id": self.product.id, "lot_id": self.lot_a.id, "scrap_qty": 1}
        )
        with self.assertRaises(AccessError):
            self.lot_a.with_user(self.keeper).action_qms_set_status(
                "scrapped", "x", source=draft
            )
        other = Scrap.create(
            {"product_id": self.product.id, "lot_id": self.lot_b.id, "scrap_qty": 1}
        )
        other.action_validate()
        with self.assertRaises(AccessError):
            self.lot_a.with_user(self.keeper).action_qms_set_status(
                "scrapped", "x", source=other
            )
        # a done scrap does not let a stock user set any other status
        with self.assertRaises(AccessError):
            self.lot_b.with_user(self.keeper).action_qms_set_status(
                "qualified", "x", source=other
            )
        # an id or a reference string (all RPC can send) is no source
        with self.assertRaises(AccessError):
            self.lot_b.with_user(self.keeper).action_qms_set_status(
                "scrapped", "x", source=f"stock.scrap,{other.id}"
            )
        self.assertEqual(self.lot_a.qms_status, "qualified")
