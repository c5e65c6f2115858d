from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

CHECK_ANSWERS = [
    ("verified", "Verified"),
    ("concern", "Concern"),
    ("not_checked", "Not checked"),
]
# the checklist of the due diligence (客户资信调查): field -> what is checked
CHECK_FIELDS = (
    "check_legal_existence",
    "check_licences",
    "check_ownership",
    "check_sanctions",
    "check_litigation",
    "check_references",
    "check_financial_statements",
)
# what the author fills in; frozen once submitted
CONTENT_FIELDS = (
    "partner_id",
    "company_id",
    *CHECK_FIELDS,
    "checklist_notes",
    "attachment_ids",
    "credit_rating",
    "credit_limit",
    "risk_notes",
    "valid_until",
)


class QmsDueDiligence(models.Model):
    """Customer due diligence and credit evaluation (客户尽职调查 / 资信调查):
    done by the salesperson before business with a new customer, approved by a
    finance reviewer or a QMS manager other than its author, valid for a time."""

    _name = "qms.due.diligence"
    _description = "Customer Due Diligence"
    _inherit = [
        "qms.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "qms.audit.mixin",
    ]
    _qms_sequence_code = "qms.due.diligence"
    _qms_system_fields = (
        "state",
        "user_id",
        "submitted_by",
        "submitted_on",
        "decided_by",
        "decided_on",
    )
    _order = "id desc"

    # ------------------------------------------------------------ fields
    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="The commercial entity evaluated (a contact is replaced by its company).",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Author",
        default=lambda self: self.env.user,
        readonly=True,
        index=True,
    )
    check_legal_existence = fields.Selection(
        CHECK_ANSWERS,
        string="Legal Existence",
        default="not_checked",
        required=True,
        help="Business licence, registration number and registered address checked "
        "against the public register.",
    )
    check_licences = fields.Selection(
        CHECK_ANSWERS,
        string="Licences and Permits",
        default="not_checked",
        required=True,
    )
    check_ownership = fields.Selection(
        CHECK_ANSWERS,
        string="Ownership",
        default="not_checked",
        required=True,
        help="Shareholders and ultimate beneficial owners.",
    )
    check_sanctions = fields.Selection(
        CHECK_ANSWERS,
        string="Sanctions and Blacklists",
        default="not_checked",
        required=True,
    )
    check_litigation = fields.Selection(
        CHECK_ANSWERS,
        string="Litigation and Enforcement",
        default="not_checked",
        required=True,
    )
    check_references = fields.Selection(
        CHECK_ANSWERS,
        string="Trade References",
        default="not_checked",
        required=True,
    )
    check_financial_statements = fields.Selection(
        CHECK_ANSWERS,
        string="Financial Statements",
        default="not_checked",
        required=True,
    )
    checklist_notes = fields.Text(string="Findings")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "qms_due_diligence_attachment_rel",
        "due_diligence_id",
        "attachment_id",
        string="Attachments",
    )
    credit_rating = fields.Selection(
        [
            ("A", "A - Excellent"),
            ("B", "B - Good"),
            ("C", "C - Acceptable with limits"),
            ("D", "D - Poor"),
        ],
        tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    credit_limit = fields.Monetary(
        string="Proposed Credit Limit",
        currency_field="currency_id",
        tracking=True,
        help="Written to the customer's credit limit when the due diligence is "
        "approved (0: none proposed).",
    )
    risk_notes = fields.Text()
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("expired", "Expired"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    valid_until = fields.Date(
        tracking=True,
        help="Set when approved from the company's validity unless proposed here.",
    )
    submitted_by = fields.Many2one("res.users", readonly=True)
    submitted_on = fields.Datetime(readonly=True)
    decided_by = fields.Many2one("res.users", string="Decided by", readonly=True)
    decided_on = fields.Datetime(string="Decided on", readonly=True)
    decision_note = fields.Text(
        help="The reviewer's comment; required to reject.",
    )

    # ------------------------------------------------------------ constraints
    @api.constrains("partner_id")
    def _check_commercial_entity(self):
        for dd in self:
            if dd.partner_id != dd.partner_id.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "A due diligence evaluates a commercial entity: use "
                        "%(company)s, not its contact %(contact)s.",
                        company=dd.partner_id.commercial_partner_id.display_name,
                        contact=dd.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        for vals in vals_list:
            self._qms_check_input(vals)
            if vals.get("partner_id"):
                vals["partner_id"] = Partner.browse(
                    vals["partner_id"]
                ).commercial_partner_id.id
        return super().create(vals_list)

    def write(self, vals):
        self._qms_check_input(vals)
        if not self._qms_is_system_write():
            frozen = self.filtered(lambda d: d.state != "draft")
            if frozen and set(vals) & set(CONTENT_FIELDS):
                raise UserError(
                    self.env._(
                        "%(records)s: a due diligence is changed only as a draft; "
                        "once submitted, it is approved or rejected as it stands.",
                        records=", ".join(frozen.mapped("name")),
                    )
                )
            if "decision_note" in vals and self.filtered(
                lambda d: d.state != "submitted"
            ):
                raise UserError(
                    self.env._(
                        "The decision note is written while the due diligence "
                        "awaits its decision."
                    )
                )
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals = {**vals, "partner_id": partner.commercial_partner_id.id}
        return super().write(vals)

    # ------------------------------------------------------------ rules
    def _qms_missing_for_submit(self):
        self.ensure_one()
        missing = [
            self._fields[f].get_description(self.env)["string"]
            for f in CHECK_FIELDS
            if self[f] == "not_checked"
        ]
        if not self.credit_rating:
            missing.append(
                self._fields["credit_rating"].get_description(self.env)["string"]
            )
        return missing

    def _qms_can_review(self, user):
        """A finance reviewer (the reviewers of the Finance department) or a QMS
        manager, other than the author and the submitter."""
        self.ensure_one()
        if user in (self.user_id | self.submitted_by):
            return False
        if user.has_group("sales_qms.group_qms_manager"):
            return True
        finance = (
            self.env["qms.department"]
            .sudo()
            .search(
                [
                    ("code", "=", "finance"),
                    ("company_id", "in", [False, self.company_id.id]),
                ]
            )
        )
        return user in finance.user_ids

    def _qms_check_reviewer(self):
        for dd in self:
            if dd.state != "submitted":
                raise UserError(
                    self.env._(
                        "%(dd)s is not submitted: only a submitted due diligence is "
                        "approved or rejected.",
                        dd=dd.name,
                    )
                )
            if not dd._qms_can_review(self.env.user):
                raise AccessError(
                    self.env._(
                        "%(dd)s is approved or rejected by a finance reviewer or a QMS "
                        "manager other than its author (%(author)s).",
                        dd=dd.name,
                        author=(dd.submitted_by or dd.user_id).name,
                    )
                )

    # ------------------------------------------------------------ actions
    def action_submit(self):
        for dd in self:
            dd.check_access("write")
            if dd.state != "draft":
                raise UserError(self.env._("%(dd)s is already submitted.", dd=dd.name))
            missing = dd._qms_missing_for_submit()
            if missing:
                raise UserError(
                    self.env._(
                        "%(dd)s cannot be submitted yet. Still missing: %(missing)s.",
                        dd=dd.name,
                        missing=", ".join(missing),
                    )
                )
            dd._qms_system_write(
                {
                    "state": "submitted",
                    "submitted_by": self.env.uid,
                    "submitted_on": fields.Datetime.now(),
                }
            )
            dd._qms_schedule_review()
        return True

    def _qms_schedule_review(self):
        self.ensure_one()
        finance = (
            self.env["qms.department"]
            .sudo()
            .search(
                [
                    ("code", "=", "finance"),
                    ("company_id", "in", [False, self.company_id.id]),
                ],
                limit=1,
            )
        )
        reviewer = (finance.user_ids - self.user_id - self.submitted_by)[:1]
        if reviewer:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=reviewer.id,
                summary=self.env._(
                    "Review the due diligence of %s", self.partner_id.name
                ),
            )

    def action_approve(self):
        self._qms_check_reviewer()
        today = fields.Date.context_today(self)
        for dd in self:
            valid_until = dd.valid_until or today + relativedelta(
                months=dd.company_id.qms_due_diligence_months or 12
            )
            if valid_until <= today:
                raise UserError(
                    self.env._(
                        "%(dd)s cannot be approved: its validity ends on %(date)s.",
                        dd=dd.name,
                        date=valid_until,
                    )
                )
            older = self.sudo().search(
                [
                    ("partner_id", "=", dd.partner_id.id),
                    ("company_id", "=", dd.company_id.id),
                    ("state", "=", "approved"),
                    ("id", "!=", dd.id),
                ]
            )
            for old in older:
                old._qms_system_write({"state": "expired"})
                old.message_post(body=self.env._("Superseded by %(dd)s.", dd=dd.name))
            dd._qms_system_write(
                {
                    "state": "approved",
                    "valid_until": valid_until,
                    "decided_by": self.env.uid,
                    "decided_on": fields.Datetime.now(),
                }
            )
            dd._qms_apply_credit_limit()
            dd.activity_ids.sudo().action_feedback(feedback=self.env._("Approved"))
        return True

    def action_reject(self):
        self._qms_check_reviewer()
        for dd in self:
            if not (dd.decision_note or "").strip():
                raise UserError(
                    self.env._(
                        "Say why %(dd)s is rejected (Decision Note).", dd=dd.name
                    )
                )
            dd._qms_system_write(
                {
                    "state": "rejected",
                    "decided_by": self.env.uid,
                    "decided_on": fields.Datetime.now(),
                }
            )
            dd.activity_ids.sudo().action_feedback(feedback=self.env._("Rejected"))
            dd.message_post(
                body=self.env._("Rejected: %(note)s", note=dd.decision_note),
                partner_ids=(dd.user_id | dd.submitted_by).partner_id.ids,
            )
        return True

    def _qms_apply_credit_limit(self):
        """The approved credit limit becomes the customer's credit limit in
        this company."""
        self.ensure_one()
        if self.credit_limit <= 0:
            return
        partner = self.partner_id.sudo().with_company(self.company_id)
        partner.write({"credit_limit": self.credit_limit})
        self.message_post(
            body=self.env._(
                "Credit limit of %(partner)s set to %(limit)s.",
                partner=partner.name,
                limit=self.credit_limit,
            )
        )

    def action_new_evaluation(self):
        """Start the re-evaluation: a new draft with the same customer."""
        self.ensure_one()
        new = self.create(
            {"partner_id": self.partner_id.id, "company_id": self.company_id.id}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "views": [(False, "form")],
        }

    def action_print(self):
        self._qms_check_readable()
        return self.env.ref("sales_qms.action_report_due_diligence").report_action(self)

    # ------------------------------------------------------------ cron
    @api.model
    def _cron_expire(self):
        """Expire the due diligences past their validity and schedule the
        re-evaluation with the customer's salesperson."""
        today = fields.Date.context_today(self)
        expired = self.sudo().search(
            [("state", "=", "approved"), ("valid_until", "<", today)]
        )
        for dd in expired:
            dd._qms_system_write({"state": "expired"})
            owner = dd.partner_id.user_id or dd.user_id
            dd.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=today,
                user_id=owner.id,
                summary=self.env._("Re-evaluate %s", dd.partner_id.name),
                note=self.env._(
                    "The due diligence %(dd)s of %(partner)s expired on %(date)s: "
                    "evaluate the customer again before further business.",
                    dd=dd.name,
                    partner=dd.partner_id.name,
                    date=dd.valid_until,
                ),
            )
        return expired
