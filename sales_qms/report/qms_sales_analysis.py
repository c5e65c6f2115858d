from odoo import fields, models, tools
from odoo.tools import SQL


class QmsSalesAnalysis(models.Model):
    """Plan against actual (销售数据收集与分析): the confirmed order lines (actual
    amount, margin and quantity per salesperson, team, month, product category,
    region of the shipping address) beside the approved targets spread evenly
    over their months (planned amount, margin, quantity)."""

    _name = "qms.sales.analysis"
    _description = "Sales Plan vs Actual"
    _auto = False
    _order = "date desc"
    _depends = {
        "qms.sales.target": [
            "state",
            "measure",
            "target_value",
            "date_from",
            "date_to",
            "user_id",
            "team_id",
            "product_id",
            "categ_id",
            "company_id",
        ],
        "sale.order": [
            "state",
            "date_order",
            "user_id",
            "team_id",
            "company_id",
            "partner_id",
            "partner_shipping_id",
            "currency_rate",
        ],
        "sale.order.line": [
            "price_subtotal",
            "margin",
            "product_uom_qty",
            "product_uom",
            "product_id",
            "display_type",
        ],
    }

    kind = fields.Selection([("target", "Target"), ("actual", "Actual")], readonly=True)
    target_id = fields.Many2one("qms.sales.target", readonly=True)
    target_scope = fields.Selection(
        [("user", "Salesperson"), ("team", "Sales Team")],
        readonly=True,
    )
    order_id = fields.Many2one("sale.order", readonly=True)
    date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team (Channel)", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    country_id = fields.Many2one("res.country", readonly=True)
    state_id = fields.Many2one(
        "res.country.state", string="State / Province", readonly=True
    )
    planned_amount = fields.Monetary(readonly=True)
    amount = fields.Monetary(string="Ordered Amount", readonly=True)
    planned_margin = fields.Monetary(readonly=True)
    margin = fields.Monetary(readonly=True)
    planned_qty = fields.Float(string="Planned Quantity", readonly=True)
    qty = fields.Float(string="Quantity", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s UNION ALL %s)",
                SQL.identifier(self._table),
                self._actual_query(),
                self._target_query(),
            )
        )

    def _actual_query(self):
        rate = SQL("COALESCE(NULLIF(o.currency_rate, 0), 1)")
        return SQL(
            """
            SELECT l.id::bigint * 2 AS id,
                   'actual'::varchar AS kind,
                   NULL::int AS target_id,
                   NULL::varchar AS target_scope,
                   o.id AS order_id,
                   o.date_order::date AS date,
                   o.user_id, o.team_id, o.company_id,
                   p.commercial_partner_id AS partner_id,
                   l.product_id, pt.categ_id,
                   sp.country_id, sp.state_id,
                   0::numeric AS planned_amount,
                   l.price_subtotal / %(rate)s AS amount,
                   0::numeric AS planned_margin,
                   COALESCE(l.margin, 0) / %(rate)s AS margin,
                   0::numeric AS planned_qty,
                   l.product_uom_qty / lu.factor * pu.factor AS qty
              FROM sale_order_line l
              JOIN sale_order o ON o.id = l.order_id
              JOIN res_partner p ON p.id = o.partner_id
              LEFT JOIN res_partner sp ON sp.id = o.partner_shipping_id
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN uom_uom lu ON lu.id = l.product_uom
              LEFT JOIN uom_uom pu ON pu.id = pt.uom_id
             WHERE o.state = 'sale' AND l.display_type IS NULL
            """,
            rate=rate,
        )

    def _target_query(self):
        return SQL(
            """
            SELECT (t.id::bigint * 1000 + m.n) * 2 + 1 AS id,
                   'target'::varchar AS kind,
                   t.id AS target_id,
                   CASE WHEN t.user_id IS NULL THEN 'team' ELSE 'user' END AS target_scope,
                   NULL::int AS order_id,
                   m.month::date AS date,
                   t.user_id,
                   COALESCE(t.team_id, u.sale_team_id) AS team_id,
                   t.company_id,
                   NULL::int AS partner_id,
                   t.product_id,
                   COALESCE(t.categ_id, tpt.categ_id) AS categ_id,
                   NULL::int AS country_id,
                   NULL::int AS state_id,
                   CASE WHEN t.measure = 'ordered' THEN t.target_value / m.months
                        ELSE 0 END AS planned_amount,
                   0::numeric AS amount,
                   CASE WHEN t.measure = 'margin' THEN t.target_value / m.months
                        ELSE 0 END AS planned_margin,
                   0::numeric AS margin,
                   CASE WHEN t.measure = 'quantity' THEN t.target_value / m.months
                        ELSE 0 END AS planned_qty,
                   0::numeric AS qty
              FROM qms_sales_target t
              LEFT JOIN res_users u ON u.id = t.user_id
              LEFT JOIN product_product tpp ON tpp.id = t.product_id
              LEFT JOIN product_template tpt ON tpt.id = tpp.product_tmpl_id
             CROSS JOIN LATERAL (
                    SELECT g.month, row_number() OVER () AS n,
                           COUNT(*) OVER () AS months
                      FROM generate_series(date_trunc('month', t.date_from),
                                           t.date_to, interval '1 month') g(month)
             ) m
             WHERE t.state IN ('approved', 'closed')
               AND t.measure IN ('ordered', 'margin', 'quantity')
            """
        )

    def action_open_order(self):
        self.ensure_one()
        if self.order_id:
            return {
                "type": "ir.actions.act_window",
                "res_model": "sale.order",
                "res_id": self.order_id.id,
                "view_mode": "form",
            }
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.sales.target",
            "res_id": self.target_id.id,
            "view_mode": "form",
        }
