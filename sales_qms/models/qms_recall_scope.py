from odoo import fields, models, tools
from odoo.tools import SQL

from .qms_lot_status import QMS_LOT_STATUS


class QmsRecallScope(models.Model):
    """Every final delivery of a lot to a customer, one row per delivery move,
    returns netted. A view over the done move lines: filtering on a lot reads
    that lot's lines only (index stock_move_line_qms_lot_done_index)."""

    _name = "qms.recall.scope"
    _description = "Recall Scope"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "lot_id"
    # flushed before each search, so the view sees pending ORM writes
    _depends = {
        "stock.move.line": [
            "lot_id",
            "move_id",
            "company_id",
            "date",
            "quantity_product_uom",
            "state",
            "location_id",
            "location_dest_id",
        ],
        "stock.move": [
            "origin_returned_move_id",
            "product_id",
            "picking_id",
            "partner_id",
            "sale_line_id",
        ],
        "stock.location": ["usage"],
        "stock.lot": ["qms_status"],
        "stock.picking": ["partner_id", "sale_id"],
        "res.partner": ["commercial_partner_id"],
        "sale.order.line": ["order_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["uom_id"],
    }

    lot_id = fields.Many2one("stock.lot", readonly=True)
    lot_status = fields.Selection(
        QMS_LOT_STATUS, string="Inspection Status", readonly=True
    )
    product_id = fields.Many2one("product.product", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    delivery_partner_id = fields.Many2one(
        "res.partner", string="Delivery Address", readonly=True
    )
    sale_order_id = fields.Many2one("sale.order", string="Sales Order", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Delivery", readonly=True)
    move_id = fields.Many2one("stock.move", string="Stock Move", readonly=True)
    date = fields.Datetime(string="Delivery Date", readonly=True)
    quantity = fields.Float(
        string="Delivered", digits="Product Unit of Measure", readonly=True
    )
    quantity_returned = fields.Float(
        string="Returned", digits="Product Unit of Measure", readonly=True
    )
    quantity_net = fields.Float(
        string="At Customer", digits="Product Unit of Measure", readonly=True
    )
    product_uom_id = fields.Many2one("uom.uom", string="Unit", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def _query(self):
        # Final deliveries only: lines into a customer location from a
        # location that is not one (the ship step of pick/pack/ship; a
        # customer-to-customer line is no delivery). Returns are the done
        # lines out of a customer location of moves returning a delivery.
        return SQL(
            """
            WITH delivered AS (
                SELECT MIN(ml.id) AS id, ml.lot_id, ml.move_id,
                       ml.company_id, MAX(ml.date) AS date,
                       SUM(ml.quantity_product_uom) AS quantity
                  FROM stock_move_line ml
                  JOIN stock_location dest ON dest.id = ml.location_dest_id
                  JOIN stock_location src ON src.id = ml.location_id
                 WHERE ml.state = 'done' AND ml.lot_id IS NOT NULL
                   AND dest.usage = 'customer' AND src.usage != 'customer'
              GROUP BY ml.lot_id, ml.move_id, ml.company_id
            ), returned AS (
                SELECT ml.lot_id, rm.origin_returned_move_id AS move_id,
                       SUM(ml.quantity_product_uom) AS quantity
                  FROM stock_move_line ml
                  JOIN stock_move rm ON rm.id = ml.move_id
                  JOIN stock_location src ON src.id = ml.location_id
                 WHERE ml.state = 'done' AND ml.lot_id IS NOT NULL
                   AND src.usage = 'customer'
                   AND rm.origin_returned_move_id IS NOT NULL
              GROUP BY ml.lot_id, rm.origin_returned_move_id
            )
            SELECT d.id, d.lot_id, lot.qms_status AS lot_status,
                   m.product_id, pt.uom_id AS product_uom_id,
                   COALESCE(dp.commercial_partner_id, dp.id) AS partner_id,
                   dp.id AS delivery_partner_id,
                   COALESCE(sol.order_id, p.sale_id) AS sale_order_id,
                   m.picking_id, d.move_id, d.date, d.company_id,
                   d.quantity,
                   COALESCE(r.quantity, 0.0) AS quantity_returned,
                   d.quantity - COALESCE(r.quantity, 0.0) AS quantity_net
              FROM delivered d
              JOIN stock_lot lot ON lot.id = d.lot_id
              JOIN stock_move m ON m.id = d.move_id
              JOIN product_product pp ON pp.id = m.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
         LEFT JOIN stock_picking p ON p.id = m.picking_id
         LEFT JOIN res_partner dp ON dp.id = COALESCE(p.partner_id, m.partner_id)
         LEFT JOIN sale_order_line sol ON sol.id = m.sale_line_id
         LEFT JOIN returned r ON r.move_id = d.move_id AND r.lot_id = d.lot_id
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )
