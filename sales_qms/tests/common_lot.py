"""Lot-tracked products, stock and deliveries for the lot status tests, on the
role users of ``QmsCommon`` (no demo data)."""

from odoo import Command
from odoo.tests import Form

from .common import QmsCommon


class LotStatusCase(QmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the contract review and the pre-delivery inspection have their own
        # tests: here deliveries leave as soon as their lots allow it
        cls._switch_off_review()
        cls._switch_off_inspection()
        cls.product = cls.env["product.product"].create(
            {
                "name": "Anti-static coverall (lot test)",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        cls.lot_a, cls.lot_b, cls.lot_c = cls.env["stock.lot"].create(
            [{"name": f"LOT-TEST-{x}", "product_id": cls.product.id} for x in "ABC"]
        )
        cls.partner = cls.env["res.partner"].create(
            {"name": "Maoming Test Customer", "is_company": True}
        )
        cls.partner_2 = cls.env["res.partner"].create(
            {"name": "Foshan Test Customer", "is_company": True}
        )
        cls.partner_2_site = cls.env["res.partner"].create(
            {
                "name": "Foshan site B",
                "type": "delivery",
                "parent_id": cls.partner_2.id,
            }
        )

    # ------------------------------------------------------------ helpers
    @classmethod
    def _put_in_stock(cls, lot, qty, location=None):
        cls.env["stock.quant"]._update_available_quantity(
            lot.product_id, location or cls.stock_location, qty, lot_id=lot
        )

    @staticmethod
    def _last_log(lot):
        return lot.qms_status_log_ids.sorted("id")[-1]

    def _set_status(self, lots, status, user=None):
        lots.with_user(user or self.inspector).action_qms_set_status(
            status, f"test: {status}"
        )

    def _delivery(self, qty, partner=None, product=None, warehouse=None):
        warehouse = warehouse or self.warehouse
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": warehouse.out_type_id.id,
                "partner_id": (partner or self.partner).id,
                "location_id": warehouse.lot_stock_id.id,
                "location_dest_id": self.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "delivery",
                            "product_id": (product or self.product).id,
                            "product_uom_qty": qty,
                            "location_id": warehouse.lot_stock_id.id,
                            "location_dest_id": self.customer_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    def _internal(self, qty, lot_dest=None):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.int_type_id.id,
                "location_id": self.stock_location.id,
                "location_dest_id": (lot_dest or self.stock_location).id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "quarantine",
                            "product_id": self.product.id,
                            "product_uom_qty": qty,
                            "location_id": self.stock_location.id,
                            "location_dest_id": (lot_dest or self.stock_location).id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking

    @staticmethod
    def _reserved(picking):
        """{lot: reserved quantity} of a picking."""
        res = {}
        for ml in picking.move_line_ids:
            res[ml.lot_id] = res.get(ml.lot_id, 0.0) + ml.quantity
        return res

    @staticmethod
    def _validate(picking):
        res = picking.button_validate()
        if (
            isinstance(res, dict)
            and res.get("res_model") == "stock.backorder.confirmation"
        ):
            Form.from_action(picking.env, res).save().process()
        return picking

    def _return(self, picking, qty):
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        wizard.product_return_moves.quantity = qty
        action = wizard.action_create_returns()
        ret = self.env["stock.picking"].browse(action["res_id"])
        self.assertEqual(sum(ret.move_line_ids.mapped("quantity")), qty)
        ret.move_ids.picked = True
        ret.button_validate()
        self.assertEqual(ret.state, "done")
        return ret
