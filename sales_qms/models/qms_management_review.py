from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

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


class QmsManagementReview(models.Model):
    """A management review (管理评审, ISO 9001 9.3): its inputs compiled from
    the records and frozen with it, the decisions taken with an owner and a
    due date, approved by the chair (the general manager)."""

    _name = "qms.management.review"
    _description = "Management Review"
    _inherit = [
        "qms.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "qms.audit.mixin",
    ]
    _qms_sequence_code = "qms.management.review"
    _qms_sequence_company_field = "company_id"
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

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._qms_check_input(vals)
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
        self._qms_check_readable()
        return self.env.ref("sales_qms.action_report_management_review").report_action(
            self
        )

    def action_view_decisions(self):
        self._qms_check_readable()
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_management_review_action_action"
        )
        action["domain"] = [("review_id", "=", self.id)]
        action["context"] = {"default_review_id": self.id}
        return action

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
