from odoo import fields, models, tools
from odoo.tools import SQL


class QmsSatisfactionReport(models.Model):
    """Customer satisfaction per customer, product and month, from the scores
    of done follow-up visits: one row per visit and product delivered."""

    _name = "qms.satisfaction.report"
    _description = "Customer Satisfaction Analysis"
    _auto = False
    _order = "date desc"
    # flushed before each search, so the view sees pending ORM writes
    _depends = {
        "qms.followup.visit": [
            "date_done",
            "scheduled_date",
            "commercial_partner_id",
            "user_id",
            "company_id",
            "channel",
            "score_quality",
            "score_delivery",
            "score_service",
            "score_average",
            "picking_id",
            "state",
        ],
        "qms.claim": ["visit_id"],
        "stock.move": ["picking_id", "product_id", "state"],
    }

    visit_id = fields.Many2one("qms.followup.visit", readonly=True)
    date = fields.Date(string="Visit Date", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned to", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("visit", "On-site visit"),
            ("survey", "Survey"),
            ("email", "Email"),
        ],
        readonly=True,
    )
    score_quality = fields.Float(string="Product Quality", aggregator="avg")
    score_delivery = fields.Float(string="Delivery", aggregator="avg")
    score_service = fields.Float(string="Service", aggregator="avg")
    score_average = fields.Float(string="Average Score", aggregator="avg")
    claim_count = fields.Integer(string="Claims Raised", aggregator="sum")

    def _query(self):
        return SQL(
            """
            SELECT
                row_number() OVER (ORDER BY v.id, p.product_id) AS id,
                v.id AS visit_id,
                COALESCE(v.date_done, v.scheduled_date) AS date,
                v.commercial_partner_id AS partner_id,
                p.product_id,
                v.user_id,
                v.company_id,
                v.channel,
                v.score_quality,
                v.score_delivery,
                v.score_service,
                v.score_average,
                (SELECT count(*) FROM qms_claim c WHERE c.visit_id = v.id)
                    AS claim_count
            FROM qms_followup_visit v
            LEFT JOIN (
                SELECT DISTINCT picking_id, product_id
                FROM stock_move
                WHERE state = 'done' AND picking_id IS NOT NULL
            ) p ON p.picking_id = v.picking_id
            WHERE v.state = 'done'
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
