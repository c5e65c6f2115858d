from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

PLAN_STATES = [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved")]
SERVICE_GROUP = "sales_qms.group_qms_customer_service"
MANAGER_GROUP = "sales_qms.group_qms_manager"
CHATTER_FIELDS = {
    "message_main_attachment_id",
    "activity_ids",
    "message_follower_ids",
    "message_ids",
}


class QmsServicePlan(models.Model):
    """The annual after-sales service plan (年度售后服务计划) of a company:
    prepared by customer service, approved by a QMS manager other than its
    author; its lines become service requests in their month."""

    _name = "qms.service.plan"
    _description = "Annual Service Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.audit.mixin"]
    _order = "year desc, id desc"
    _check_company_auto = True
    _qms_system_fields = (
        "state",
        "submitted_by_id",
        "submitted_on",
        "approved_by_id",
        "approved_on",
    )

    name = fields.Char(required=True, tracking=True)
    year = fields.Integer(
        required=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
    )
    state = fields.Selection(
        PLAN_STATES, default="draft", required=True, index=True, tracking=True
    )
    line_ids = fields.One2many("qms.service.plan.line", "plan_id", string="Lines")
    note = fields.Text(string="Objectives and Resources")
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    submitted_on = fields.Datetime(readonly=True, copy=False)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_on = fields.Datetime(readonly=True, copy=False)
    request_count = fields.Integer(compute="_compute_request_count")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    def _compute_request_count(self):
        counts = dict(
            self.env["qms.service.request"]._read_group(
                [("plan_line_id.plan_id", "in", self.ids)],
                ["plan_line_id"],
                ["__count"],
            )
        )
        for plan in self:
            plan.request_count = sum(
                count for line, count in counts.items() if line.plan_id == plan
            )

    # ------------------------------------------------------------ CRUD
    def write(self, vals):
        self._qms_check_input(vals)
        if not self._qms_is_system_write() and set(vals) - CHATTER_FIELDS:
            self._ensure_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_audit_record(self):
        # a draft is work in progress; a submitted or approved plan is a record
        return super(
            QmsServicePlan, self.filtered(lambda p: p.state != "draft")
        )._unlink_except_audit_record()

    def _ensure_draft(self):
        decided = self.filtered(lambda p: p.state != "draft")
        if decided:
            raise UserError(
                self.env._(
                    "%(plan)s is %(state)s: set it back to draft to change it.",
                    plan=decided[0].display_name,
                    state=dict(PLAN_STATES)[decided[0].state],
                )
            )

    # ------------------------------------------------------------ workflow
    def action_submit(self):
        if not (self.env.su or self.env.user.has_group(SERVICE_GROUP)):
            raise AccessError(
                self.env._(
                    "Customer service submits the annual service plan (group Sales "
                    "QMS / Customer Service)."
                )
            )
        self.check_access("write")
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._("%(plan)s is already submitted.", plan=plan.name)
                )
            if not plan.line_ids:
                raise UserError(
                    self.env._(
                        "%(plan)s has no lines: plan the services first.",
                        plan=plan.name,
                    )
                )
        self._qms_system_write(
            {
                "state": "submitted",
                "submitted_by_id": self.env.uid,
                "submitted_on": fields.Datetime.now(),
            }
        )
        return True

    def action_approve(self):
        """A QMS manager other than the author approves the plan."""
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(
                self.env._(
                    "Only a QMS manager approves the annual service plan (group "
                    "Sales QMS / Manager)."
                )
            )
        self.check_access("write")
        for plan in self:
            if plan.state != "submitted":
                raise UserError(
                    self.env._(
                        "%(plan)s is %(state)s: only a submitted plan is approved.",
                        plan=plan.name,
                        state=dict(PLAN_STATES)[plan.state],
                    )
                )
            authors = plan.submitted_by_id | plan.create_uid
            if self.env.user in authors and not self.env.su:
                raise UserError(
                    self.env._(
                        "%(user)s prepared or submitted %(plan)s: a QMS manager "
                        "other than its author approves it.",
                        user=self.env.user.name,
                        plan=plan.name,
                    )
                )
            other = self.search(
                [
                    ("id", "!=", plan.id),
                    ("company_id", "=", plan.company_id.id),
                    ("year", "=", plan.year),
                    ("state", "=", "approved"),
                ],
                limit=1,
            )
            if other:
                raise UserError(
                    self.env._(
                        "%(other)s is already the approved plan of %(year)s.",
                        other=other.name,
                        year=plan.year,
                    )
                )
        self._qms_system_write(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "approved_on": fields.Datetime.now(),
            }
        )
        for plan in self:
            plan.message_post(
                body=self.env._("Approved by %(user)s.", user=self.env.user.name)
            )
        # the lines whose month has come become requests now
        self.line_ids._generate_requests()
        return True

    def action_draft(self):
        """Back to draft: the author withdraws it, or a QMS manager sends it
        back; an approved plan stays approved."""
        self.check_access("write")
        for plan in self:
            if plan.state != "submitted":
                raise UserError(
                    self.env._(
                        "Only a submitted plan goes back to draft: %(plan)s is "
                        "%(state)s.",
                        plan=plan.name,
                        state=dict(PLAN_STATES)[plan.state],
                    )
                )
            if not (
                self.env.su
                or self.env.user == plan.submitted_by_id
                or self.env.user.has_group(MANAGER_GROUP)
            ):
                raise AccessError(
                    self.env._(
                        "Only its author or a QMS manager sends %(plan)s back to "
                        "draft.",
                        plan=plan.name,
                    )
                )
        self._qms_system_write(
            {"state": "draft", "submitted_by_id": False, "submitted_on": False}
        )
        return True

    def action_view_requests(self):
        self._qms_check_readable()
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_service_request_action"
        )
        action["domain"] = [("plan_line_id.plan_id", "=", self.id)]
        action["context"] = {}
        return action

    @api.model
    def _cron_generate_requests(self):
        """Daily: the lines of approved plans whose month has come."""
        lines = self.env["qms.service.plan.line"].search(
            [
                ("plan_id.state", "=", "approved"),
                ("request_id", "=", False),
                ("date_planned", "<=", fields.Date.context_today(self)),
            ]
        )
        return lines._generate_requests()
