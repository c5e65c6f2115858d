from collections import namedtuple
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, create_index

INDICATOR_UNITS = [
    ("percent", "%"),
    ("hours", "h"),
    ("days", "days"),
    ("count", "count"),
    ("quantity", "units"),
    ("per_1000", "per 1,000"),
    ("index", "index (0–100)"),
]

# a company, a period of whole days [date_from, date_to] and the same period
# as UTC timestamps [start, end) cut at midnight in the company's time zone;
# the customer locations as constants, which the planner estimates well
Period = namedtuple(
    "Period", "company_id date_from date_to start end tz today customer_locations"
)


class QmsIndicator(models.Model):
    """A measured indicator of the sales and service process (ISO 9001 9.1).

    The catalogue is data: each record's ``code`` names the method
    ``_qms_sql_<code>(period)`` that returns one SQL query computing the figure
    for a company and a period from the records of sales_qms and Odoo. Adding
    an indicator is adding a record and its method; nothing loops over records.
    """

    _name = "qms.indicator"
    _inherit = ["qms.system.fields.mixin"]
    _description = "Quality Indicator"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Technical code: the figure is computed by the method "
        "_qms_sql_<code> of the model.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    unit = fields.Selection(INDICATOR_UNITS, required=True, default="percent")
    direction = fields.Selection(
        [("higher", "Higher is better"), ("lower", "Lower is better")],
        required=True,
        default="higher",
    )
    description = fields.Text(
        translate=True, help="What is counted, over which records, and how."
    )
    process = fields.Selection(
        [
            ("contract", "Contract review"),
            ("delivery", "Delivery"),
            ("nonconformity", "Nonconformity"),
            ("after_sales", "After-sales"),
            ("satisfaction", "Customer satisfaction"),
            ("sales", "Sales"),
            ("service", "Service"),
        ],
        required=True,
        default="sales",
    )
    objective_count = fields.Integer(compute="_compute_objective_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "An indicator code is used only once."),
    ]

    # ------------------------------------------------------------ computes
    def _compute_objective_count(self):
        counts = dict(
            self.env["qms.objective"]
            .with_context(active_test=False)
            ._read_group(
                [("indicator_id", "in", self.ids)], ["indicator_id"], ["__count"]
            )
        )
        for indicator in self:
            indicator.objective_count = counts.get(indicator, 0)

    @api.constrains("code")
    def _check_code(self):
        for indicator in self:
            if not hasattr(self, f"_qms_sql_{indicator.code}"):
                raise ValidationError(
                    self.env._(
                        "Indicator %(name)s: no computation is defined for the code "
                        "%(code)s (method _qms_sql_%(code)s).",
                        name=indicator.name,
                        code=indicator.code,
                    )
                )

    def write(self, vals):
        self._qms_check_input(vals)
        if "code" in vals and any(i.code != vals["code"] for i in self):
            if (
                self.env["qms.objective.value"]
                .sudo()
                .search_count([("indicator_id", "in", self.ids)], limit=1)
            ):
                raise UserError(
                    self.env._(
                        "The code of an indicator with measured values cannot change: "
                        "the values would no longer say what they measured."
                    )
                )
        return super().write(vals)

    def init(self):
        res = super().init()
        cr = self.env.cr
        # claims per 1,000 delivered lines counts the done lines of a company
        # and a period; core indexes neither the date nor the state
        create_index(
            cr,
            "stock_move_line_qms_done_customer_index",
            "stock_move_line",
            ["company_id", "date", "location_dest_id", "location_id"],
            where="state = 'done'",
        )
        create_index(
            cr,
            "stock_picking_qms_done_date_index",
            "stock_picking",
            ["company_id", "date_done"],
            where="state = 'done'",
        )
        # claims resolved / closed, review decisions in a period
        create_index(
            cr,
            "qms_claim_qms_resolved_index",
            "qms_claim",
            ["company_id", "date_resolved"],
            where="date_resolved IS NOT NULL",
        )
        create_index(
            cr,
            "qms_claim_qms_closed_index",
            "qms_claim",
            ["company_id", "date_closed"],
            where="date_closed IS NOT NULL",
        )
        create_index(
            cr,
            "qms_contract_review_qms_decided_index",
            "qms_contract_review",
            ["company_id", "decided_on"],
            where="state IN ('approved', 'rejected')",
        )
        create_index(
            cr,
            "qms_contract_review_line_qms_decided_index",
            "qms_contract_review_line",
            ["company_id", "decided_on"],
            where="state IN ('approved', 'rejected')",
        )
        return res

    # ------------------------------------------------------------ public API
    def compute_value(self, company_id, date_from, date_to):
        """The indicator's figure for a company over [date_from, date_to]
        (whole days in the company's time zone), or False when there is nothing
        to measure. One SQL query; the caller must work in that company."""
        self.ensure_one()
        period = self._qms_period(company_id, date_from, date_to)
        return self._qms_values(period)[self]

    def compute_breakdown(self, company_id, date_from, date_to):
        """The figure per department, for indicators that have one (contract
        review lead time and rejection rate): a list of
        ``{"department_id", "department", "value", "count"}``; else []."""
        self.ensure_one()
        period = self._qms_period(company_id, date_from, date_to)
        method = getattr(self, f"_qms_breakdown_{self.code}", None)
        if not method:
            return []
        self.env.flush_all()
        self.env.cr.execute(method(period))
        rows = self.env.cr.fetchall()
        departments = self.env["qms.department"].sudo().browse([r[0] for r in rows])
        names = {d.id: d.name for d in departments.with_context(active_test=False)}
        return [
            {
                "department_id": department_id,
                "department": names.get(department_id, ""),
                "value": round(value, 4) if value is not None else False,
                "count": count,
            }
            for department_id, value, count in rows
        ]

    def action_view_records(self, company_id, date_from, date_to):
        """The records behind the figure (window action), as the user sees them."""
        self.ensure_one()
        period = self._qms_period(company_id, date_from, date_to)
        model, domain = getattr(self, f"_qms_records_{self.code}")(period)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(indicator)s: %(date_from)s – %(date_to)s",
                indicator=self.name,
                date_from=period.date_from,
                date_to=period.date_to,
            ),
            "res_model": model,
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
            "context": {"create": False},
        }

    # ------------------------------------------------------------ engine
    @api.model
    def _qms_period(self, company_id, date_from, date_to):
        """Check the caller may measure the company and build the period."""
        if isinstance(company_id, models.BaseModel):
            company_id = company_id.id
        if isinstance(company_id, bool) or not isinstance(company_id, int):
            raise ValidationError(self.env._("A company id is expected."))
        try:
            date_from = fields.Date.to_date(date_from)
            date_to = fields.Date.to_date(date_to)
        except (ValueError, TypeError) as error:
            raise ValidationError(
                self.env._("The period must be given as two dates (YYYY-MM-DD).")
            ) from error
        if not date_from or not date_to or date_to < date_from:
            raise ValidationError(
                self.env._("The period must be given as two dates, the first first.")
            )
        if not self.env.su:
            if not self.env.user.has_group("sales_qms.group_qms_user"):
                raise AccessError(
                    self.env._(
                        "Only Sales QMS users can compute quality indicators "
                        "(group Sales QMS / User)."
                    )
                )
            if company_id not in self.env.user.company_ids.ids:
                raise AccessError(
                    self.env._(
                        "You cannot compute indicators of a company you do not work in."
                    )
                )
        company = self.env["res.company"].sudo().browse(company_id).exists()
        if not company:
            raise ValidationError(
                self.env._("No company with id %(id)s.", id=company_id)
            )
        tz_name = company.partner_id.tz or "UTC"
        tz = pytz.timezone(tz_name)

        def utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        today = datetime.now(pytz.utc).astimezone(tz).date()
        customers = (
            self.env["stock.location"]
            .sudo()
            .with_context(active_test=False)
            .search([("usage", "=", "customer")])
        )
        return Period(
            company_id,
            date_from,
            date_to,
            utc(date_from),
            utc(date_to + timedelta(days=1)),
            tz_name,
            today,
            customers.ids,
        )

    def _qms_values(self, period):
        """{indicator: value or False} for these indicators, one query each."""
        self.env.flush_all()
        values = {}
        for indicator in self:
            method = getattr(indicator, f"_qms_sql_{indicator.code}", None)
            query = method(period) if method else None
            value = None
            if query is not None:
                self.env.cr.execute(query)
                row = self.env.cr.fetchone()
                value = row[0] if row else None
            values[indicator] = round(float(value), 4) if value is not None else False
        return values

    @api.model
    def _qms_local_date(self, column, period):
        """SQL: the local calendar day of a UTC timestamp column."""
        return SQL("((%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date", column, period.tz)

    # ------------------------------------------------------------ contract review
    def _qms_sql_review_before_confirm(self, period):
        """Orders confirmed in the period whose contract review was approved
        before the confirmation, in % of the orders confirmed."""
        return SQL(
            """
            SELECT 100.0 * count(*) FILTER (WHERE r.first_approved <= so.date_order)
                   / NULLIF(count(*), 0)
              FROM sale_order so
              LEFT JOIN (SELECT order_id, min(decided_on) AS first_approved
                           FROM qms_contract_review
                          WHERE state = 'approved' AND decided_on < %(end)s
                          GROUP BY order_id) r ON r.order_id = so.id
             WHERE so.company_id = %(company)s AND so.state = 'sale'
               AND so.date_order >= %(start)s AND so.date_order < %(end)s
            """,
            company=period.company_id,
            start=period.start,
            end=period.end,
        )

    def _qms_records_review_before_confirm(self, period):
        return "sale.order", [
            ("company_id", "=", period.company_id),
            ("state", "=", "sale"),
            ("date_order", ">=", period.start),
            ("date_order", "<", period.end),
        ]

    def _qms_sql_review_lead_time(self, period):
        """Mean hours from the request of a review round to its decision
        (approved or rejected), over the rounds decided in the period."""
        return SQL(
            """
            SELECT avg(EXTRACT(EPOCH FROM r.decided_on - r.requested_on) / 3600.0)
              FROM qms_contract_review r
             WHERE r.company_id = %(company)s
               AND r.state IN ('approved', 'rejected')
               AND r.requested_on IS NOT NULL
               AND r.decided_on >= %(start)s AND r.decided_on < %(end)s
            """,
            company=period.company_id,
            start=period.start,
            end=period.end,
        )

    def _qms_breakdown_review_lead_time(self, period):
        """Per department: mean hours from the request to its decision."""
        return self._qms_review_line_breakdown(period, SQL("avg(l.decision_hours)"))

    def _qms_records_review_lead_time(self, period):
        return "qms.contract.review", [
            ("company_id", "=", period.company_id),
            ("state", "in", ("approved", "rejected")),
            ("decided_on", ">=", period.start),
            ("decided_on", "<", period.end),
        ]

    def _qms_sql_review_rejection_rate(self, period):
        """Review rounds rejected, in % of the rounds decided in the period."""
        return SQL(
            """
            SELECT 100.0 * count(*) FILTER (WHERE r.state = 'rejected')
                   / NULLIF(count(*), 0)
              FROM qms_contract_review r
             WHERE r.company_id = %(company)s
               AND r.state IN ('approved', 'rejected')
               AND r.decided_on >= %(start)s AND r.decided_on < %(end)s
            """,
            company=period.company_id,
            start=period.start,
            end=period.end,
        )

    def _qms_breakdown_review_rejection_rate(self, period):
        """Per department: rejections in % of its decisions."""
        return self._qms_review_line_breakdown(
            period,
            SQL("100.0 * count(*) FILTER (WHERE l.state = 'rejected') / count(*)"),
        )

    def _qms_records_review_rejection_rate(self, period):
        return self._qms_records_review_lead_time(period)

    def _qms_review_line_breakdown(self, period, aggregate):
        return SQL(
            """
            SELECT l.department_id, %(aggregate)s, count(*)
              FROM qms_contract_review_line l
              JOIN qms_department d ON d.id = l.department_id
             WHERE l.company_id = %(company)s
               AND l.state IN ('approved', 'rejected')
               AND l.decided_on >= %(start)s AND l.decided_on < %(end)s
             GROUP BY l.department_id, d.sequence
             ORDER BY d.sequence, l.department_id
            """,
            aggregate=aggregate,
            company=period.company_id,
            start=period.start,
            end=period.end,
        )

    # ------------------------------------------------------------ delivery
    def _qms_delivery_filter(self, period):
        """Done deliveries to a customer of the company in the period."""
        return SQL(
            """
                  p.company_id = %(company)s AND p.state = 'done'
              AND p.date_done >= %(start)s AND p.date_done < %(end)s
              AND p.location_dest_id = ANY(%(customers)s)
            """,
            company=period.company_id,
            start=period.start,
            end=period.end,
            customers=period.customer_locations,
        )

    def _qms_delivery_domain(self, period):
        return [
            ("company_id", "=", period.company_id),
            ("state", "=", "done"),
            ("date_done", ">=", period.start),
            ("date_done", "<", period.end),
            ("location_dest_id.usage", "=", "customer"),
        ]

    def _qms_sql_on_time_delivery(self, period):
        """Deliveries of confirmed orders with a commitment date, done in the
        period, done on or before the committed day, in % of those deliveries."""
        return SQL(
            """
            SELECT 100.0 * count(*) FILTER (WHERE %(done)s <= %(committed)s)
                   / NULLIF(count(*), 0)
              FROM stock_picking p
              JOIN sale_order so ON so.id = p.sale_id
             WHERE %(deliveries)s
               AND so.state = 'sale' AND so.commitment_date IS NOT NULL
            """,
            done=self._qms_local_date(SQL("p.date_done"), period),
            committed=self._qms_local_date(SQL("so.commitment_date"), period),
            deliveries=self._qms_delivery_filter(period),
        )

    def _qms_records_on_time_delivery(self, period):
        return "stock.picking", [
            *self._qms_delivery_domain(period),
            ("sale_id.state", "=", "sale"),
            ("sale_id.commitment_date", "!=", False),
        ]

    def _qms_sql_inspection_first_pass(self, period):
        """Inspected deliveries done in the period whose pre-delivery
        inspection passed without ever failing and without an emergency
        release or a concession, in % of the inspected deliveries."""
        return SQL(
            """
            SELECT 100.0 * count(*) FILTER (
                       WHERE i.result = 'passed' AND i.failed_on IS NULL
                         AND r.picking_id IS NULL)
                   / NULLIF(count(*), 0)
              FROM stock_picking p
              JOIN qms_delivery_inspection i ON i.picking_id = p.id
              LEFT JOIN (SELECT DISTINCT picking_id FROM qms_delivery_release
                          WHERE state = 'approved') r ON r.picking_id = p.id
             WHERE %(deliveries)s
            """,
            deliveries=self._qms_delivery_filter(period),
        )

    def _qms_records_inspection_first_pass(self, period):
        return "qms.delivery.inspection", [
            ("picking_id.company_id", "=", period.company_id),
            ("picking_id.state", "=", "done"),
            ("picking_id.date_done", ">=", period.start),
            ("picking_id.date_done", "<", period.end),
            ("picking_id.location_dest_id.usage", "=", "customer"),
        ]

    def _qms_release_count(self, period, kind):
        return SQL(
            """
            SELECT count(*) FROM qms_delivery_release r
             WHERE r.company_id = %(company)s AND r.state = 'approved'
               AND r.kind = %(kind)s
               AND r.approved_on >= %(start)s AND r.approved_on < %(end)s
            """,
            company=period.company_id,
            kind=kind,
            start=period.start,
            end=period.end,
        )

    def _qms_release_domain(self, period, kind):
        return [
            ("company_id", "=", period.company_id),
            ("state", "=", "approved"),
            ("kind", "=", kind),
            ("approved_on", ">=", period.start),
            ("approved_on", "<", period.end),
        ]

    def _qms_sql_emergency_releases(self, period):
        """Emergency releases (紧急放行) approved in the period."""
        return self._qms_release_count(period, "emergency")

    def _qms_records_emergency_releases(self, period):
        return "qms.delivery.release", self._qms_release_domain(period, "emergency")

    def _qms_sql_concessions(self, period):
        """Concessions (让步接收) approved in the period."""
        return self._qms_release_count(period, "concession")

    def _qms_records_concessions(self, period):
        return "qms.delivery.release", self._qms_release_domain(period, "concession")

    # ------------------------------------------------------------ nonconformity
    def _qms_nc_lots(self, period):
        """SQL: the lots declared non-conforming in the period, of the company:
        its own lots, and lots without a company (products shared between
        companies) that entered its stock."""
        return SQL(
            """
            SELECT DISTINCT lg.lot_id FROM qms_lot_status_log lg
             WHERE lg.new_status = 'nonconforming'
               AND lg.date >= %(start)s AND lg.date < %(end)s
               AND (lg.company_id = %(company)s
                    OR lg.company_id IS NULL AND EXISTS (
                        SELECT 1 FROM stock_move_line ml
                         WHERE ml.lot_id = lg.lot_id AND ml.state = 'done'
                           AND ml.company_id = %(company)s))
            """,
            company=period.company_id,
            start=period.start,
            end=period.end,
        )

    def _qms_sql_nc_lots(self, period):
        """Lots declared non-conforming (不合格) in the period."""
        return SQL("SELECT count(*) FROM (%s) nc", self._qms_nc_lots(period))

    def _qms_records_nc_lots(self, period):
        self.env.flush_all()
        self.env.cr.execute(self._qms_nc_lots(period))
        return "qms.lot.status.log", [
            ("lot_id", "in", [row[0] for row in self.env.cr.fetchall()]),
            ("new_status", "=", "nonconforming"),
            ("date", ">=", period.start),
            ("date", "<", period.end),
        ]

    def _qms_sql_nc_lot_qty(self, period):
        """Quantity (product unit) of the lots declared non-conforming in the
        period: what entered the stock of each lot from a supplier, production
        or an inventory adjustment (one lot is one inspection unit)."""
        return SQL(
            """
            SELECT COALESCE(sum(ml.quantity_product_uom), 0)
              FROM (%(lots)s) nc
              JOIN stock_move_line ml ON ml.lot_id = nc.lot_id AND ml.state = 'done'
              JOIN stock_location src ON src.id = ml.location_id
              JOIN stock_location dst ON dst.id = ml.location_dest_id
             WHERE dst.usage = 'internal'
               AND src.usage IN ('supplier', 'production', 'inventory')
               AND ml.company_id = %(company)s
            """,
            lots=self._qms_nc_lots(period),
            company=period.company_id,
        )

    def _qms_records_nc_lot_qty(self, period):
        return self._qms_records_nc_lots(period)

    # ------------------------------------------------------------ after-sales
    def _qms_sql_claims_per_1000_lines(self, period):
        """Claims received in the period (rejected ones excluded) per 1,000
        move lines delivered to customers in the period (returns are not
        deliveries)."""
        return SQL(
            """
            SELECT 1000.0 * (
                       SELECT count(*) FROM qms_claim c
                        WHERE c.company_id = %(company)s AND c.stage <> 'rejected'
                          AND c.date >= %(start)s AND c.date < %(end)s)
                   / NULLIF(count(*), 0)
              FROM stock_move_line ml
             WHERE ml.company_id = %(company)s AND ml.state = 'done'
               AND ml.date >= %(start)s AND ml.date < %(end)s
               AND ml.location_dest_id = ANY(%(customers)s)
               AND NOT ml.location_id = ANY(%(customers)s)
            """,
            company=period.company_id,
            start=period.start,
            end=period.end,
            customers=period.customer_locations,
        )

    def _qms_records_claims_per_1000_lines(self, period):
        return "qms.claim", [
            ("company_id", "=", period.company_id),
            ("stage", "!=", "rejected"),
            ("date", ">=", period.start),
            ("date", "<", period.end),
        ]

    def _qms_sql_claims_closed_in_sla(self, period):
        """Claims closed in the period that were resolved on or before their
        SLA deadline, in % of the claims closed."""
        return SQL(
            """
            SELECT 100.0 * count(*) FILTER (
                       WHERE c.deadline IS NULL OR %(resolved)s <= c.deadline)
                   / NULLIF(count(*), 0)
              FROM qms_claim c
             WHERE c.company_id = %(company)s AND c.stage = 'closed'
               AND c.date_closed >= %(start)s AND c.date_closed < %(end)s
            """,
            resolved=self._qms_local_date(
                SQL("COALESCE(c.date_resolved, c.date_closed)"), period
            ),
            company=period.company_id,
            start=period.start,
            end=period.end,
        )

    def _qms_records_claims_closed_in_sla(self, period):
        return "qms.claim", [
            ("company_id", "=", period.company_id),
            ("stage", "=", "closed"),
            ("date_closed", ">=", period.start),
            ("date_closed", "<", period.end),
        ]

    def _qms_sql_claim_resolution_days(self, period):
        """Mean days from a claim's date to its resolution, over the claims
        resolved in the period."""
        return SQL(
            """
            SELECT avg(EXTRACT(EPOCH FROM c.date_resolved - c.date) / 86400.0)
              FROM qms_claim c
             WHERE c.company_id = %(company)s
               AND c.stage IN ('resolved', 'closed')
               AND c.date_resolved >= %(start)s AND c.date_resolved < %(end)s
            """,
            company=period.company_id,
            start=period.start,
            end=period.end,
        )

    def _qms_records_claim_resolution_days(self, period):
        return "qms.claim", [
            ("company_id", "=", period.company_id),
            ("stage", "in", ("resolved", "closed")),
            ("date_resolved", ">=", period.start),
            ("date_resolved", "<", period.end),
        ]

    # ------------------------------------------------------------ satisfaction
    def _qms_sql_satisfaction_index(self, period):
        """Customer satisfaction index, 0 to 100: every score of 1 to 5 given
        in the period (follow-up visits done: quality, delivery, service;
        service ratings when the service process is installed) mapped
        linearly, 1 → 0 and 5 → 100, and averaged."""
        return SQL(
            """
            SELECT avg((s.score - 1) * 25.0)
              FROM (%(scores)s) s
             WHERE s.score BETWEEN 1 AND 5
            """,
            scores=self._qms_satisfaction_scores(period),
        )

    def _qms_satisfaction_scores(self, period):
        """SQL: one row per score (column ``score``) given in the period."""
        visits = SQL(
            """
            SELECT unnest(ARRAY[v.score_quality, v.score_delivery,
                                v.score_service]) AS score
              FROM qms_followup_visit v
             WHERE v.company_id = %(company)s AND v.state = 'done'
               AND v.date_done BETWEEN %(date_from)s AND %(date_to)s
            """,
            company=period.company_id,
            date_from=period.date_from,
            date_to=period.date_to,
        )
        service = self._qms_service_rating_scores(period)
        return SQL("%s UNION ALL %s", visits, service) if service else visits

    def _qms_service_rating_scores(self, period):
        """Ratings (1–5) the customers gave to the service requests done in
        the period (qms.service.request, customer_rating; 0: not rated)."""
        return SQL(
            """
            SELECT r.customer_rating AS score FROM qms_service_request r
             WHERE r.company_id = %(company)s AND r.customer_rating BETWEEN 1 AND 5
               AND r.state IN ('done', 'closed')
               AND r.date_done >= %(start)s AND r.date_done < %(end)s
            """,
            company=period.company_id,
            start=period.start,
            end=period.end,
        )

    def _qms_records_satisfaction_index(self, period):
        return "qms.followup.visit", [
            ("company_id", "=", period.company_id),
            ("state", "=", "done"),
            ("date_done", ">=", period.date_from),
            ("date_done", "<=", period.date_to),
        ]

    def _qms_sql_visits_on_time(self, period):
        """Follow-up visits scheduled in the period and due (done, or their
        day has passed), done on or before the scheduled day, in % of them.
        Cancelled visits do not count."""
        return SQL(
            """
            SELECT 100.0 * count(*) FILTER (
                       WHERE v.state = 'done' AND v.date_done <= v.scheduled_date)
                   / NULLIF(count(*), 0)
              FROM qms_followup_visit v
             WHERE v.company_id = %(company)s AND v.state <> 'cancelled'
               AND v.scheduled_date BETWEEN %(date_from)s AND %(date_to)s
               AND (v.state = 'done' OR v.scheduled_date < %(today)s)
            """,
            company=period.company_id,
            date_from=period.date_from,
            date_to=period.date_to,
            today=period.today,
        )

    def _qms_records_visits_on_time(self, period):
        return "qms.followup.visit", [
            ("company_id", "=", period.company_id),
            ("state", "!=", "cancelled"),
            ("scheduled_date", ">=", period.date_from),
            ("scheduled_date", "<=", period.date_to),
        ]

    # ------------------------------------------------------------ other processes
    def _qms_sql_sales_target_achievement(self, period):
        """Mean achievement (actual over target, in %) of the approved and
        closed sales targets lying within the period; each target counts once
        whatever it measures (amount, quantity, margin, customers, growth).
        The actual of a live target is computed by qms.sales.target (one set
        of queries for all of them), of a closed one frozen at closing."""
        targets = (
            self.env["qms.sales.target"].sudo().search(self._qms_target_domain(period))
        )
        targets = targets.filtered("target_value")
        if not targets:
            return None
        mean = sum(targets.mapped("achievement")) / len(targets)
        return SQL("SELECT %s::numeric", mean)

    def _qms_target_domain(self, period):
        """The approved and closed targets lying within the period."""
        return [
            ("company_id", "=", period.company_id),
            ("date_from", ">=", period.date_from),
            ("date_to", "<=", period.date_to),
            ("state", "!=", "draft"),
        ]

    def _qms_records_sales_target_achievement(self, period):
        return "qms.sales.target", self._qms_target_domain(period)

    def _qms_sql_service_sla(self, period):
        """Service requests done in the period whose SLA was met (done by
        their deadline: qms.service.request, sla_status), in % of those done;
        cancelled requests do not count."""
        return SQL(
            """
            SELECT 100.0 * count(*) FILTER (WHERE r.sla_status = 'met')
                   / NULLIF(count(*), 0)
              FROM qms_service_request r
             WHERE r.company_id = %(company)s
               AND r.state IN ('done', 'closed')
               AND r.date_done >= %(start)s AND r.date_done < %(end)s
            """,
            company=period.company_id,
            start=period.start,
            end=period.end,
        )

    def _qms_records_service_sla(self, period):
        return "qms.service.request", [
            ("company_id", "=", period.company_id),
            ("state", "in", ("done", "closed")),
            ("date_done", ">=", period.start),
            ("date_done", "<", period.end),
        ]
