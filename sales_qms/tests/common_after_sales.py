"""A lot-tracked product and a delivery to a customer for the after-sales tests,
on the role users of ``QmsCommon`` (no demo data)."""

from odoo import Command

from .common import QmsCommon, pass_inspection


class AfterSalesCommon(QmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # orders are confirmed directly here: the contract review has its own tests
        cls._switch_off_review()
        # the customer's contact who files claims on the portal
        cls.customer_contact = cls.portal.partner_id
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "佛山供电局",
                "is_company": True,
                "user_id": cls.other_salesman.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "防静电连体服",
                "is_storable": True,
                "tracking": "lot",
                "list_price": 268.0,
            }
        )
        cls.lot = cls._new_lot("AS-LOT-DELIVERED", 100)
        cls.lot_never_delivered = cls._new_lot("AS-LOT-NEVER", 100)
        cls.order, cls.picking = cls._deliver(cls.customer, cls.lot, 10)

    @classmethod
    def _new_lot(cls, name, qty):
        lot = cls.env["stock.lot"].create(
            {"name": name, "product_id": cls.product.id, "company_id": cls.company.id}
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.product, cls.stock_location, qty, lot_id=lot
        )
        return lot

    @classmethod
    def _deliver(cls, partner, lot, qty, product=None, user=None):
        """Sell and deliver qty of the lot to the partner; return order, picking."""
        product = product or cls.product
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": (user or partner.user_id).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "price_unit": 268.0,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        move = picking.move_ids
        move.move_line_ids.unlink()
        cls.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": product.id,
                "product_uom_id": move.product_uom.id,
                "lot_id": lot.id,
                "quantity": qty,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
            }
        )
        move.picked = True
        pass_inspection(picking, cls.keeper, cls.inspector)
        picking.button_validate()
        assert picking.state == "done", picking.state
        return order, picking

    @classmethod
    def _claim_vals(cls, **kw):
        vals = {
            "partner_id": cls.customer.id,
            "claim_type": "complaint",
            "severity": "minor",
            "sale_order_id": cls.order.id,
            "picking_id": cls.picking.id,
            "line_ids": [
                Command.create(
                    {"product_id": cls.product.id, "lot_id": cls.lot.id, "quantity": 2}
                )
            ],
        }
        vals.update(kw)
        return vals

    @classmethod
    def _new_claim(cls, user=None, **kw):
        env = cls.env(user=user or cls.service)
        return env["qms.claim"].create(cls._claim_vals(**kw))
