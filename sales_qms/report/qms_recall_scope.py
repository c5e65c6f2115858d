from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.qms_lot_status import QMS_LOT_STATUS


class QmsRecallScope(models.Model):
    """Every final delivery of a lot to a customer, one row per delivered
    move line, returns netted. A view over the done move lines: filtering on a lot reads
    that lot's lines only (index stock_move_line_qms_lot_index)."""

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
    delivery_address = fields.Char(
        string="Delivered To",
        compute="_compute_delivery_address",
        help="Where the goods went: the address, and the contact when it is not "
        "the customer itself.",
    )

    @api.depends("delivery_partner_id", "partner_id")
    def _compute_delivery_address(self):
        for row in self:
            partner = row.delivery_partner_id.sudo()
            address = ", ".join(
                part for part in (partner.street, partner.street2, partner.city) if part
            )
            if partner and partner != row.partner_id:
                address = f"{partner.name}, {address}" if address else partner.name
            row.delivery_address = address or ""

    def _query(self):
        # One row per done move line into a customer location from a location
        # that is not one: the final step of pick/pack/ship only. Plain rows
        # (no GROUP BY), so both "lot_id = x" and "id in (...)" reach the
        # indexes of stock_move_line. Returns are the done lines out of a
        # customer location of moves returning the delivery move, counted on
        # the move's first line of that lot.
        return SQL(
            """
            SELECT q.*, q.quantity - q.quantity_returned AS quantity_net
              FROM (
            SELECT ml.id, ml.lot_id, lot.qms_status AS lot_status,
                   ml.product_id, pt.uom_id AS product_uom_id,
                   COALESCE(dp.commercial_partner_id, dp.id) AS partner_id,
                   dp.id AS delivery_partner_id,
                   COALESCE(sol.order_id, p.sale_id) AS sale_order_id,
                   m.picking_id, ml.move_id, ml.date, ml.company_id,
                   ml.quantity_product_uom AS quantity,
                   CASE WHEN r.quantity IS NULL THEN 0.0
                        WHEN EXISTS (
                            SELECT 1 FROM stock_move_line first
                             WHERE first.move_id = ml.move_id
                               AND first.lot_id = ml.lot_id
                               AND first.state = 'done'
                               AND first.id < ml.id) THEN 0.0
                        ELSE r.quantity END AS quantity_returned
              FROM stock_move_line ml
              JOIN stock_location dest ON dest.id = ml.location_dest_id
              JOIN stock_location src ON src.id = ml.location_id
              JOIN stock_lot lot ON lot.id = ml.lot_id
              JOIN stock_move m ON m.id = ml.move_id
              JOIN product_product pp ON pp.id = ml.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
         LEFT JOIN stock_picking p ON p.id = m.picking_id
         LEFT JOIN res_partner dp ON dp.id = COALESCE(p.partner_id, m.partner_id)
         LEFT JOIN sale_order_line sol ON sol.id = m.sale_line_id
         LEFT JOIN LATERAL (
                SELECT SUM(rml.quantity_product_uom) AS quantity
                  FROM stock_move rm
                  JOIN stock_move_line rml ON rml.move_id = rm.id
                  JOIN stock_location rsrc ON rsrc.id = rml.location_id
                 WHERE rm.origin_returned_move_id = ml.move_id
                   AND rml.lot_id = ml.lot_id
                   AND rml.state = 'done'
                   AND rsrc.usage = 'customer'
              ) r ON TRUE
             WHERE ml.state = 'done' AND ml.lot_id IS NOT NULL
               AND dest.usage = 'customer' AND src.usage != 'customer'
                   ) q
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
