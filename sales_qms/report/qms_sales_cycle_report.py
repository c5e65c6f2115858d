from odoo import fields, models, tools
from odoo.tools import SQL


class QmsSalesCycleReport(models.Model):
    """The sales cycle of each confirmed order: days from the quotation to
    the confirmation, and from the confirmation to the last delivery done."""

    _name = "qms.sales.cycle.report"
    _description = "Sales Cycle Analysis"
    _auto = False
    _order = "date desc"
    _depends = {
        "sale.order": [
            "state",
            "date_order",
            "create_date",
            "user_id",
            "team_id",
            "company_id",
            "partner_id",
        ],
        "stock.picking": ["state", "date_done", "sale_id", "picking_type_id"],
    }

    order_id = fields.Many2one("sale.order", readonly=True)
    date = fields.Date(string="Confirmed On", readonly=True)
    quotation_date = fields.Date(string="Quoted On", readonly=True)
    delivery_date = fields.Date(string="Delivered On", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    days_to_confirm = fields.Float(
        string="Days to Confirm", readonly=True, aggregator="avg", digits=(16, 1)
    )
    days_to_deliver = fields.Float(
        string="Days to Deliver", readonly=True, aggregator="avg", digits=(16, 1)
    )
    order_count = fields.Integer(string="Orders", readonly=True, aggregator="sum")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT o.id,
                           o.id AS order_id,
                           o.date_order::date AS date,
                           o.create_date::date AS quotation_date,
                           d.date_done::date AS delivery_date,
                           o.user_id, o.team_id, o.company_id,
                           p.commercial_partner_id AS partner_id,
                           GREATEST(EXTRACT(EPOCH FROM o.date_order - o.create_date), 0)
                               / 86400.0 AS days_to_confirm,
                           GREATEST(EXTRACT(EPOCH FROM d.date_done - o.date_order), 0)
                               / 86400.0 AS days_to_deliver,
                           1 AS order_count
                      FROM sale_order o
                      JOIN res_partner p ON p.id = o.partner_id
                      LEFT JOIN LATERAL (
                            SELECT MAX(sp.date_done) AS date_done
                              FROM stock_picking sp
                              JOIN stock_picking_type spt ON spt.id = sp.picking_type_id
                             WHERE sp.sale_id = o.id AND sp.state = 'done'
                               AND spt.code = 'outgoing'
                      ) d ON TRUE
                     WHERE o.state = 'sale'
                )
                """,
                SQL.identifier(self._table),
            )
        )

    def action_open_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "view_mode": "form",
        }
