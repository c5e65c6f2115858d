from datetime import date, datetime
from decimal import Decimal

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

# rows listed in a table of the inputs (the totals count everything)
LIST_LIMIT = 20


# one file for the inputs, beside the review's workflow (qms_management_review.py)
class QmsManagementReview(models.Model):
    """The inputs of a management review (ISO 9001 9.3.2): compiled from the
    records of the review's company and period in a few grouped queries,
    stored with the review as plain data (keys, ids, figures, names as they
    were), shown and printed in the reader's language."""

    _inherit = "qms.management.review"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------ showing
    def _qms_render_inputs(self):
        self.ensure_one()
        return self.env["ir.qweb"]._render(
            "sales_qms.qms_management_review_inputs",
            {"inputs": self._qms_inputs_render_values()},
        )

    def _qms_inputs_render_values(self):
        """What the inputs template needs: the frozen data and the labels of
        the keys it holds, in the current language."""
        self.ensure_one()
        env = self.env
        Indicator = env["qms.indicator"].with_context(active_test=False)
        data = self.input_data or {}
        codes = [row["code"] for row in data.get("indicators", [])] + [
            row["code"] for row in data.get("objectives", [])
        ]
        indicators = {
            i.code: i for i in Indicator.sudo().search([("code", "in", codes)])
        }

        def selection(model, field):
            return dict(env[model]._fields[field]._description_selection(env))

        return {
            "review": self,
            "data": data,
            "indicator_names": {code: i.name for code, i in indicators.items()},
            "units": selection("qms.indicator", "unit"),
            "frequencies": selection("qms.objective", "frequency"),
            "claim_types": selection("qms.claim", "claim_type"),
            "action_kinds": selection("qms.management.review.action", "kind"),
            "claim_action_kinds": selection("qms.claim.action", "kind"),
            "lot_status": selection("stock.lot", "qms_status"),
            "departments": {
                d.id: d.name
                for d in env["qms.department"]
                .sudo()
                .with_context(active_test=False)
                .browse([r["department_id"] for r in data.get("departments", [])])
                .exists()
            },
            "fmt": self._qms_format_value,
            "trend_svg": self._qms_trend_svg,
        }

    @api.model
    def _qms_format_value(self, value, unit=None):
        if value is False or value is None:
            return "–"
        if unit == "count":
            return f"{value:,.0f}"
        return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"

    @api.model
    def _qms_trend_svg(self, values, target=None, direction="higher"):
        """A small bar chart of an objective's values (inline SVG: it prints
        with wkhtmltopdf as well as in the browser)."""
        width, height, gap = 240, 48, 2
        measured = [v["value"] for v in values if v.get("has_value")]
        top = max([*measured, target or 0, 1e-9])
        n = max(len(values), 1)
        bar = (width - gap * (n - 1)) / n
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}">'
        ]
        for i, v in enumerate(values):
            x = i * (bar + gap)
            if not v.get("has_value"):
                parts.append(
                    f'<rect x="{x:.1f}" y="{height - 2}" width="{bar:.1f}" '
                    'height="2" fill="#bbbbbb"/>'
                )
                continue
            h = max(2.0, height * v["value"] / top)
            colour = "#28a745" if v.get("met") else "#dc3545"
            parts.append(
                f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{colour}"/>'
            )
        if target:
            y = height - height * target / top
            parts.append(
                f'<line x1="0" y1="{y:.1f}" x2="{width}" y2="{y:.1f}" '
                'stroke="#333333" stroke-width="1" stroke-dasharray="4,2"/>'
            )
        parts.append("</svg>")
        # numbers and fixed markup only
        return Markup("".join(parts))

    # ------------------------------------------------------------ compiling
    def _qms_scope(self):
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "date": fields.Date.to_string(self.date),
            "period_start": fields.Date.to_string(self.period_start),
            "period_end": fields.Date.to_string(self.period_end),
        }

    def _qms_compile_inputs(self):
        """The inputs of ISO 9001 9.3.2, from a few grouped queries. Keys, ids
        and figures are stored; labels are resolved when they are shown, in
        the reader's language. Names of customers, products and people are
        kept as they were."""
        self.ensure_one()
        self.env.flush_all()
        Indicator = self.env["qms.indicator"].sudo()
        period = Indicator._qms_period(
            self.company_id.id, self.period_start, self.period_end
        )
        indicators = Indicator.search([])
        figures = indicators._qms_values(period)
        return self._qms_plain(
            {
                "scope": self._qms_scope(),
                "previous_actions": self._qms_input_previous_actions(),
                "changes": self._qms_input_changes(period),
                "objectives": self._qms_input_objectives(),
                "satisfaction": self._qms_input_satisfaction(period, figures),
                "claims_by_type": self._qms_input_claims_by_type(period),
                "top_customers": self._qms_input_top_customers(period),
                "indicators": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "unit": i.unit,
                        "direction": i.direction,
                        "value": figures[i],
                    }
                    for i in indicators
                ],
                "departments": self._qms_input_departments(period),
                "nonconformities": self._qms_input_nonconformities(period),
                "claim_actions": self._qms_input_claim_actions(period),
                "monitoring": self._qms_input_monitoring(period),
            }
        )

    @api.model
    def _qms_plain(self, value):
        """JSON (and XML-RPC) values only: no None, Decimal or dates."""
        if isinstance(value, dict):
            return {key: self._qms_plain(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [self._qms_plain(item) for item in value]
        if value is None:
            return False
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, (date, datetime)):
            return (
                fields.Datetime.to_string(value)
                if isinstance(value, datetime)
                else fields.Date.to_string(value)
            )
        return value

    def _qms_fetch(self, query):
        self.env.cr.execute(query)
        return self.env.cr.dictfetchall()

    def _qms_input_previous_actions(self):
        """(a) Decisions of earlier approved reviews: open ones, and those done
        since the start of this review's period."""
        actions = (
            self.env["qms.management.review.action"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("review_id", "!=", self.id),
                    ("review_id.state", "=", "approved"),
                    ("review_id.date", "<=", self.date),
                    "|",
                    ("state", "=", "open"),
                    ("done_date", ">=", self.period_start),
                ],
                order="due_date, id",
            )
        )
        return [
            {
                "review": a.review_id.name,
                "description": a.description,
                "kind": a.kind,
                "owner": a.owner_id.name,
                "due_date": fields.Date.to_string(a.due_date),
                "done_date": fields.Date.to_string(a.done_date) if a.done_date else "",
                "state": a.state,
                "overdue": a.state == "open" and a.due_date < self.date,
                "result": a.result or "",
            }
            for a in actions
        ]

    def _qms_input_changes(self, period):
        """(b) Changes: special contracts confirmed in the period by reason,
        products first sold in the period (the free text adds the rest)."""
        reasons = self._qms_fetch(
            SQL(
                """
                SELECT r.id, count(DISTINCT so.id) AS count
                  FROM sale_order so
                  JOIN sale_order_qms_special_reason_rel rel ON rel.order_id = so.id
                  JOIN qms_special_reason r ON r.id = rel.reason_id
                 WHERE so.company_id = %(company)s AND so.state = 'sale'
                   AND so.qms_contract_type = 'special'
                   AND so.date_order >= %(start)s AND so.date_order < %(end)s
                 GROUP BY r.id, r.sequence ORDER BY r.sequence, r.id
                """,
                company=period.company_id,
                start=period.start,
                end=period.end,
            )
        )
        names = {
            r.id: r.name
            for r in self.env["qms.special.reason"]
            .sudo()
            .browse([row["id"] for row in reasons])
        }
        products = self._qms_fetch(
            SQL(
                """
                SELECT sol.product_id, min(so.date_order) AS first_sold
                  FROM sale_order_line sol
                  JOIN sale_order so ON so.id = sol.order_id
                 WHERE so.company_id = %(company)s AND so.state = 'sale'
                   AND sol.product_id IS NOT NULL
                 GROUP BY sol.product_id
                HAVING min(so.date_order) >= %(start)s
                   AND min(so.date_order) < %(end)s
                 ORDER BY min(so.date_order)
                """,
                company=period.company_id,
                start=period.start,
                end=period.end,
            )
        )
        product_names = {
            p.id: p.display_name
            for p in self.env["product.product"]
            .sudo()
            .with_context(active_test=False)
            .browse([row["product_id"] for row in products[:LIST_LIMIT]])
        }
        return {
            "special_reasons": [
                {
                    "reason_id": row["id"],
                    "name": names.get(row["id"], ""),
                    "count": row["count"],
                }
                for row in reasons
            ],
            "special_count": sum(row["count"] for row in reasons),
            "new_products": [
                {
                    "name": product_names.get(row["product_id"], ""),
                    "first_sold": fields.Date.to_string(row["first_sold"].date()),
                }
                for row in products[:LIST_LIMIT]
            ],
            "new_product_count": len(products),
        }

    def _qms_input_objectives(self):
        """(c) The company's objectives and their values in the period."""
        objectives = (
            self.env["qms.objective"]
            .sudo()
            .search([("company_id", "=", self.company_id.id)])
        )
        values = (
            self.env["qms.objective.value"]
            .sudo()
            .search_fetch(
                [
                    ("objective_id", "in", objectives.ids),
                    ("state", "=", "current"),
                    ("period_start", ">=", self.period_start),
                    ("period_end", "<=", self.period_end),
                ],
                ["objective_id", "period_label", "value", "has_value", "met", "target"],
                order="period_start",
            )
        )
        result = []
        for objective in objectives:
            rows = [
                {
                    "label": v.period_label,
                    "value": v.value,
                    "has_value": v.has_value,
                    "met": v.met,
                    "target": v.target,
                }
                for v in values
                if v.objective_id == objective
            ]
            result.append(
                {
                    "code": objective.indicator_id.code,
                    "name": objective.indicator_id.name,
                    "unit": objective.unit,
                    "direction": objective.direction,
                    "frequency": objective.frequency,
                    "target": objective.target,
                    "owner": objective.owner_id.name,
                    "values": rows,
                    "measured": sum(1 for r in rows if r["has_value"]),
                    "met": sum(1 for r in rows if r["met"]),
                }
            )
        return result

    def _qms_input_satisfaction(self, period, figures):
        """(c) Customer satisfaction: the index and the visits behind it."""
        [row] = self._qms_fetch(
            SQL(
                """
                SELECT count(*) AS visits,
                       avg(v.score_quality) AS quality,
                       avg(v.score_delivery) AS delivery,
                       avg(v.score_service) AS service
                  FROM qms_followup_visit v
                 WHERE v.company_id = %(company)s AND v.state = 'done'
                   AND v.date_done BETWEEN %(date_from)s AND %(date_to)s
                """,
                company=period.company_id,
                date_from=period.date_from,
                date_to=period.date_to,
            )
        )
        index = next(
            (v for i, v in figures.items() if i.code == "satisfaction_index"), False
        )
        return {
            "index": index,
            "visits": row["visits"],
            "quality": float(row["quality"]) if row["quality"] is not None else False,
            "delivery": float(row["delivery"])
            if row["delivery"] is not None
            else False,
            "service": float(row["service"]) if row["service"] is not None else False,
        }

    def _qms_input_claims_by_type(self, period):
        """(c) Customer feedback: claims received in the period by type."""
        rows = self._qms_fetch(
            SQL(
                """
                SELECT c.claim_type, count(*) AS count,
                       count(*) FILTER (WHERE c.stage = 'closed') AS closed,
                       count(*) FILTER (WHERE c.stage = 'rejected') AS rejected
                  FROM qms_claim c
                 WHERE c.company_id = %(company)s
                   AND c.date >= %(start)s AND c.date < %(end)s
                 GROUP BY c.claim_type ORDER BY count(*) DESC, c.claim_type
                """,
                company=period.company_id,
                start=period.start,
                end=period.end,
            )
        )
        return rows

    def _qms_input_top_customers(self, period, limit=5):
        """(c) Customer feedback: the customers with the most claims."""
        rows = self._qms_fetch(
            SQL(
                """
                SELECT c.commercial_partner_id AS partner_id, count(*) AS count
                  FROM qms_claim c
                 WHERE c.company_id = %(company)s AND c.stage <> 'rejected'
                   AND c.date >= %(start)s AND c.date < %(end)s
                 GROUP BY c.commercial_partner_id
                 ORDER BY count(*) DESC, c.commercial_partner_id
                 LIMIT %(limit)s
                """,
                company=period.company_id,
                start=period.start,
                end=period.end,
                limit=limit,
            )
        )
        partners = {
            p.id: p.display_name
            for p in self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .browse([r["partner_id"] for r in rows])
        }
        return [
            {"customer": partners.get(r["partner_id"], ""), "count": r["count"]}
            for r in rows
        ]

    def _qms_input_departments(self, period):
        """Process performance: contract review per department, lead time and
        rejection rate in one pass over the decided lines."""
        rows = self._qms_fetch(
            SQL(
                """
                SELECT l.department_id, count(*) AS decisions,
                       avg(l.decision_hours) AS lead_time,
                       100.0 * count(*) FILTER (WHERE l.state = 'rejected')
                           / count(*) AS rejection_rate
                  FROM qms_contract_review_line l
                  JOIN qms_department d ON d.id = l.department_id
                 WHERE l.company_id = %(company)s
                   AND l.state IN ('approved', 'rejected')
                   AND l.decided_on >= %(start)s AND l.decided_on < %(end)s
                 GROUP BY l.department_id, d.sequence
                 ORDER BY d.sequence, l.department_id
                """,
                company=period.company_id,
                start=period.start,
                end=period.end,
            )
        )
        names = {
            d.id: d.name
            for d in self.env["qms.department"]
            .sudo()
            .with_context(active_test=False)
            .browse([r["department_id"] for r in rows])
        }
        return [
            {
                "department_id": r["department_id"],
                "department": names.get(r["department_id"], ""),
                "decisions": r["decisions"],
                "lead_time": round(float(r["lead_time"]), 4)
                if r["lead_time"] is not None
                else False,
                "rejection_rate": round(float(r["rejection_rate"]), 4),
            }
            for r in rows
        ]

    def _qms_input_nonconformities(self, period):
        """Nonconformities: lots declared non-conforming in the period."""
        rows = self._qms_fetch(
            SQL(
                """
                SELECT DISTINCT ON (lg.lot_id) lg.lot_id, lg.date, lg.reason,
                       lot.name AS lot, lot.product_id, lot.qms_status AS status
                  FROM qms_lot_status_log lg
                  JOIN stock_lot lot ON lot.id = lg.lot_id
                 WHERE lg.lot_id IN (%(lots)s)
                   AND lg.new_status = 'nonconforming'
                   AND lg.date >= %(start)s AND lg.date < %(end)s
                 ORDER BY lg.lot_id, lg.date
                """,
                lots=self.env["qms.indicator"]._qms_nc_lots(period),
                start=period.start,
                end=period.end,
            )
        )
        rows.sort(key=lambda r: r["date"])
        products = {
            p.id: p.display_name
            for p in self.env["product.product"]
            .sudo()
            .with_context(active_test=False)
            .browse({r["product_id"] for r in rows[:LIST_LIMIT]})
        }
        return {
            "lots": [
                {
                    "lot": r["lot"],
                    "product": products.get(r["product_id"], ""),
                    "date": fields.Datetime.to_string(r["date"])[:10],
                    "reason": r["reason"],
                    "status": r["status"],
                }
                for r in rows[:LIST_LIMIT]
            ],
            "lot_count": len(rows),
        }

    def _qms_input_claim_actions(self, period):
        """Corrective actions: the actions of claims received in the period, by
        kind and status, and those still open."""
        summary = self._qms_fetch(
            SQL(
                """
                SELECT a.kind, count(*) AS total,
                       count(*) FILTER (WHERE a.done_date IS NOT NULL) AS done,
                       count(*) FILTER (WHERE a.done_date IS NULL) AS open,
                       count(*) FILTER (WHERE a.done_date IS NULL
                                          AND a.due_date < %(today)s) AS overdue
                  FROM qms_claim_action a
                  JOIN qms_claim c ON c.id = a.claim_id
                 WHERE a.company_id = %(company)s
                   AND c.date >= %(start)s AND c.date < %(end)s
                 GROUP BY a.kind ORDER BY a.kind
                """,
                company=period.company_id,
                start=period.start,
                end=period.end,
                today=self.date,
            )
        )
        open_rows = self._qms_fetch(
            SQL(
                """
                SELECT c.name AS claim, a.kind, a.description, a.owner_id,
                       a.due_date
                  FROM qms_claim_action a
                  JOIN qms_claim c ON c.id = a.claim_id
                 WHERE a.company_id = %(company)s AND a.done_date IS NULL
                   AND a.kind IN ('corrective', 'preventive')
                   AND c.date < %(end)s
                 ORDER BY a.due_date NULLS LAST, a.id
                 LIMIT %(limit)s
                """,
                company=period.company_id,
                end=period.end,
                limit=LIST_LIMIT,
            )
        )
        owners = {
            u.id: u.name
            for u in self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .browse({r["owner_id"] for r in open_rows})
        }
        return {
            "summary": summary,
            "open": [
                {
                    "claim": r["claim"],
                    "kind": r["kind"],
                    "description": r["description"],
                    "owner": owners.get(r["owner_id"], ""),
                    "due_date": fields.Date.to_string(r["due_date"])
                    if r["due_date"]
                    else "",
                    "overdue": bool(r["due_date"] and r["due_date"] < self.date),
                }
                for r in open_rows
            ],
        }

    def _qms_input_monitoring(self, period):
        """Monitoring results: the counts behind the rates."""
        [row] = self._qms_fetch(
            SQL(
                """
                SELECT d.deliveries, d.inspected,
                  (SELECT count(*) FROM qms_claim c
                    WHERE c.company_id = %(company)s
                      AND c.date >= %(start)s AND c.date < %(end)s) AS claims,
                  (SELECT count(*) FROM qms_claim c
                    WHERE c.company_id = %(company)s AND c.stage = 'closed'
                      AND c.date_closed >= %(start)s
                      AND c.date_closed < %(end)s) AS claims_closed,
                  (SELECT count(*) FROM qms_followup_visit v
                    WHERE v.company_id = %(company)s AND v.state = 'done'
                      AND v.date_done BETWEEN %(date_from)s AND %(date_to)s)
                      AS visits_done,
                  (SELECT count(*) FROM qms_followup_visit v
                    WHERE v.company_id = %(company)s AND v.state = 'planned'
                      AND v.scheduled_date <= %(date_to)s) AS visits_late
                  FROM (SELECT count(*) AS deliveries, count(i.id) AS inspected
                          FROM stock_picking p
                          LEFT JOIN qms_delivery_inspection i ON i.picking_id = p.id
                         WHERE %(deliveries)s) d
                """,
                deliveries=self.env["qms.indicator"]._qms_delivery_filter(period),
                company=period.company_id,
                start=period.start,
                end=period.end,
                date_from=period.date_from,
                date_to=period.date_to,
            )
        )
        return row
