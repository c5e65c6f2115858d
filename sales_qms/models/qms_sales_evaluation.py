from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .qms_sales_planning_mixin import QMS_MANAGER, SALES_MANAGER
from .res_company import EVALUATION_WEIGHTS

# taken from the data by action_compute_figures(), frozen at approval
FIGURES = (
    "target_count",
    "target_achievement",
    "ordered_amount",
    "margin_amount",
    "visit_count",
    "satisfaction_score",
    "claim_count",
    "rejected_review_count",
    "delivery_count",
    "on_time_count",
    "on_time_rate",
    "score_results",
    "score_satisfaction",
    "score_quality",
    "score_delivery",
    "total_score",
    "computed_on",
)
WEIGHT_FIELDS = tuple(f"weight_{name}" for name in EVALUATION_WEIGHTS)
MAIL_FIELDS = {
    "message_main_attachment_id",
    "activity_ids",
    "message_follower_ids",
    "message_ids",
    "activity_user_id",
    "activity_date_deadline",
    "activity_summary",
}


class QmsSalesEvaluation(models.Model):
    """A salesperson's evaluation for a period (销售业绩考核): the figures the
    data shows (targets, orders, satisfaction, claims, rejected reviews,
    on-time deliveries), the manager's scores for what it cannot show
    (teamwork, training) and a weighted total; approved by the salesperson's
    manager or a QMS manager, acknowledged by the salesperson. Approved
    evaluations are audit records: never deleted, figures frozen."""

    _name = "qms.sales.evaluation"
    _description = "Salesperson Evaluation"
    _inherit = [
        "qms.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "qms.audit.mixin",
        "qms.sales.planning.mixin",
    ]
    _qms_sequence_code = "qms.sales.evaluation"
    _order = "date_from desc, user_id, id desc"
    _check_company_auto = True
    _qms_system_fields = (
        FIGURES
        + WEIGHT_FIELDS
        + (
            "state",
            "submitted_by",
            "submitted_on",
            "approved_by",
            "approved_on",
            "acknowledged_on",
            "salesperson_comment",
        )
    )

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda s: s.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
    )
    manager_id = fields.Many2one(
        "res.users",
        compute="_compute_manager_id",
        store=True,
        index=True,
        help="Leader of the salesperson's sales team: approves the evaluation "
        "(or a QMS manager does).",
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)

    # figures from the data
    target_count = fields.Integer(string="Targets", readonly=True)
    target_achievement = fields.Float(
        string="Target Achievement (%)", readonly=True, digits=(16, 1)
    )
    ordered_amount = fields.Monetary(readonly=True)
    margin_amount = fields.Monetary(string="Margin", readonly=True)
    visit_count = fields.Integer(string="Follow-up Visits", readonly=True)
    satisfaction_score = fields.Float(
        string="Customer Satisfaction (1-5)", readonly=True, digits=(16, 2)
    )
    claim_count = fields.Integer(string="Claims", readonly=True)
    rejected_review_count = fields.Integer(
        string="Contract Reviews Rejected", readonly=True
    )
    delivery_count = fields.Integer(string="Deliveries", readonly=True)
    on_time_count = fields.Integer(string="On-time Deliveries", readonly=True)
    on_time_rate = fields.Float(
        string="On-time Delivery (%)", readonly=True, digits=(16, 1)
    )
    computed_on = fields.Datetime(string="Figures Taken On", readonly=True, copy=False)

    # scores (0-100): from the figures, and the manager's
    score_results = fields.Float(string="Score: Results", readonly=True, digits=(16, 1))
    score_satisfaction = fields.Float(
        string="Score: Satisfaction", readonly=True, digits=(16, 1)
    )
    score_quality = fields.Float(string="Score: Quality", readonly=True, digits=(16, 1))
    score_delivery = fields.Float(
        string="Score: Delivery", readonly=True, digits=(16, 1)
    )
    score_teamwork = fields.Integer(
        string="Score: Teamwork", help="The manager's score, 0 to 100."
    )
    score_training = fields.Integer(
        string="Score: Training", help="The manager's score, 0 to 100."
    )
    manager_comment = fields.Text(string="Manager's Comments")
    salesperson_comment = fields.Text(string="Salesperson's Comments", readonly=True)
    total_score = fields.Float(readonly=True, digits=(16, 1))
    weight_results = fields.Integer(readonly=True)
    weight_satisfaction = fields.Integer(readonly=True)
    weight_quality = fields.Integer(readonly=True)
    weight_delivery = fields.Integer(readonly=True)
    weight_teamwork = fields.Integer(readonly=True)
    weight_training = fields.Integer(readonly=True)

    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved")],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        readonly=True,  # the system sets it: the form does not send it
    )
    submitted_by = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_on = fields.Datetime(readonly=True, copy=False)
    approved_by = fields.Many2one("res.users", readonly=True, copy=False)
    approved_on = fields.Datetime(readonly=True, copy=False)
    acknowledged_on = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        (
            "user_period_uniq",
            "unique(company_id, user_id, date_from, date_to)",
            "A salesperson has one evaluation per period.",
        ),
        (
            "manager_scores_range",
            "CHECK(COALESCE(score_teamwork, 0) BETWEEN 0 AND 100 "
            "AND COALESCE(score_training, 0) BETWEEN 0 AND 100)",
            "The manager's scores go from 0 to 100.",
        ),
    ]

    # ------------------------------------------------------------ computes
    @api.depends("user_id")
    def _compute_manager_id(self):
        for evaluation in self:
            team = evaluation.user_id.sale_team_id
            evaluation.manager_id = (
                team.user_id if team.user_id != evaluation.user_id else False
            )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for evaluation in self:
            if evaluation.date_to < evaluation.date_from:
                raise ValidationError(
                    self.env._(
                        "Evaluation %(name)s ends before it starts.",
                        name=evaluation.name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._qms_check_input(vals)
        self._check_evaluator_right()
        if not (self.env.su or self._qms_is_system_write()):
            for vals in vals_list:
                if vals.get("user_id") == self.env.uid:
                    raise AccessError(
                        self.env._("Nobody evaluates themselves: another manager does.")
                    )
        return super().create(vals_list)

    def _qms_sequence_fallback(self):
        return self.env._("New")

    def write(self, vals):
        self._qms_check_input(vals)
        if not self._qms_is_system_write() and set(vals) - MAIL_FIELDS:
            self._check_evaluator_right()
            self._check_not_evaluated()
            not_draft = self.filtered(lambda e: e.state != "draft")
            if not_draft:
                raise UserError(
                    self.env._(
                        "%(names)s: only a draft evaluation is changed (approved "
                        "ones are frozen; a submitted one is sent back to draft "
                        "first).",
                        names=", ".join(not_draft[:5].mapped("name")),
                    )
                )
        result = super().write(vals)
        if {"score_teamwork", "score_training"} & set(vals):
            for evaluation in self.filtered("computed_on"):
                evaluation._qms_system_write(
                    evaluation._qms_scores({name: evaluation[name] for name in FIGURES})
                )
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_audit_record(self):
        return super(
            QmsSalesEvaluation, self.filtered(lambda e: e.state != "draft")
        )._unlink_except_audit_record()

    # ------------------------------------------------------------ rights
    def _check_evaluator_right(self):
        self._qms_check_sales_manager(
            lambda user: self.env._(
                "Only a sales manager or a QMS manager evaluates salespeople "
                "(you are %(user)s).",
                user=user.name,
            )
        )

    def _check_not_evaluated(self):
        mine = self.filtered(lambda e: e.user_id == self.env.user)
        if mine and not self.env.su:
            raise AccessError(
                self.env._(
                    "%(names)s: this evaluation is yours; another manager fills "
                    "it in and approves it.",
                    names=", ".join(mine[:5].mapped("name")),
                )
            )

    # ------------------------------------------------------------ actions
    def action_compute_figures(self):
        self._check_evaluator_right()
        self._check_not_evaluated()
        not_draft = self.filtered(lambda e: e.state != "draft")
        if not_draft:
            raise UserError(
                self.env._(
                    "%(names)s: figures are taken in draft only (then frozen).",
                    names=", ".join(not_draft[:5].mapped("name")),
                )
            )
        for evaluation in self:
            evaluation._qms_system_write(evaluation._qms_figures())
        return True

    def action_submit(self):
        self._check_evaluator_right()
        self._check_not_evaluated()
        for evaluation in self:
            if evaluation.state != "draft":
                raise UserError(
                    self.env._("%(name)s is not a draft.", name=evaluation.name)
                )
            missing = []
            if not evaluation.computed_on:
                missing.append(self.env._("figures (Compute Figures)"))
            if not evaluation.manager_comment:
                missing.append(self.env._("the manager's comments"))
            if missing:
                raise UserError(
                    self.env._(
                        "%(name)s cannot be submitted. Still missing: %(missing)s.",
                        name=evaluation.name,
                        missing=", ".join(missing),
                    )
                )
        self._qms_system_write(
            {
                "state": "submitted",
                "submitted_by": self.env.uid,
                "submitted_on": fields.Datetime.now(),
            }
        )
        return True

    def _check_approver(self):
        user = self.env.user
        for evaluation in self:
            if evaluation.user_id == user:
                raise AccessError(
                    self.env._(
                        "%(name)s evaluates you: you cannot approve it.",
                        name=evaluation.name,
                    )
                )
            if not (
                self.env.su
                or user.has_group(QMS_MANAGER)
                or (evaluation.manager_id == user and user.has_group(SALES_MANAGER))
            ):
                raise AccessError(
                    self.env._(
                        "%(name)s is approved by %(manager)s (the salesperson's "
                        "manager) or a QMS manager.",
                        name=evaluation.name,
                        manager=evaluation.manager_id.name
                        or self.env._("the team leader"),
                    )
                )

    def action_approve(self):
        """Approve: the figures are taken once more and frozen."""
        self._check_approver()
        for evaluation in self:
            if evaluation.state != "submitted":
                raise UserError(
                    self.env._(
                        "%(name)s must be submitted before it is approved.",
                        name=evaluation.name,
                    )
                )
            evaluation._qms_system_write(
                {
                    **evaluation._qms_figures(),
                    "state": "approved",
                    "approved_by": self.env.uid,
                    "approved_on": fields.Datetime.now(),
                }
            )
        return True

    def action_reset_to_draft(self):
        """Send a submitted evaluation back to its author."""
        self._check_approver()
        if self.filtered(lambda e: e.state != "submitted"):
            raise UserError(
                self.env._("Only a submitted evaluation goes back to draft.")
            )
        self._qms_system_write({"state": "draft"})
        return True

    def action_acknowledge(self, comment=None):
        """The salesperson acknowledges their approved evaluation."""
        for evaluation in self:
            if evaluation.user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "%(name)s is acknowledged by %(user)s, the person evaluated.",
                        name=evaluation.name,
                        user=evaluation.user_id.name,
                    )
                )
            if evaluation.state != "approved" or evaluation.acknowledged_on:
                raise UserError(
                    self.env._(
                        "%(name)s: only an approved evaluation is acknowledged, once.",
                        name=evaluation.name,
                    )
                )
        if comment is not None and not isinstance(comment, str):
            raise ValidationError(self.env._("The comment must be a text."))
        vals = {"acknowledged_on": fields.Datetime.now()}
        if comment:
            vals["salesperson_comment"] = comment[:2000]
        self._qms_system_write(vals)
        return True

    # ------------------------------------------------------------ figures
    def _qms_period_bounds(self):
        start = datetime.combine(self.date_from, time.min)
        end = datetime.combine(self.date_to + relativedelta(days=1), time.min)
        return start, end

    def _qms_figures(self):
        """The figures, scores and total of this evaluation from the data: a
        handful of queries, whatever the number of orders."""
        self.ensure_one()
        Target = self.env["qms.sales.target"].sudo()
        targets = Target.search(
            [
                ("company_id", "=", self.company_id.id),
                ("user_id", "=", self.user_id.id),
                ("state", "in", ("approved", "closed")),
                ("date_from", ">=", self.date_from),
                ("date_to", "<=", self.date_to),
            ]
        )
        achievements = targets.mapped("achievement")
        amounts = Target._qms_measure_values(
            [
                {
                    "key": key,
                    "measure": measure,
                    "company_id": self.company_id.id,
                    "user_id": self.user_id.id,
                    "team_id": None,
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "product_id": None,
                    "categ_id": None,
                }
                for key, measure in ((1, "ordered"), (2, "margin"))
            ]
        )
        quality = self._qms_quality_figures()
        figures = {
            "target_count": len(targets),
            "target_achievement": (
                sum(achievements) / len(achievements) if achievements else 0.0
            ),
            "ordered_amount": amounts.get(1, 0.0),
            "margin_amount": amounts.get(2, 0.0),
            **quality,
            "on_time_rate": (
                100.0 * quality["on_time_count"] / quality["delivery_count"]
                if quality["delivery_count"]
                else 0.0
            ),
            "computed_on": fields.Datetime.now(),
        }
        figures.update(self._qms_scores(figures))
        return figures

    def _qms_quality_figures(self):
        """Visits, claims, rejected reviews and deliveries of the salesperson's
        orders in the period: one query."""
        for model in (
            "qms.followup.visit",
            "qms.claim",
            "qms.contract.review.line",
            "stock.picking",
            "sale.order",
        ):
            self.env[model].flush_model()
        start, end = self._qms_period_bounds()
        self.env.cr.execute(
            SQL(
                """
                SELECT
                  (SELECT COUNT(*) FROM qms_followup_visit v
                     LEFT JOIN sale_order o ON o.id = v.sale_order_id
                    WHERE v.state = 'done' AND v.company_id = %(company)s
                      AND v.date_done BETWEEN %(date_from)s AND %(date_to)s
                      AND COALESCE(o.user_id, v.user_id) = %(user)s),
                  (SELECT AVG(v.score_average) FROM qms_followup_visit v
                     LEFT JOIN sale_order o ON o.id = v.sale_order_id
                    WHERE v.state = 'done' AND v.company_id = %(company)s
                      AND v.date_done BETWEEN %(date_from)s AND %(date_to)s
                      AND COALESCE(o.user_id, v.user_id) = %(user)s),
                  (SELECT COUNT(*) FROM qms_claim c
                     JOIN sale_order o ON o.id = c.sale_order_id
                    WHERE o.user_id = %(user)s AND c.company_id = %(company)s
                      AND c.date >= %(start)s AND c.date < %(end)s),
                  (SELECT COUNT(*) FROM qms_contract_review_line r
                     JOIN sale_order o ON o.id = r.order_id
                    WHERE o.user_id = %(user)s AND o.company_id = %(company)s
                      AND r.state = 'rejected'
                      AND r.decided_on >= %(start)s AND r.decided_on < %(end)s),
                  (SELECT COUNT(*) FROM stock_picking p
                     JOIN sale_order o ON o.id = p.sale_id
                     JOIN stock_picking_type pt ON pt.id = p.picking_type_id
                    WHERE o.user_id = %(user)s AND p.company_id = %(company)s
                      AND p.state = 'done' AND pt.code = 'outgoing'
                      AND p.date_done >= %(start)s AND p.date_done < %(end)s),
                  (SELECT COUNT(*) FROM stock_picking p
                     JOIN sale_order o ON o.id = p.sale_id
                     JOIN stock_picking_type pt ON pt.id = p.picking_type_id
                    WHERE o.user_id = %(user)s AND p.company_id = %(company)s
                      AND p.state = 'done' AND pt.code = 'outgoing'
                      AND p.date_done >= %(start)s AND p.date_done < %(end)s
                      AND p.date_done::date
                          <= COALESCE(o.commitment_date, p.scheduled_date)::date)
                """,
                user=self.user_id.id,
                company=self.company_id.id,
                date_from=self.date_from,
                date_to=self.date_to,
                start=start,
                end=end,
            )
        )
        visits, satisfaction, claims, rejected, deliveries, on_time = (
            self.env.cr.fetchone()
        )
        return {
            "visit_count": visits,
            "satisfaction_score": float(satisfaction or 0.0),
            "claim_count": claims,
            "rejected_review_count": rejected,
            "delivery_count": deliveries,
            "on_time_count": on_time,
        }

    def _qms_scores(self, figures):
        """Scores 0-100 and the weighted total. A component the data cannot
        score (no target, no visit, no delivery) is left out of the total
        rather than counted as zero."""
        company = self.company_id
        weights = company._qms_eval_weights()
        penalty = company.qms_eval_penalty
        scores = {
            "results": (
                min(figures["target_achievement"], 100.0)
                if figures["target_count"]
                else None
            ),
            "satisfaction": (
                figures["satisfaction_score"] / 5.0 * 100.0
                if figures["visit_count"]
                else None
            ),
            "quality": max(
                100.0
                - penalty * (figures["claim_count"] + figures["rejected_review_count"]),
                0.0,
            ),
            "delivery": (
                figures["on_time_rate"] if figures["delivery_count"] else None
            ),
            "teamwork": float(self.score_teamwork),
            "training": float(self.score_training),
        }
        counted = {k: v for k, v in scores.items() if v is not None and weights[k]}
        weight_sum = sum(weights[k] for k in counted)
        total = (
            sum(weights[k] * v for k, v in counted.items()) / weight_sum
            if weight_sum
            else 0.0
        )
        return {
            "score_results": scores["results"] or 0.0,
            "score_satisfaction": scores["satisfaction"] or 0.0,
            "score_quality": scores["quality"],
            "score_delivery": scores["delivery"] or 0.0,
            "total_score": total,
            **{f"weight_{name}": weights[name] for name in EVALUATION_WEIGHTS},
        }
