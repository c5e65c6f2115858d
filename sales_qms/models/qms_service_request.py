from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

REQUEST_STATES = [
    ("new", "New"),
    ("scheduled", "Scheduled"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("new", "scheduled", "in_progress")
SERVICE_GROUP = "sales_qms.group_qms_customer_service"
MANAGER_GROUP = "sales_qms.group_qms_manager"
# chatter and activities stay writable whatever the state
CHATTER_FIELDS = {
    "message_main_attachment_id",
    "activity_ids",
    "message_follower_ids",
    "message_ids",
    "activity_user_id",
    "activity_date_deadline",
    "activity_summary",
    "activity_type_id",
}
# what the assigned technician records: the work report and the customer's sign-off
TECHNICIAN_FIELDS = {
    "work_done",
    "work_hours",
    "part_ids",
    "customer_signature",
    "customer_signed_by",
    "no_signature_reason",
    "customer_rating",
    "customer_feedback",
}
# what is still recorded once the work is done: the customer's sign-off
SIGN_OFF_FIELDS = {
    "customer_signature",
    "customer_signed_by",
    "no_signature_reason",
    "customer_rating",
    "customer_feedback",
    "claim_id",
}


class QmsServiceRequest(models.Model):
    """A service given to a customer (training, consulting, commissioning,
    repair, on-site support, spare parts) by a qualified technician, reported,
    signed by the customer and rated."""

    _name = "qms.service.request"
    _description = "Service Request"
    _inherit = [
        "qms.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "qms.audit.mixin",
    ]
    _qms_sequence_code = "qms.service.request"
    _qms_sequence_company_field = "company_id"
    _order = "date_request desc, id desc"
    _check_company_auto = True
    _qms_system_fields = (
        "state",
        "date_start",
        "date_done",
        "date_closed",
        "customer_signed_on",
        "signature_collected_by_id",
        "major_plan_by_id",
        "major_approved_by_id",
        "major_approved_on",
        "plan_line_id",
        "repeat_of_id",
        "sale_order_id",
    )

    # ------------------------------------------------------------ fields
    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    date_request = fields.Datetime(
        string="Requested On", required=True, default=fields.Datetime.now, index=True
    )
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("fax", "Fax"),
            ("email", "Email"),
            ("visit", "Visit"),
            ("portal", "Portal"),
            ("plan", "Service Plan"),
            ("claim", "Claim"),
        ],
        string="Received by",
        required=True,
        default="phone",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    installed_product_ids = fields.Many2many(
        "qms.installed.product",
        "qms_installed_product_service_request_rel",
        "request_id",
        "installed_product_id",
        string="Installed Products",
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
    )
    product_id = fields.Many2one(
        "product.product",
        help="A delivered product outside the installed base.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        check_company=True,
        help="The delivered lot the service is about.",
    )
    service_type_id = fields.Many2one(
        "qms.service.type",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "High"), ("2", "Urgent")], default="0", index=True
    )
    description = fields.Text(help="What the customer asks for.")
    deadline = fields.Datetime(
        compute="_compute_deadline",
        store=True,
        index=True,
        help="Request time plus the SLA of the service type.",
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        help="Customer service person following the request.",
    )
    technician_id = fields.Many2one(
        "res.users",
        index=True,
        tracking=True,
        domain="[('id', 'in', qualified_technician_ids)]",
    )
    qualified_technician_ids = fields.Many2many(
        "res.users",
        compute="_compute_qualified_technician_ids",
        help="Technicians holding a valid certificate for the service type on "
        "the scheduled date.",
    )
    scheduled_date = fields.Datetime(tracking=True, index=True)
    state = fields.Selection(
        REQUEST_STATES,
        string="Status",
        required=True,
        default="new",
        index=True,
        tracking=True,
        group_expand="_group_expand_state",
    )
    date_start = fields.Datetime(string="Started On", readonly=True, copy=False)
    date_done = fields.Datetime(string="Done On", readonly=True, copy=False, index=True)
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    # work report
    work_done = fields.Text(help="What the technician did and found.")
    work_hours = fields.Float(string="Hours Worked", aggregator="sum")
    part_ids = fields.One2many(
        "qms.service.request.part", "request_id", string="Parts Used"
    )
    # the customer's sign-off
    customer_signature = fields.Image(copy=False, attachment=True)
    customer_signed_by = fields.Char(
        copy=False, help="Name of the customer's representative who signs."
    )
    customer_signed_on = fields.Datetime(readonly=True, copy=False)
    signature_collected_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    no_signature_reason = fields.Text(
        string="Reason Without Signature",
        copy=False,
        help="Why the customer's signature could not be obtained.",
    )
    customer_rating = fields.Integer(
        copy=False, aggregator="avg", help="1 (poor) to 5 (excellent)."
    )
    customer_feedback = fields.Text(copy=False)
    claim_id = fields.Many2one(
        "qms.claim",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="The claim this request comes from, or leads to.",
    )
    # major service action (重大服务行动): its plan approved by a QMS manager
    is_major = fields.Boolean(
        string="Major Service Action",
        tracking=True,
        help="A major service action (重大服务行动, on-site support): a QMS "
        "manager approves its plan of action before it is scheduled.",
    )
    major_plan = fields.Text(string="Plan of Action", tracking=True)
    major_plan_by_id = fields.Many2one(
        "res.users", string="Plan Written By", readonly=True, copy=False
    )
    major_approved_by_id = fields.Many2one(
        "res.users", string="Plan Approved By", readonly=True, copy=False
    )
    major_approved_on = fields.Datetime(
        string="Plan Approved On", readonly=True, copy=False
    )
    plan_line_id = fields.Many2one(
        "qms.service.plan.line",
        string="Service Plan Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    repeat_of_id = fields.Many2one(
        "qms.service.request",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="A done request on the same installed product shortly before: that "
        "one was not fixed the first time.",
    )
    sla_status = fields.Selection(
        [("open", "Open"), ("met", "Met"), ("missed", "Missed")],
        string="SLA",
        compute="_compute_sla",
        store=True,
        index=True,
    )
    response_hours = fields.Float(
        compute="_compute_sla", store=True, aggregator="avg", digits=(16, 1)
    )
    resolution_hours = fields.Float(
        compute="_compute_sla", store=True, aggregator="avg", digits=(16, 1)
    )
    sale_order_id = fields.Many2one(
        "sale.order", string="Parts Order", readonly=True, copy=False
    )
    under_warranty = fields.Boolean(compute="_compute_under_warranty")
    can_manage = fields.Boolean(
        compute="_compute_can_manage",
        help="The current user handles service requests (customer service): "
        "the form locks the rest for technicians, as the server does.",
    )
    cancel_reason = fields.Text(copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    # ------------------------------------------------------------ computes
    @api.model
    def _group_expand_state(self, states, domain):
        return [key for key, _label in REQUEST_STATES]

    @api.depends("date_request", "service_type_id.sla_hours")
    def _compute_deadline(self):
        for request in self:
            hours = request.service_type_id.sla_hours
            request.deadline = (
                request.date_request + timedelta(hours=hours)
                if request.date_request and hours
                else False
            )

    @api.depends("deadline", "state")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for request in self:
            request.is_overdue = bool(
                request.state in OPEN_STATES
                and request.deadline
                and request.deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Overdue."))
        domain = [
            ("deadline", "<", fields.Datetime.now()),
            ("state", "in", OPEN_STATES),
        ]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.depends("state", "date_request", "date_start", "date_done", "deadline")
    def _compute_sla(self):
        for request in self:
            if request.state in ("done", "closed") and request.date_done:
                late = request.deadline and request.date_done > request.deadline
                request.sla_status = "missed" if late else "met"
            else:
                request.sla_status = "open" if request.state in OPEN_STATES else False
            request.response_hours = request._hours_since_request(request.date_start)
            request.resolution_hours = request._hours_since_request(request.date_done)

    def _hours_since_request(self, moment):
        if not moment or not self.date_request:
            return 0.0
        return (moment - self.date_request).total_seconds() / 3600.0

    @api.depends("service_type_id", "scheduled_date", "company_id")
    @api.depends_context("tz")
    def _compute_qualified_technician_ids(self):
        Qualification = self.env["qms.service.qualification"].sudo()
        for request in self:
            if not request.service_type_id:
                request.qualified_technician_ids = False
                continue
            ids = Qualification._qualified_user_ids(
                request.service_type_id,
                request._service_day(),
                request.company_id or self.env.company,
            )
            request.qualified_technician_ids = [(6, 0, ids)]

    def _service_day(self):
        """The scheduled day in the user's time zone (today when unscheduled)."""
        return fields.Date.context_today(self, self.scheduled_date or None)

    @api.depends_context("uid")
    def _compute_can_manage(self):
        self.can_manage = self._is_service_manager()

    def _compute_under_warranty(self):
        for request in self:
            request.under_warranty = any(
                request.installed_product_ids.mapped("under_warranty")
            )

    # ------------------------------------------------------------ constraints
    @api.constrains("customer_rating")
    def _check_rating(self):
        for request in self:
            if not 0 <= request.customer_rating <= 5:
                raise ValidationError(
                    self.env._(
                        "%(request)s: the customer's rating is between 1 and 5.",
                        request=request.name,
                    )
                )

    @api.constrains("work_hours")
    def _check_work_hours(self):
        for request in self:
            if not 0 <= request.work_hours <= 10_000:
                raise ValidationError(
                    self.env._(
                        "%(request)s: the hours worked are a positive number.",
                        request=request.name,
                    )
                )

    @api.constrains("partner_id", "installed_product_ids", "lot_id", "product_id")
    def _check_customer_products(self):
        for request in self:
            others = request.installed_product_ids.filtered(
                lambda u, r=request: u.commercial_partner_id != r.commercial_partner_id
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "%(unit)s is not installed at %(customer)s.",
                        unit=others[0].display_name,
                        customer=request.commercial_partner_id.display_name,
                    )
                )
            if request.lot_id and request.product_id:
                if request.lot_id.product_id != request.product_id:
                    raise ValidationError(
                        self.env._(
                            "Lot %(lot)s is not a lot of %(product)s.",
                            lot=request.lot_id.name,
                            product=request.product_id.display_name,
                        )
                    )

    @api.constrains("technician_id", "scheduled_date", "service_type_id", "state")
    def _check_technician_qualified(self):
        """Assigning (or re-planning) a technician needs their valid
        certificate for the service type on the scheduled date, whatever the
        path: form, RPC write, batch, plan."""
        for request in self:
            if request.technician_id and request.state in OPEN_STATES:
                request._ensure_qualified([request._service_day()])

    def _ensure_qualified(self, days):
        self.ensure_one()
        if not self.technician_id:
            raise UserError(
                self.env._("%(request)s has no technician.", request=self.display_name)
            )
        issue = self.env["qms.service.qualification"]._technician_issue(
            self.technician_id, self.service_type_id, days, self.company_id
        )
        if issue:
            raise ValidationError(
                self.env._(
                    "%(request)s: %(issue)s", request=self.display_name, issue=issue
                )
            )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._qms_check_input(vals)
        signatures = [vals.pop("customer_signature", None) for vals in vals_list]
        if any(signatures):
            raise UserError(
                self.env._(
                    "The customer signs the service report once the work has started."
                )
            )
        requests = super().create(vals_list)
        requests.filtered("major_plan")._qms_system_write(
            {"major_plan_by_id": self.env.uid}
        )
        requests._link_repeats()
        for request in requests.filtered("technician_id"):
            request.message_subscribe(request.technician_id.partner_id.ids)
        return requests

    def write(self, vals):
        self._qms_check_input(vals)
        if self._qms_is_system_write():
            return super().write(vals)
        self._check_write_rights(vals)
        self._check_frozen(vals)
        self._check_major_change(vals)
        # None: not signing; False: withdrawing; a picture: signing
        signature = vals.pop("customer_signature", None)
        signing = signature is not None
        if "customer_signed_by" in vals and not signing:
            signed = self.filtered("customer_signed_on")
            if signed:
                raise UserError(
                    self.env._(
                        "%(request)s is signed by %(name)s: withdraw the signature "
                        "before changing who signed.",
                        request=signed[0].name,
                        name=signed[0].customer_signed_by,
                    )
                )
        approved_plans = {
            request: request.major_plan
            for request in self.filtered("major_approved_by_id")
        }
        res = super().write(vals) if vals else True
        if "major_plan" in vals:
            self._after_plan_change(approved_plans)
        if vals.get("technician_id"):
            for request in self:
                request.message_subscribe(request.technician_id.partner_id.ids)
        if signing:
            if signature:
                self._record_signature(signature)
            else:
                self._withdraw_signature()
        return res

    def _qms_audit_unlink_message(self):
        return self.env._(
            "Service requests are never deleted: cancel the request with a reason "
            "instead."
        )

    # ------------------------------------------------------------ write rules
    def _is_service_manager(self):
        return self.env.su or self.env.user.has_group(SERVICE_GROUP)

    def _check_service_manager(self, action):
        if not self._is_service_manager():
            raise AccessError(
                self.env._(
                    "%(action)s: only customer service or a QMS manager handles "
                    "service requests (group Sales QMS / Customer Service).",
                    action=action,
                )
            )

    def _check_worker(self, action):
        """The assigned technician, or customer service, records the work."""
        if self._is_service_manager():
            return
        others = self.filtered(lambda r: r.technician_id != self.env.user)
        if others:
            raise AccessError(
                self.env._(
                    "%(action)s: %(request)s is assigned to %(technician)s; only "
                    "that technician or customer service records its work.",
                    action=action,
                    request=others[0].name,
                    technician=others[0].technician_id.name
                    or self.env._("no technician"),
                )
            )

    def _check_write_rights(self, vals):
        if self._is_service_manager():
            return
        refused = set(vals) - TECHNICIAN_FIELDS - CHATTER_FIELDS
        if refused:
            raise AccessError(
                self.env._(
                    "A technician records the work report and the customer's "
                    "sign-off; %(fields)s are changed by customer service.",
                    fields=", ".join(
                        sorted(
                            self._fields[name].get_description(self.env)["string"]
                            for name in refused
                            if name in self._fields
                        )
                    ),
                )
            )
        self._check_worker(self.env._("Work report"))

    def _check_frozen(self, vals):
        keys = set(vals) - CHATTER_FIELDS
        if not keys:
            return
        for request in self:
            if request.state in ("closed", "cancelled"):
                raise UserError(
                    self.env._(
                        "%(request)s is %(state)s: it is kept as it is.",
                        request=request.name,
                        state=dict(REQUEST_STATES)[request.state],
                    )
                )
            if request.state == "done" and keys - SIGN_OFF_FIELDS:
                raise UserError(
                    self.env._(
                        "%(request)s is done: its work report is kept as reported; "
                        "only the customer's sign-off and rating are still recorded.",
                        request=request.name,
                    )
                )

    def _check_major_change(self, vals):
        if "is_major" in vals and not vals["is_major"]:
            flagged = self.filtered("is_major")
            if flagged and not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
                raise AccessError(
                    self.env._(
                        "%(request)s is a major service action: only a QMS manager "
                        "can remove the flag.",
                        request=flagged[0].name,
                    )
                )
        if vals.get("is_major"):
            late = self.filtered(
                lambda r: r.state != "new" and not r.major_approved_by_id
            )
            if late:
                raise UserError(
                    self.env._(
                        "%(request)s is already %(state)s: a major service action is "
                        "flagged before it is scheduled, so that its plan is approved "
                        "first.",
                        request=late[0].name,
                        state=dict(REQUEST_STATES)[late[0].state],
                    )
                )
        if "major_plan" in vals:
            started = self.filtered(
                lambda r: (
                    r.major_approved_by_id
                    and r.state != "new"
                    and (r.major_plan or "") != (vals["major_plan"] or "")
                )
            )
            if started:
                raise UserError(
                    self.env._(
                        "The approved plan of action of %(request)s is being carried "
                        "out: it is no longer changed.",
                        request=started[0].name,
                    )
                )

    def _after_plan_change(self, approved_plans):
        self._qms_system_write({"major_plan_by_id": self.env.uid})
        changed = self.filtered(
            lambda r: r in approved_plans and r.major_plan != approved_plans[r]
        )
        if changed:
            changed._qms_system_write(
                {"major_approved_by_id": False, "major_approved_on": False}
            )
            for request in changed:
                request.message_post(
                    body=self.env._(
                        "The plan of action changed: it must be approved again."
                    )
                )

    # ------------------------------------------------------------ signature
    def _record_signature(self, signature):
        for request in self:
            if request.state not in ("in_progress", "done"):
                raise UserError(
                    self.env._(
                        "%(request)s is %(state)s: the customer signs the service "
                        "report once the work has started.",
                        request=request.name,
                        state=dict(REQUEST_STATES)[request.state],
                    )
                )
            if not (request.customer_signed_by or "").strip():
                raise UserError(
                    self.env._(
                        "%(request)s: enter the name of the customer's "
                        "representative who signs (Signed By).",
                        request=request.name,
                    )
                )
        self._qms_system_write(
            {
                "customer_signature": signature,
                "customer_signed_on": fields.Datetime.now(),
                "signature_collected_by_id": self.env.uid,
            }
        )
        for request in self:
            request.message_post(
                body=self.env._(
                    "Service report signed by %(name)s, collected by %(user)s.",
                    name=request.customer_signed_by,
                    user=self.env.user.name,
                )
            )

    def _withdraw_signature(self):
        signed = self.filtered("customer_signed_on")
        for request in signed:
            if (
                request.signature_collected_by_id != self.env.user
                and not self._is_service_manager()
            ):
                raise AccessError(
                    self.env._(
                        "Only %(user)s or customer service can withdraw the "
                        "customer's signature of %(request)s.",
                        user=request.signature_collected_by_id.name,
                        request=request.name,
                    )
                )
        self._qms_system_write(
            {
                "customer_signature": False,
                "customer_signed_on": False,
                "signature_collected_by_id": False,
            }
        )
        for request in signed:
            request.message_post(
                body=self.env._(
                    "The customer's signature was withdrawn by %(user)s.",
                    user=self.env.user.name,
                )
            )

    # ------------------------------------------------------------ workflow
    def _ensure_state(self, allowed, message):
        wrong = self.filtered(lambda r: r.state not in allowed)
        if wrong:
            raise UserError(
                message
                % {
                    "request": wrong[0].name,
                    "state": dict(REQUEST_STATES)[wrong[0].state],
                }
            )

    def action_schedule(self):
        """Plan the visit: a technician qualified on the scheduled date, and
        for a major service action an approved plan."""
        self._check_service_manager(self.env._("Schedule"))
        self.check_access("write")
        self._ensure_state(
            ("new",),
            self.env._("Only new requests are scheduled: %(request)s is %(state)s."),
        )
        for request in self:
            missing = []
            if not request.technician_id:
                missing.append(self.env._("a technician"))
            if not request.scheduled_date:
                missing.append(self.env._("a scheduled date"))
            if missing:
                raise UserError(
                    self.env._(
                        "%(request)s cannot be scheduled without %(missing)s.",
                        request=request.name,
                        missing=self.env._(" and ").join(missing),
                    )
                )
            if request.is_major and not request.major_approved_by_id:
                raise UserError(
                    self.env._(
                        "%(request)s is a major service action (重大服务行动): a QMS "
                        "manager approves its plan of action before it is scheduled.",
                        request=request.name,
                    )
                )
            request._ensure_qualified([request._service_day()])
        self._qms_system_write({"state": "scheduled"})
        todo = self.env.ref("mail.mail_activity_data_todo")
        for request in self:
            request.sudo().activity_schedule(
                activity_type_id=todo.id,
                date_deadline=request._service_day(),
                summary=self.env._("Service %(request)s", request=request.name),
                note=request.description or "",
                user_id=request.technician_id.id,
            )
        return True

    def action_start(self):
        """The technician starts the work: still qualified on the scheduled
        date and today."""
        self._check_worker(self.env._("Start"))
        self.check_access("write")
        self._ensure_state(
            ("scheduled",),
            self.env._(
                "Only scheduled requests are started: %(request)s is %(state)s."
            ),
        )
        today = fields.Date.context_today(self)
        for request in self:
            request._ensure_qualified(sorted({request._service_day(), today}))
        self._qms_system_write(
            {"state": "in_progress", "date_start": fields.Datetime.now()}
        )
        return True

    def action_done(self):
        """The work is reported: what was done, the hours, the parts (consumed
        through stock moves, or sold on a sales order)."""
        self._check_worker(self.env._("Done"))
        self.check_access("write")
        self._ensure_state(
            ("in_progress",),
            self.env._("Only requests in progress are done: %(request)s is %(state)s."),
        )
        for request in self:
            request._ensure_work_report()
        self.part_ids.sudo()._qms_consume()
        self._qms_system_write({"state": "done", "date_done": fields.Datetime.now()})
        installs = self.filtered(lambda r: r.service_type_id.installs_product)
        installs.installed_product_ids.sudo().filtered(
            lambda u: u.state in ("delivered", "installed")
        )._mark_installed()
        self.sudo().activity_ids.filtered(
            lambda a: a.user_id in self.technician_id
        ).action_feedback(feedback=self.env._("Service done."))
        return True

    def _ensure_work_report(self):
        self.ensure_one()
        missing = []
        if not (self.work_done or "").strip():
            missing.append(self.env._("the work done"))
        if self.work_hours <= 0:
            missing.append(self.env._("the hours worked"))
        for part in self.part_ids:
            if part.product_id.tracking != "none" and not part.lot_id:
                missing.append(
                    self.env._(
                        "the lot of the part %(part)s",
                        part=part.product_id.display_name,
                    )
                )
        unordered = self.part_ids.filtered(
            lambda p: p.billing == "sale" and not p.sale_line_id
        )
        if unordered:
            missing.append(
                self.env._(
                    "a sales order for the parts sold (%(parts)s: Create Parts Order)",
                    parts=", ".join(unordered.product_id.mapped("display_name")),
                )
            )
        if missing:
            raise UserError(
                self.env._(
                    "%(request)s cannot be done without its work report. Missing: "
                    "%(missing)s.",
                    request=self.name,
                    missing="; ".join(missing),
                )
            )

    def action_close(self):
        """Customer service closes a done request: signed (or why not), rated,
        and the parts sold delivered."""
        self._check_service_manager(self.env._("Close"))
        self.check_access("write")
        self._ensure_state(
            ("done",),
            self.env._("Only done requests are closed: %(request)s is %(state)s."),
        )
        for request in self:
            request._ensure_closable()
        self._qms_system_write(
            {"state": "closed", "date_closed": fields.Datetime.now()}
        )
        return True

    def _ensure_closable(self):
        self.ensure_one()
        missing = []
        if not self.customer_signature and not (self.no_signature_reason or "").strip():
            missing.append(
                self.env._(
                    "the customer's signature (or the reason why none could be "
                    "obtained)"
                )
            )
        if not 1 <= self.customer_rating <= 5:
            missing.append(self.env._("the customer's rating (1 to 5)"))
        undelivered = self.part_ids.filtered(
            lambda p: p.billing == "sale" and p.status != "delivered"
        )
        if undelivered:
            missing.append(
                self.env._(
                    "the delivery of the parts sold (%(parts)s)",
                    parts=", ".join(undelivered.product_id.mapped("display_name")),
                )
            )
        if missing:
            raise UserError(
                self.env._(
                    "%(request)s cannot be closed. Missing: %(missing)s.",
                    request=self.name,
                    missing="; ".join(missing),
                )
            )

    def action_cancel(self):
        self._check_service_manager(self.env._("Cancel"))
        self.check_access("write")
        self._ensure_state(
            ("new", "scheduled"),
            self.env._(
                "Only new or scheduled requests are cancelled: %(request)s is "
                "%(state)s."
            ),
        )
        reasonless = self.filtered(lambda r: not (r.cancel_reason or "").strip())
        if reasonless:
            raise UserError(
                self.env._(
                    "%(request)s cannot be cancelled without a reason.",
                    request=reasonless[0].name,
                )
            )
        self._qms_system_write({"state": "cancelled"})
        self.sudo().activity_ids.unlink()
        return True

    def action_approve_major(self):
        """A QMS manager approves the plan of action of a major service action
        (重大服务行动); its author cannot."""
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(
                self.env._(
                    "Only a QMS manager approves the plan of a major service action "
                    "(group Sales QMS / Manager)."
                )
            )
        self.check_access("write")
        self._ensure_state(
            ("new",),
            self.env._(
                "The plan of action is approved before scheduling: %(request)s is "
                "%(state)s."
            ),
        )
        for request in self:
            if not request.is_major:
                raise UserError(
                    self.env._(
                        "%(request)s is not a major service action.",
                        request=request.name,
                    )
                )
            if not (request.major_plan or "").strip():
                raise UserError(
                    self.env._(
                        "%(request)s has no plan of action to approve.",
                        request=request.name,
                    )
                )
            if request.major_plan_by_id == self.env.user and not self.env.su:
                raise UserError(
                    self.env._(
                        "%(user)s wrote the plan of action of %(request)s: a QMS "
                        "manager other than its author approves it.",
                        user=self.env.user.name,
                        request=request.name,
                    )
                )
        self._qms_system_write(
            {
                "major_approved_by_id": self.env.uid,
                "major_approved_on": fields.Datetime.now(),
            }
        )
        for request in self:
            request.message_post(
                body=self.env._(
                    "Plan of action approved by %(user)s.", user=self.env.user.name
                )
            )
        return True

    # ------------------------------------------------------------ documents
    def action_create_parts_order(self):
        """The parts sold go through a sales order (and its delivery)."""
        self.ensure_one()
        self._check_service_manager(self.env._("Create Parts Order"))
        self.check_access("write")
        if self.state not in OPEN_STATES:
            raise UserError(
                self.env._(
                    "%(request)s is %(state)s: parts are ordered while it is open.",
                    request=self.name,
                    state=dict(REQUEST_STATES)[self.state],
                )
            )
        parts = self.part_ids.filtered(
            lambda p: p.billing == "sale" and not p.sale_line_id
        )
        if not parts:
            raise UserError(
                self.env._(
                    "%(request)s has no parts to sell: add the parts with Billing "
                    "'Sold'.",
                    request=self.name,
                )
            )
        order = self.sale_order_id.sudo()
        if not order or order.state != "draft":
            order = (
                self.env["sale.order"]
                .sudo()
                .with_company(self.company_id)
                .create(self._prepare_parts_order_vals())
            )
            self._qms_system_write({"sale_order_id": order.id})
        lines = (
            self.env["sale.order.line"]
            .sudo()
            .create([part._prepare_sale_line_vals(order) for part in parts])
        )
        for part, line in zip(parts, lines, strict=True):
            part._qms_system_write({"sale_line_id": line.id})
        self.message_post(
            body=self.env._("Parts order %(order)s drafted.", order=order.name)
        )
        return self._open_record(order)

    def _prepare_parts_order_vals(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "origin": self.name,
            "client_order_ref": self.name,
            "company_id": self.company_id.id,
            "user_id": (self.commercial_partner_id.user_id or self.env.user).id,
        }

    def action_create_claim(self):
        """A complaint about the service: a claim the technician caused."""
        self.ensure_one()
        self._check_service_manager(self.env._("Raise Claim"))
        claim = (
            self.env["qms.claim"]
            .with_company(self.company_id)
            .create(self._prepare_claim_vals())
        )
        if not self.claim_id and self.state not in ("closed", "cancelled"):
            self.write({"claim_id": claim.id})
        return self._open_record(claim)

    def _prepare_claim_vals(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "claim_type": "complaint",
            "channel": "phone",
            "description": self.env._(
                "<p>About service request %(request)s</p>", request=self.name
            ),
            "caused_by_request_id": self.id,
            "company_id": self.company_id.id,
        }

    def action_view_claim(self):
        self.ensure_one()
        return self._open_record(self.claim_id)

    def action_view_sale_order(self):
        self.ensure_one()
        return self._open_record(self.sale_order_id)

    def _open_record(self, record):
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "views": [(False, "form")],
        }

    def _report_certificate(self):
        """The technician's certificate covering the work, for the report."""
        self.ensure_one()
        day = fields.Date.context_today(
            self, self.date_start or self.scheduled_date or None
        )
        return self.env["qms.service.qualification"].search(
            [
                ("user_id", "=", self.technician_id.id),
                ("service_type_ids", "in", self.service_type_id.ids),
                ("company_id", "=", self.company_id.id),
                ("valid_from", "<=", day),
                ("valid_to", ">=", day),
            ],
            limit=1,
        )

    # ------------------------------------------------------------ repeats
    def _link_repeats(self):
        """A fix requested again soon on the same installed product makes the
        done request a repeat (first-time fix)."""
        for request in self.filtered(
            lambda r: r.service_type_id.is_fix and r.installed_product_ids
        ):
            window = timedelta(days=request.company_id.qms_service_repeat_days)
            previous = self.sudo().search(
                [
                    ("id", "!=", request.id),
                    ("installed_product_ids", "in", request.installed_product_ids.ids),
                    ("service_type_id.is_fix", "=", True),
                    ("state", "in", ("done", "closed")),
                    ("date_done", ">=", request.date_request - window),
                    ("date_done", "<=", request.date_request),
                ],
                order="date_done desc",
                limit=1,
            )
            if previous:
                request._qms_system_write({"repeat_of_id": previous.id})
