from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

SERVICE_GROUP = "sales_qms.group_qms_customer_service"
MANAGER_GROUP = "sales_qms.group_qms_manager"
TECHNICIAN_GROUP = "sales_qms.group_qms_service_technician"
SCORE_FIELDS = ("score_quality", "score_attitude", "score_skill")
# figures read from the service data, never typed in
FIGURE_FIELDS = (
    "requests_done",
    "on_time_rate",
    "response_hours",
    "resolution_hours",
    "first_time_fix_rate",
    "rating_avg",
    "claims_caused",
    "work_hours",
)
CHATTER_FIELDS = {
    "message_main_attachment_id",
    "activity_ids",
    "message_follower_ids",
    "message_ids",
}


class QmsServiceEvaluation(models.Model):
    """A technician's monthly evaluation (服务人员考评): the figures of their
    service data for the period, the manager's scores, approved by a QMS
    manager; approved evaluations are audit records."""

    _name = "qms.service.evaluation"
    _description = "Technician Evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.audit.mixin"]
    _order = "date_from desc, user_id"
    _check_company_auto = True
    _qms_system_fields = (
        *FIGURE_FIELDS,
        "state",
        "computed_on",
        "approved_by_id",
        "approved_on",
    )

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users", string="Technician", required=True, index=True, tracking=True
    )
    date_from = fields.Date(required=True, index=True)
    date_to = fields.Date(required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved")],
        default="draft",
        required=True,
        index=True,
        tracking=True,
    )
    # from the service data
    requests_done = fields.Integer(readonly=True)
    on_time_rate = fields.Float(
        string="On Time (%)", readonly=True, digits=(5, 1), aggregator="avg"
    )
    response_hours = fields.Float(
        string="Mean Response (hours)", readonly=True, digits=(16, 1), aggregator="avg"
    )
    resolution_hours = fields.Float(
        string="Mean Resolution (hours)",
        readonly=True,
        digits=(16, 1),
        aggregator="avg",
    )
    first_time_fix_rate = fields.Float(
        string="First-time Fix (%)", readonly=True, digits=(5, 1), aggregator="avg"
    )
    rating_avg = fields.Float(
        string="Mean Customer Rating", readonly=True, digits=(3, 2), aggregator="avg"
    )
    claims_caused = fields.Integer(readonly=True)
    work_hours = fields.Float(string="Hours Worked", readonly=True, digits=(16, 1))
    computed_on = fields.Datetime(string="Figures Of", readonly=True)
    # the manager's assessment
    score_quality = fields.Integer(string="Work Quality", help="1 (poor) to 5.")
    score_attitude = fields.Integer(string="Service Attitude", help="1 (poor) to 5.")
    score_skill = fields.Integer(string="Technical Skill", help="1 (poor) to 5.")
    manager_comment = fields.Text(string="Assessment")
    performance_score = fields.Float(
        compute="_compute_scores", store=True, digits=(5, 1), aggregator="avg"
    )
    manager_score = fields.Float(
        compute="_compute_scores", store=True, digits=(5, 1), aggregator="avg"
    )
    total_score = fields.Float(
        compute="_compute_scores", store=True, digits=(5, 1), aggregator="avg"
    )
    grade = fields.Selection(
        [("a", "A (90+)"), ("b", "B (75+)"), ("c", "C (60+)"), ("d", "D")],
        compute="_compute_scores",
        store=True,
    )
    approved_by_id = fields.Many2one("res.users", readonly=True)
    approved_on = fields.Datetime(readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "period_uniq",
            "unique(user_id, date_from, date_to, company_id)",
            "A technician has one evaluation per period.",
        )
    ]

    # ------------------------------------------------------------ computes
    @api.depends("user_id", "date_from", "date_to")
    def _compute_name(self):
        for evaluation in self:
            evaluation.name = (
                f"{evaluation.user_id.name or ''} "
                f"{evaluation.date_from or ''} – {evaluation.date_to or ''}"
            )

    @api.depends(*FIGURE_FIELDS, *SCORE_FIELDS)
    def _compute_scores(self):
        """Performance: the mean of on-time %, first-time fix % and rating (as
        %), less 10 points per claim caused; manager: the mean score as %;
        total: the mean of both."""
        for evaluation in self:
            if evaluation.requests_done:
                parts = [evaluation.on_time_rate, evaluation.first_time_fix_rate]
                if evaluation.rating_avg:
                    parts.append(evaluation.rating_avg * 20.0)
                performance = sum(parts) / len(parts) - 10.0 * evaluation.claims_caused
            else:
                performance = 0.0
            scores = [evaluation[f] for f in SCORE_FIELDS if evaluation[f]]
            manager = sum(scores) / len(scores) * 20.0 if scores else 0.0
            total = (max(performance, 0.0) + manager) / 2.0
            evaluation.performance_score = max(performance, 0.0)
            evaluation.manager_score = manager
            evaluation.total_score = total
            evaluation.grade = (
                "a"
                if total >= 90
                else "b"
                if total >= 75
                else "c"
                if total >= 60
                else "d"
            )

    # ------------------------------------------------------------ constraints
    @api.constrains(*SCORE_FIELDS)
    def _check_scores(self):
        for evaluation in self:
            for fname in SCORE_FIELDS:
                if not 0 <= evaluation[fname] <= 5:
                    raise ValidationError(
                        self.env._(
                            "%(score)s is between 1 and 5.",
                            score=evaluation._fields[fname].get_description(self.env)[
                                "string"
                            ],
                        )
                    )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for evaluation in self:
            if evaluation.date_to < evaluation.date_from:
                raise ValidationError(
                    self.env._("The evaluation period ends before it starts.")
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        evaluations = super().create(vals_list)
        evaluations._refresh_figures()
        return evaluations

    def write(self, vals):
        self._qms_check_input(vals)
        if not self._qms_is_system_write() and set(vals) - CHATTER_FIELDS:
            approved = self.filtered(lambda e: e.state == "approved")
            if approved:
                raise UserError(
                    self.env._(
                        "The evaluation %(evaluation)s is approved: it is kept as it "
                        "is.",
                        evaluation=approved[0].name,
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------ actions
    def _check_service_manager(self):
        if not (self.env.su or self.env.user.has_group(SERVICE_GROUP)):
            raise AccessError(
                self.env._(
                    "Customer service and QMS managers evaluate technicians (group "
                    "Sales QMS / Customer Service)."
                )
            )

    def action_refresh(self):
        """Read the figures of the period again (drafts only)."""
        self._check_service_manager()
        self.check_access("write")
        approved = self.filtered(lambda e: e.state == "approved")
        if approved:
            raise UserError(
                self.env._(
                    "The evaluation %(evaluation)s is approved: its figures are kept.",
                    evaluation=approved[0].name,
                )
            )
        self._refresh_figures()
        return True

    def action_approve(self):
        """A QMS manager approves; nobody approves their own evaluation."""
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(
                self.env._(
                    "Only a QMS manager approves a technician evaluation (group Sales "
                    "QMS / Manager)."
                )
            )
        self.check_access("write")
        for evaluation in self:
            if evaluation.state != "draft":
                raise UserError(
                    self.env._(
                        "The evaluation %(evaluation)s is already approved.",
                        evaluation=evaluation.name,
                    )
                )
            if evaluation.user_id == self.env.user and not self.env.su:
                raise UserError(
                    self.env._(
                        "%(user)s cannot approve their own evaluation.",
                        user=self.env.user.name,
                    )
                )
            missing = [
                evaluation._fields[f].get_description(self.env)["string"]
                for f in SCORE_FIELDS
                if not evaluation[f]
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "The evaluation %(evaluation)s cannot be approved without the "
                        "manager's scores: %(missing)s.",
                        evaluation=evaluation.name,
                        missing=", ".join(missing),
                    )
                )
        self._qms_system_write(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "approved_on": fields.Datetime.now(),
            }
        )
        return True

    # ------------------------------------------------------------ figures
    def _refresh_figures(self):
        for (company, date_from, date_to), evaluations in self.grouped(
            lambda e: (e.company_id, e.date_from, e.date_to)
        ).items():
            stats = self._statistics(
                company, date_from, date_to, evaluations.user_id.ids
            )
            now = fields.Datetime.now()
            for evaluation in evaluations:
                figures = stats.get(evaluation.user_id.id) or self._empty_figures()
                evaluation._qms_system_write({**figures, "computed_on": now})

    @api.model
    def _empty_figures(self):
        return dict.fromkeys(FIGURE_FIELDS, 0)

    @api.model
    def _statistics(self, company, date_from, date_to, user_ids=None):
        """{technician id: figures} of the requests done in the period, in two
        queries whatever the number of technicians and requests."""
        self.env["qms.service.request"].flush_model()
        self.env["qms.service.type"].flush_model(["is_fix"])
        self.env["qms.claim"].flush_model(
            ["caused_by_request_id", "date", "company_id"]
        )
        start = fields.Datetime.to_datetime(date_from)
        end = fields.Datetime.to_datetime(date_to + timedelta(days=1))
        only = (
            SQL("AND r.technician_id = ANY(%s)", list(user_ids)) if user_ids else SQL()
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT r.technician_id,
                       count(*),
                       count(*) FILTER (WHERE r.date_done <= r.deadline),
                       avg(r.response_hours) FILTER (WHERE r.date_start IS NOT NULL),
                       avg(r.resolution_hours),
                       count(*) FILTER (WHERE t.is_fix),
                       count(*) FILTER (WHERE t.is_fix AND NOT EXISTS (
                           SELECT 1 FROM qms_service_request x
                            WHERE x.repeat_of_id = r.id)),
                       avg(NULLIF(r.customer_rating, 0)),
                       sum(r.work_hours)
                  FROM qms_service_request r
                  JOIN qms_service_type t ON t.id = r.service_type_id
                 WHERE r.company_id = %(company)s
                   AND r.state IN ('done', 'closed')
                   AND r.date_done >= %(start)s
                   AND r.date_done < %(end)s
                   AND r.technician_id IS NOT NULL
                   %(only)s
                 GROUP BY r.technician_id
                """,
                company=company.id,
                start=start,
                end=end,
                only=only,
            )
        )
        stats = {}
        for (
            user_id,
            done,
            on_time,
            response,
            resolution,
            fixes,
            first,
            rating,
            hours,
        ) in self.env.cr.fetchall():
            stats[user_id] = {
                "requests_done": done,
                "on_time_rate": 100.0 * on_time / done if done else 0.0,
                "response_hours": float(response or 0.0),
                "resolution_hours": float(resolution or 0.0),
                "first_time_fix_rate": 100.0 * first / fixes if fixes else 100.0,
                "rating_avg": float(rating or 0.0),
                "claims_caused": 0,
                "work_hours": float(hours or 0.0),
            }
        only_claims = (
            SQL("AND r.technician_id = ANY(%s)", list(user_ids)) if user_ids else SQL()
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT r.technician_id, count(*)
                  FROM qms_claim c
                  JOIN qms_service_request r ON r.id = c.caused_by_request_id
                 WHERE c.company_id = %(company)s
                   AND c.date >= %(start)s
                   AND c.date < %(end)s
                   AND r.technician_id IS NOT NULL
                   %(only)s
                 GROUP BY r.technician_id
                """,
                company=company.id,
                start=start,
                end=end,
                only=only_claims,
            )
        )
        for user_id, count in self.env.cr.fetchall():
            stats.setdefault(user_id, self._empty_figures())["claims_caused"] = count
        return stats

    @api.model
    def _generate(self, date_from, date_to, company):
        """One evaluation per technician of the company for the period: drafts
        are refreshed, approved ones kept, missing ones created."""
        self._check_service_manager()
        if not isinstance(company, models.BaseModel):
            company = self.env["res.company"].browse(int(company))
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        group = self.env.ref(TECHNICIAN_GROUP)
        technicians = group.sudo().users.filtered(
            lambda u: company in u.company_ids and u.active
        )
        stats = self._statistics(company, date_from, date_to)
        users = technicians | self.env["res.users"].browse(list(stats))
        existing = self.search(
            [
                ("company_id", "=", company.id),
                ("date_from", "=", date_from),
                ("date_to", "=", date_to),
                ("user_id", "in", users.ids),
            ]
        )
        existing.filtered(lambda e: e.state == "draft")._refresh_figures()
        missing = users - existing.user_id
        created = self.create(
            [
                {
                    "user_id": user.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "company_id": company.id,
                }
                for user in missing
            ]
        )
        return existing | created
