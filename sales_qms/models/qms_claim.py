from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

CLAIM_STAGES = [
    ("new", "New"),
    ("investigating", "Investigating"),
    ("action", "Action"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("rejected", "Rejected"),
]
# stages after which a claim is a decided record: read-only, never reopened
DECIDED_STAGES = ("closed", "rejected")
# stages only customer service may set
SERVICE_STAGES = ("closed", "rejected")
# fields that remain writable on a decided claim (chatter and activities)
DECIDED_WRITABLE = {
    "message_main_attachment_id",
    "activity_ids",
    "message_follower_ids",
    "message_ids",
    "activity_user_id",
    "activity_date_deadline",
    "activity_summary",
}

CONTACT_CHANNELS = [
    ("phone", "Phone"),
    ("fax", "Fax"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("visit", "Visit"),
    ("portal", "Portal"),
]

DEPARTMENTS = [
    ("sales", "Sales"),
    ("technical", "Technical"),
    ("production", "Production"),
    ("quality", "Quality"),
    ("purchasing", "Purchasing"),
    ("finance", "Finance"),
    ("warehouse", "Warehouse"),
]


class QmsClaim(models.Model):
    """A customer's quality problem: complaint, return, exchange, repair or
    compensation, investigated and closed with corrective actions."""

    _name = "qms.claim"
    _description = "Customer Claim"
    _inherit = [
        "qms.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "qms.audit.mixin",
    ]
    _qms_sequence_code = "qms.claim"
    _qms_sequence_company_field = "company_id"
    _order = "date desc, id desc"
    _check_company_auto = True
    # the customer who reads a claim on the portal writes back on it
    _mail_post_access = "read"

    # ------------------------------------------------------------ fields
    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    date = fields.Datetime(
        string="Claim Date", required=True, default=fields.Datetime.now, index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    claim_type = fields.Selection(
        [
            ("complaint", "Complaint"),
            ("return", "Return"),
            ("exchange", "Exchange"),
            ("repair", "Repair"),
            ("compensation", "Compensation"),
        ],
        string="Type",
        required=True,
        default="complaint",
        tracking=True,
    )
    channel = fields.Selection(
        CONTACT_CHANNELS, string="Received by", required=True, default="phone"
    )
    severity = fields.Selection(
        [("minor", "Minor"), ("major", "Major"), ("critical", "Critical")],
        required=True,
        default="minor",
        tracking=True,
    )
    description = fields.Html(string="Problem Description")
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        tracking=True,
        check_company=True,
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        index="btree_not_null",
        domain="[('picking_type_code', '=', 'outgoing'), ('state', '=', 'done')]",
        tracking=True,
        check_company=True,
    )
    line_ids = fields.One2many("qms.claim.line", "claim_id", string="Products")
    stage = fields.Selection(
        CLAIM_STAGES,
        required=True,
        default="new",
        index=True,
        tracking=True,
        group_expand="_group_expand_stage",
    )
    deadline = fields.Date(
        compute="_compute_deadline",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="Resolution deadline, from the company's SLA for the severity.",
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    root_cause = fields.Text()
    responsible_department = fields.Selection(DEPARTMENTS, tracking=True)
    disposition = fields.Selection(
        [
            ("return", "Return"),
            ("exchange", "Exchange"),
            ("repair", "Repair"),
            ("rework", "Rework"),
            ("compensation", "Compensation"),
            ("concession", "Concession"),
            ("explanation", "Explanation only"),
        ],
        tracking=True,
    )
    action_ids = fields.One2many("qms.claim.action", "claim_id", string="Actions")
    open_action_count = fields.Integer(compute="_compute_action_counts")
    action_count = fields.Integer(compute="_compute_action_counts")
    customer_feedback = fields.Text(
        help="What the customer said about the resolution; needed to close.",
    )
    rejection_reason = fields.Text()
    date_resolved = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
    )
    visit_id = fields.Many2one(
        "qms.followup.visit", string="Follow-up Visit", index="btree_not_null"
    )
    return_picking_id = fields.Many2one(
        "stock.picking", string="Return", readonly=True, copy=False
    )
    replacement_picking_id = fields.Many2one(
        "stock.picking", string="Replacement Delivery", readonly=True, copy=False
    )
    credit_note_id = fields.Many2one("account.move", readonly=True, copy=False)
    contact_log_ids = fields.One2many("qms.contact.log", "claim_id")

    # ------------------------------------------------------------ computes
    @api.model
    def _group_expand_stage(self, stages, domain):
        return [key for key, _label in CLAIM_STAGES]

    @api.depends("severity", "date", "company_id")
    def _compute_deadline(self):
        for claim in self:
            days = claim.company_id._qms_claim_sla_days(claim.severity)
            base = fields.Datetime.to_datetime(claim.date) or fields.Datetime.now()
            claim.deadline = (base + timedelta(days=days)).date()

    @api.depends("deadline", "stage")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for claim in self:
            claim.is_overdue = bool(
                claim.deadline
                and claim.deadline < today
                and claim.stage in self._open_stages()
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Overdue."))
        domain = [
            ("deadline", "<", fields.Date.context_today(self)),
            ("stage", "in", self._open_stages()),
        ]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", *domain]

    @api.model
    def _open_stages(self):
        return ("new", "investigating", "action")

    @api.depends("action_ids.done_date")
    def _compute_action_counts(self):
        data = {
            (claim.id, done): count
            for claim, done, count in self.env["qms.claim.action"]._read_group(
                [("claim_id", "in", self.ids)], ["claim_id", "is_done"], ["__count"]
            )
        }
        for claim in self:
            done = data.get((claim.id, True), 0)
            todo = data.get((claim.id, False), 0)
            claim.action_count = done + todo
            claim.open_action_count = todo

    # ------------------------------------------------------------ constraints
    @api.constrains("stage", "customer_feedback", "rejection_reason")
    def _check_stage_rules(self):
        for claim in self:
            if claim.stage == "closed":
                claim._ensure_closable()
            if claim.stage == "rejected" and not (claim.rejection_reason or "").strip():
                raise ValidationError(
                    self.env._(
                        "Claim %(claim)s cannot be rejected without a rejection "
                        "reason.",
                        claim=claim.name,
                    )
                )

    def _ensure_closable(self):
        self.ensure_one()
        open_actions = self.action_ids.filtered(lambda a: not a.done_date)
        if open_actions:
            raise ValidationError(
                self.env._(
                    "Claim %(claim)s cannot be closed: these actions are not done: "
                    "%(actions)s.",
                    claim=self.name,
                    actions=", ".join(open_actions.mapped("description")),
                )
            )
        if not (self.customer_feedback or "").strip():
            raise ValidationError(
                self.env._(
                    "Claim %(claim)s cannot be closed: the customer's feedback is "
                    "not recorded.",
                    claim=self.name,
                )
            )

    @api.constrains("partner_id", "sale_order_id", "picking_id")
    def _check_documents(self):
        for claim in self:
            partner = claim.commercial_partner_id
            order, picking = claim.sale_order_id, claim.picking_id
            if order and order.partner_id.commercial_partner_id != partner:
                raise ValidationError(
                    self.env._(
                        "Sales order %(order)s was not sold to %(partner)s.",
                        order=order.name,
                        partner=partner.display_name,
                    )
                )
            if picking and (
                picking.picking_type_code != "outgoing"
                or picking.partner_id.commercial_partner_id != partner
            ):
                raise ValidationError(
                    self.env._(
                        "%(picking)s is not a delivery to %(partner)s.",
                        picking=picking.name,
                        partner=partner.display_name,
                    )
                )
            if order and picking and picking.sale_id and picking.sale_id != order:
                raise ValidationError(
                    self.env._(
                        "Delivery %(picking)s does not belong to sales order "
                        "%(order)s.",
                        picking=picking.name,
                        order=order.name,
                    )
                )
        self.line_ids._check_delivered()

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # the caller's dicts stay as they are: after a serialization failure
        # Odoo replays the call with the same arguments, the stage included
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            self._qms_check_input(vals)
            self._check_stage_right(vals.get("stage"))
            self._stamp_stage_dates(vals)
        # a claim born decided gets its lines and actions first, then its stage,
        # so that the closing and rejection rules see them
        decided = [vals.pop("stage", None) for vals in vals_list]
        for vals, stage in zip(vals_list, decided, strict=True):
            if stage and stage not in DECIDED_STAGES:
                vals["stage"] = stage
        claims = super().create(vals_list)
        for claim, stage in zip(claims, decided, strict=True):
            if stage in DECIDED_STAGES:
                claim.write({"stage": stage})
        return claims

    def write(self, vals):
        if "stage" in vals:
            self._check_stage_right(vals["stage"])
            # closing keeps the date a claim was resolved on; a claim closed
            # without being resolved first is resolved when it is closed
            resolved = self.filtered("date_resolved")
            if vals["stage"] == "closed" and resolved and resolved != self:
                return resolved.write(vals) and (self - resolved).write(vals)
            keep = vals["stage"] == "closed" and bool(resolved)
            vals = self._stamp_stage_dates(dict(vals), keep_resolved=keep)
        self._ensure_not_decided(vals)
        return super().write(vals)

    def _qms_audit_unlink_message(self):
        return self.env._(
            "Claims are never deleted: reject the claim with a reason instead."
        )

    def _check_stage_right(self, stage):
        if (
            stage in SERVICE_STAGES
            and not self.env.su
            and not self.env.user.has_group("sales_qms.group_qms_customer_service")
        ):
            raise AccessError(
                self.env._(
                    "Only customer service may close or reject a claim "
                    "(group Sales QMS / Customer Service)."
                )
            )

    @api.model
    def _stamp_stage_dates(self, vals, keep_resolved=False):
        now = fields.Datetime.now()
        if vals.get("stage") in ("resolved", "closed") and not keep_resolved:
            vals.setdefault("date_resolved", now)
        if vals.get("stage") == "closed":
            vals.setdefault("date_closed", now)
        return vals

    def _ensure_not_decided(self, vals):
        locked = set(vals) - DECIDED_WRITABLE
        if not locked:
            return
        decided = self.filtered(lambda c: c.stage in DECIDED_STAGES)
        if decided:
            raise UserError(
                self.env._(
                    "Claim %(claim)s is %(stage)s: a decided claim is kept as it is.",
                    claim=decided[0].name,
                    stage=dict(CLAIM_STAGES)[decided[0].stage],
                )
            )

    # ------------------------------------------------------------ stage buttons
    def action_investigate(self):
        return self.write({"stage": "investigating"})

    def action_start_actions(self):
        return self.write({"stage": "action"})

    def action_resolve(self):
        return self.write({"stage": "resolved"})

    def action_close(self):
        return self.write({"stage": "closed"})

    def action_reject(self):
        return self.write({"stage": "rejected"})

    # ------------------------------------------------------------ cron
    @api.model
    def _cron_remind_overdue(self):
        """Post a reminder and schedule an activity for each overdue claim,
        once per claim until it is handled."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        summary = self.env._("Overdue claim")
        claims = self.search([("is_overdue", "=", True)])
        reminded = self.env["mail.activity"]._read_group(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", claims.ids),
                ("activity_type_id", "=", todo.id),
                ("summary", "=", summary),
            ],
            ["res_id"],
        )
        already = {res_id for (res_id,) in reminded}
        for claim in claims.filtered(lambda c: c.id not in already):
            user = claim.user_id or claim.company_id.qms_claim_service_user_id
            claim.activity_schedule(
                activity_type_id=todo.id,
                summary=summary,
                note=self.env._(
                    "The SLA deadline %(deadline)s has passed.",
                    deadline=claim.deadline,
                ),
                user_id=(user or self.env.user).id,
            )
            claim.message_post(
                body=self.env._(
                    "Reminder: the deadline %(deadline)s of this claim has passed.",
                    deadline=claim.deadline,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return claims
