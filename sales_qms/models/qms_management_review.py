from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

REVIEW_STATES = [
    ("draft", "Draft"),
    ("in_review", "In Review"),
    ("approved", "Approved"),
]
# fields that stay writable on an approved review (chatter and activities)
MAIL_FIELDS = {
    "message_main_attachment_id",
    "activity_ids",
    "message_follower_ids",
    "message_ids",
    "activity_user_id",
    "activity_date_deadline",
    "activity_summary",
}
# what the inputs were compiled for: changing it in draft asks for a new compile
COMPILE_SCOPE = ("company_id", "period_start", "period_end", "date")
# rows listed in a table of the inputs (the totals count everything)
LIST_LIMIT = 20


class QmsManagementReview(models.Model):
    """A management review (管理评审, ISO 9001 9.3): its inputs compiled from
    the records and frozen with it, the decisions taken with an owner and a
    due date, approved by the chair (the general manager)."""

    _name = "qms.management.review"
    _description = "Management Review"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.audit.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _qms_system_fields = (
        "state",
        "input_data",
        "inputs_compiled_on",
        "inputs_compiled_by",
        "submitted_on",
        "approved_by",
        "approved_on",
    )

    # ------------------------------------------------------------ fields
    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date = fields.Date(
        string="Review Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    period_start = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
        tracking=True,
        help="First day of the period the inputs cover.",
    )
    period_end = fields.Date(
        required=True,
        default=fields.Date.context_today,
        tracking=True,
        help="Last day of the period the inputs cover.",
    )
    chair_id = fields.Many2one(
        "res.users",
        required=True,
        tracking=True,
        default=lambda self: self._default_chair(),
        help="Chairs the review and approves it: the general manager.",
    )
    participant_ids = fields.Many2many(
        "res.users",
        "qms_management_review_participant_rel",
        "review_id",
        "user_id",
        string="Participants",
        help="Who attended the review.",
    )
    state = fields.Selection(
        REVIEW_STATES,
        required=True,
        default="draft",
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    changes_note = fields.Text(
        string="Changes",
        help="Changes in external and internal issues relevant to the QMS: "
        "procedure changes, organisation, new markets... (compiled facts are "
        "added: special contract reasons, new products).",
    )
    other_inputs_note = fields.Text(
        string="Other Inputs",
        help="Audit results, adequacy of resources, effectiveness of actions "
        "taken on risks and opportunities, opportunities for improvement.",
    )
    conclusion = fields.Text(
        help="The review's conclusion on the suitability, adequacy and "
        "effectiveness of the quality management system.",
    )
    input_data = fields.Json(readonly=True, copy=False)
    inputs_compiled_on = fields.Datetime(readonly=True, copy=False)
    inputs_compiled_by = fields.Many2one("res.users", readonly=True, copy=False)
    inputs_html = fields.Html(
        compute="_compute_inputs_html", sanitize=False, string="Inputs"
    )
    decision_ids = fields.One2many(
        "qms.management.review.action", "review_id", string="Decisions"
    )
    decision_count = fields.Integer(compute="_compute_decision_counts")
    open_decision_count = fields.Integer(compute="_compute_decision_counts")
    submitted_on = fields.Datetime(readonly=True, copy=False)
    approved_by = fields.Many2one("res.users", readonly=True, copy=False)
    approved_on = fields.Datetime(readonly=True, copy=False)
    is_chair = fields.Boolean(compute="_compute_is_chair")

    _sql_constraints = [
        (
            "period_check",
            "CHECK(period_start <= period_end)",
            "The review period ends before it starts.",
        ),
    ]

    # ------------------------------------------------------------ defaults, computes
    @api.model
    def _default_chair(self):
        """The general manager: the reviewer of the company's final contract
        review department, if there is one."""
        gm = self.env["qms.department"].search(
            [
                ("is_final", "=", True),
                ("company_id", "in", [False, self.env.company.id]),
            ],
            limit=1,
        )
        return gm.user_ids[:1]

    @api.depends("decision_ids.state")
    def _compute_decision_counts(self):
        for review in self:
            review.decision_count = len(review.decision_ids)
            review.open_decision_count = len(
                review.decision_ids.filtered(lambda a: a.state == "open")
            )

    @api.depends_context("uid")
    @api.depends("chair_id")
    def _compute_is_chair(self):
        for review in self:
            review.is_chair = review.chair_id == self.env.user

    @api.depends("input_data")
    @api.depends_context("lang")
    def _compute_inputs_html(self):
        for review in self:
            review.inputs_html = (
                review._qms_render_inputs() if review.input_data else False
            )

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

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._qms_check_input(vals)
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = (
                    self.env["ir.sequence"]
                    .with_company(company)
                    .next_by_code("qms.management.review")
                    or "/"
                )
        return super().create(vals_list)

    def write(self, vals):
        self._qms_check_input(vals)
        if not self._qms_is_system_write():
            self._qms_check_user_write(vals)
        return super().write(vals)

    def _qms_check_user_write(self, vals):
        locked = set(vals) - MAIL_FIELDS
        if not locked:
            return
        approved = self.filtered(lambda r: r.state == "approved")
        if approved:
            raise UserError(
                self.env._(
                    "Management review %(review)s is approved: it is kept as it was "
                    "approved.",
                    review=approved[0].name,
                )
            )
        if "name" in vals:
            raise UserError(self.env._("A management review keeps its number."))
        scope = set(COMPILE_SCOPE) & locked
        in_review = self.filtered(lambda r: r.state == "in_review")
        if scope and in_review:
            raise UserError(
                self.env._(
                    "Management review %(review)s is in review: its inputs are "
                    "frozen for its company, date and period. Set it back to draft to "
                    "change them and compile again.",
                    review=in_review[0].name,
                )
            )

    def _qms_audit_unlink_message(self):
        return self.env._(
            "Management review %(review)s is an audit record: only a draft can be "
            "deleted.",
            review=self.filtered(lambda r: r.state != "draft")[:1].name,
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_audit_record(self):
        if self.filtered(lambda r: r.state != "draft"):
            raise UserError(self._qms_audit_unlink_message())

    # ------------------------------------------------------------ rights
    def _qms_check_manager(self, what):
        if self.env.su or self.env.user.has_group("sales_qms.group_qms_manager"):
            return
        raise AccessError(
            self.env._(
                "Only a QMS manager can %(what)s a management review (group Sales "
                "QMS / Manager).",
                what=what,
            )
        )

    # ------------------------------------------------------------ actions
    def action_compile_inputs(self):
        """Compile the inputs (ISO 9001 9.3.2) from the records of the review's
        company and period, and store them with the review. Draft only: the
        inputs are frozen once the review is submitted."""
        self._qms_check_manager(self.env._("compile the inputs of"))
        for review in self:
            if review.state != "draft":
                raise UserError(
                    self.env._(
                        "Management review %(review)s is %(state)s: its inputs are "
                        "frozen.",
                        review=review.name,
                        state=dict(REVIEW_STATES)[review.state],
                    )
                )
            review.check_access("write")
            data = review._qms_compile_inputs()
            review._qms_system_write(
                {
                    "input_data": data,
                    "inputs_compiled_on": fields.Datetime.now(),
                    "inputs_compiled_by": self.env.user.id,
                }
            )
        return True

    def action_submit(self):
        """Submit the review with its compiled inputs, frozen from now on; the
        chair gets an activity to approve it."""
        self._qms_check_manager(self.env._("submit"))
        for review in self:
            review.check_access("write")
            if review.state != "draft":
                raise UserError(
                    self.env._(
                        "Management review %(review)s is not a draft.",
                        review=review.name,
                    )
                )
            missing = review._qms_missing_to_submit()
            if missing:
                raise UserError(
                    self.env._(
                        "Management review %(review)s cannot be submitted. Still "
                        "missing: %(missing)s.",
                        review=review.name,
                        missing="; ".join(missing),
                    )
                )
            review._qms_system_write(
                {"state": "in_review", "submitted_on": fields.Datetime.now()}
            )
            review.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=review.chair_id.id,
                date_deadline=review.date,
                summary=self.env._("Approve the management review"),
            )
        return True

    def _qms_missing_to_submit(self):
        self.ensure_one()
        missing = []
        data = self.input_data or {}
        scope = data.get("scope") or {}
        if not data:
            missing.append(self.env._("the inputs are not compiled"))
        elif scope != self._qms_scope():
            missing.append(
                self.env._(
                    "the inputs were compiled for another company, date or period: "
                    "compile them again"
                )
            )
        if not self.chair_id.has_group("sales_qms.group_qms_user"):
            missing.append(
                self.env._(
                    "the chair %(user)s must be a Sales QMS user to approve",
                    user=self.chair_id.name,
                )
            )
        return missing

    def action_reset_to_draft(self):
        self._qms_check_manager(self.env._("set back to draft"))
        for review in self:
            review.check_access("write")
            if review.state != "in_review":
                raise UserError(
                    self.env._(
                        "Only a review in review can be set back to draft; "
                        "%(review)s is %(state)s.",
                        review=review.name,
                        state=dict(REVIEW_STATES)[review.state],
                    )
                )
            review._qms_system_write({"state": "draft", "submitted_on": False})
            review.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_approve(self):
        """The chair approves the review: the review, its inputs and its
        decisions become an audit record; each open decision's owner gets an
        activity due on its date."""
        for review in self:
            if self.env.user != review.chair_id:
                raise AccessError(
                    self.env._(
                        "Only the chair of management review %(review)s, %(chair)s, "
                        "can approve it.",
                        review=review.name,
                        chair=review.chair_id.name,
                    )
                )
            review.check_access("read")
            if review.state != "in_review":
                raise UserError(
                    self.env._(
                        "Management review %(review)s must be submitted before it is "
                        "approved.",
                        review=review.name,
                    )
                )
            missing = review._qms_missing_to_approve()
            if missing:
                raise UserError(
                    self.env._(
                        "Management review %(review)s cannot be approved. Still "
                        "missing: %(missing)s.",
                        review=review.name,
                        missing="; ".join(missing),
                    )
                )
            review._qms_system_write(
                {
                    "state": "approved",
                    "approved_by": self.env.user.id,
                    "approved_on": fields.Datetime.now(),
                }
            )
            review._qms_after_approval()
        return True

    def _qms_missing_to_approve(self):
        self.ensure_one()
        missing = []
        if not (self.conclusion or "").strip():
            missing.append(self.env._("the conclusion"))
        if not self.participant_ids:
            missing.append(self.env._("the participants"))
        return missing

    def _qms_after_approval(self):
        self.ensure_one()
        self.sudo().activity_feedback(
            ["mail.mail_activity_data_todo"],
            user_id=self.chair_id.id,
            feedback=self.env._("Approved."),
        )
        self.decision_ids.filtered(lambda a: a.state == "open")._qms_schedule()
        self.sudo().message_post(
            body=self.env._(
                "Management review approved by %(user)s; %(count)s decisions to "
                "follow up.",
                user=self.env.user.name,
                count=len(self.decision_ids),
            )
        )

    def _qms_record_paper_approval(self, note):
        """Record the chair's approval given on paper (signed minutes,
        migration, demo data). Server-side only: private (no RPC) and refused
        unless running as superuser; the chatter says so."""
        if not self.env.su:
            raise AccessError(
                self.env._("Only the system can record an approval given on paper.")
            )
        for review in self:
            if review.state != "in_review":
                raise UserError(
                    self.env._(
                        "Management review %(review)s must be submitted before it is "
                        "approved.",
                        review=review.name,
                    )
                )
            review._qms_system_write(
                {
                    "state": "approved",
                    "approved_by": review.chair_id.id,
                    "approved_on": fields.Datetime.now(),
                }
            )
            review.message_post(
                body=self.env._(
                    "Approval by %(chair)s recorded from paper: %(note)s",
                    chair=review.chair_id.name,
                    note=note,
                )
            )
            review._qms_after_approval()
        return True

    def action_print(self):
        return self.env.ref("sales_qms.action_report_management_review").report_action(
            self
        )

    def action_view_decisions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_management_review_action_action"
        )
        action["domain"] = [("review_id", "=", self.id)]
        action["context"] = {"default_review_id": self.id}
        return action

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
        return {
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
        """Process performance: contract review per department."""
        Indicator = self.env["qms.indicator"].sudo()
        by_department = {}
        for code, key in (
            ("review_lead_time", "lead_time"),
            ("review_rejection_rate", "rejection_rate"),
        ):
            indicator = Indicator.search([("code", "=", code)], limit=1)
            if not indicator:
                continue
            for row in indicator.compute_breakdown(
                period.company_id, period.date_from, period.date_to
            ):
                entry = by_department.setdefault(
                    row["department_id"],
                    {
                        "department_id": row["department_id"],
                        "department": row["department"],
                        "decisions": row["count"],
                    },
                )
                entry[key] = row["value"]
        return list(by_department.values())

    def _qms_input_nonconformities(self, period):
        """Nonconformities: lots declared non-conforming in the period."""
        rows = self._qms_fetch(
            SQL(
                """
                SELECT DISTINCT ON (lg.lot_id) lg.lot_id, lg.date, lg.reason,
                       lot.name AS lot, lot.product_id, lot.qms_status AS status
                  FROM qms_lot_status_log lg
                  JOIN stock_lot lot ON lot.id = lg.lot_id
                 WHERE lg.company_id = %(company)s
                   AND lg.new_status = 'nonconforming'
                   AND lg.date >= %(start)s AND lg.date < %(end)s
                 ORDER BY lg.lot_id, lg.date
                """,
                company=period.company_id,
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
                SELECT
                  (SELECT count(*) FROM stock_picking p
                    WHERE %(deliveries)s) AS deliveries,
                  (SELECT count(*) FROM stock_picking p
                     JOIN qms_delivery_inspection i ON i.picking_id = p.id
                    WHERE %(deliveries)s) AS inspected,
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

    @api.constrains("chair_id", "participant_ids", "company_id")
    def _check_people_company(self):
        for review in self:
            people = review.chair_id | review.participant_ids
            outsiders = people.filtered(
                lambda u, review=review: review.company_id not in u.company_ids
            )
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "%(users)s do not work in %(company)s.",
                        users=", ".join(outsiders.mapped("name")),
                        company=review.company_id.name,
                    )
                )
