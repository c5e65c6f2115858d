from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

TECHNICIAN_GROUP = "sales_qms.group_qms_service_technician"
STATES = [("valid", "Valid"), ("expiring", "Expiring"), ("expired", "Expired")]


class QmsServiceQualification(models.Model):
    """A technician's certificate (持证上岗): the procedure requires at least a
    junior technical title, training and a passed assessment before service
    staff work. Assignments and starts of work are checked against it."""

    _name = "qms.service.qualification"
    _description = "Technician Qualification"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.audit.mixin"]
    _order = "valid_to desc, id desc"
    _rec_name = "certificate_number"
    _check_company_auto = True
    _qms_system_fields = ("expiry_warned_on",)

    user_id = fields.Many2one(
        "res.users",
        string="Technician",
        required=True,
        index=True,
        tracking=True,
        domain=lambda self: [("groups_id", "in", self.env.ref(TECHNICIAN_GROUP).id)],
    )
    service_type_ids = fields.Many2many(
        "qms.service.type",
        "qms_service_qualification_type_rel",
        "qualification_id",
        "service_type_id",
        string="Service Types",
        required=True,
        check_company=True,
    )
    # ",1,4,": the types covered, so that the technicians qualified for a type
    # on a day are one scan of the current certificates (no join per type)
    service_type_key = fields.Char(
        compute="_compute_service_type_key", store=True, readonly=True
    )
    title = fields.Selection(
        [
            ("junior", "Junior"),
            ("intermediate", "Intermediate"),
            ("senior", "Senior"),
        ],
        string="Technical Title",
        required=True,
        tracking=True,
        help="Professional technical title (专业技术职称); the procedure requires "
        "at least a junior title.",
    )
    title_name = fields.Char(
        string="Title Held", help="e.g. Assistant Engineer (助理工程师)."
    )
    certificate_number = fields.Char(required=True, tracking=True, index=True)
    issued_by = fields.Char(help="Who trained and assessed the technician.")
    training = fields.Text(
        string="Training and Assessment",
        help="Service rules and product training followed, assessment passed.",
    )
    valid_from = fields.Date(required=True, tracking=True)
    valid_to = fields.Date(required=True, tracking=True, index=True)
    certificate_file = fields.Binary(string="Certificate", attachment=True)
    certificate_filename = fields.Char()
    state = fields.Selection(
        STATES,
        compute="_compute_state",
        search="_search_state",
        help="Valid; expiring within the warning days of the company; expired.",
    )
    expiry_warned_on = fields.Date(readonly=True, copy=False)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )

    # ------------------------------------------------------------ computes
    @api.depends("service_type_ids")
    def _compute_service_type_key(self):
        for qualification in self:
            ids = sorted(qualification.service_type_ids.ids)
            qualification.service_type_key = (
                ",{},".format(",".join(map(str, ids))) if ids else False
            )

    @api.depends("valid_to", "company_id.qms_qualification_warning_days")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for qualification in self:
            qualification.state = qualification._state_on(today)

    def _state_on(self, day):
        self.ensure_one()
        warning = timedelta(days=self.company_id.qms_qualification_warning_days)
        if not self.valid_to or self.valid_to < day:
            return "expired"
        if self.valid_to <= day + warning:
            return "expiring"
        return "valid"

    def _search_state(self, operator, value):
        if operator in ("=", "!="):
            values = {value}
        elif operator in ("in", "not in") and isinstance(value, (list, tuple)):
            values = set(value)
        else:
            raise UserError(self.env._("Unsupported search on the certificate status."))
        today = fields.Date.context_today(self)
        limit = today + timedelta(days=self.env.company.qms_qualification_warning_days)
        domains = {
            "expired": [("valid_to", "<", today)],
            "expiring": [("valid_to", ">=", today), ("valid_to", "<=", limit)],
            "valid": [("valid_to", ">", limit)],
        }
        domain = expression.OR([domains[v] for v in values if v in domains])
        if operator in ("!=", "not in"):
            domain = ["!", *domain]
        return domain

    # ------------------------------------------------------------ constraints
    @api.constrains("valid_from", "valid_to")
    def _check_dates(self):
        for qualification in self:
            if qualification.valid_to < qualification.valid_from:
                raise ValidationError(
                    self.env._(
                        "Certificate %(number)s ends before it starts.",
                        number=qualification.certificate_number,
                    )
                )

    @api.constrains("user_id")
    def _check_technician(self):
        group = self.env.ref(TECHNICIAN_GROUP)
        for qualification in self:
            if group not in qualification.user_id.sudo().groups_id:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not a service technician: add them to the "
                        "group %(group)s before recording their certificate.",
                        user=qualification.user_id.name,
                        group=group.name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    def write(self, vals):
        self._qms_check_input(vals)
        if "valid_to" in vals:
            # a renewed certificate is warned about again before its new end
            res = super().write(vals)
            self._qms_system_write({"expiry_warned_on": False})
            return res
        return super().write(vals)

    @api.depends("certificate_number", "user_id")
    def _compute_display_name(self):
        for qualification in self:
            qualification.display_name = (
                f"{qualification.certificate_number or ''} "
                f"({qualification.user_id.name or ''})"
            )

    # ------------------------------------------------------------ business
    @api.model
    def _qualified_user_ids(self, service_type, day, company):
        """Ids of the active technicians holding, on ``day``, a certificate of
        ``company`` for ``service_type``: one query."""
        self.flush_model(
            [
                "user_id",
                "valid_from",
                "valid_to",
                "active",
                "company_id",
                "service_type_key",
            ]
        )
        self.env["res.users"].flush_model(["active"])
        group = self.env.ref(TECHNICIAN_GROUP)
        if not service_type.qualification_required:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT u.id FROM res_users u
                      JOIN res_groups_users_rel g ON g.uid = u.id AND g.gid = %s
                      JOIN res_company_users_rel c ON c.user_id = u.id AND c.cid = %s
                     WHERE u.active
                    """,
                    group.id,
                    company.id,
                )
            )
            return [row[0] for row in self.env.cr.fetchall()]
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT q.user_id
                  FROM qms_service_qualification q
                  JOIN res_users u ON u.id = q.user_id AND u.active
                  JOIN res_groups_users_rel g ON g.uid = q.user_id AND g.gid = %s
                 WHERE q.active
                   AND q.company_id = %s
                   AND q.valid_from <= %s
                   AND q.valid_to >= %s
                   AND q.service_type_key LIKE %s
                """,
                group.id,
                company.id,
                day,
                day,
                f"%,{service_type.id},%",
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _technician_issue(self, user, service_type, days, company):
        """Why ``user`` cannot do ``service_type`` on each of ``days``, in
        words naming the missing or expired certificate; None when they can."""
        if not user.sudo().has_group(TECHNICIAN_GROUP):
            return self.env._(
                "%(user)s is not a service technician (group %(group)s).",
                user=user.name,
                group=self.env.ref(TECHNICIAN_GROUP).name,
            )
        if not service_type.qualification_required:
            return None
        certificates = self.sudo().search(
            [
                ("user_id", "=", user.id),
                ("service_type_ids", "in", service_type.ids),
                ("company_id", "=", company.id),
            ]
        )
        if not certificates:
            return self.env._(
                "%(user)s holds no certificate for %(type)s: only a qualified "
                "technician does this service.",
                user=user.name,
                type=service_type.name,
            )
        for day in days:
            issue = self._certificate_day_issue(certificates, user, service_type, day)
            if issue:
                return issue
        return None

    @api.model
    def _certificate_day_issue(self, certificates, user, service_type, day):
        """Why none of ``certificates`` covers ``day``, or None."""
        if certificates.filtered(lambda c: c.valid_from <= day <= c.valid_to):
            return None
        values = {"user": user.name, "type": service_type.name, "day": day}
        past = certificates.filtered(lambda c: c.valid_to < day).sorted(
            "valid_to", reverse=True
        )[:1]
        if past and past.valid_to < fields.Date.context_today(self):
            return self.env._(
                "The certificate %(number)s of %(user)s for %(type)s expired "
                "on %(end)s: it is not valid on %(day)s.",
                number=past.certificate_number,
                end=past.valid_to,
                **values,
            )
        if past:
            return self.env._(
                "The certificate %(number)s of %(user)s for %(type)s ends on "
                "%(end)s, before %(day)s: renew it before that day.",
                number=past.certificate_number,
                end=past.valid_to,
                **values,
            )
        future = certificates.sorted("valid_from")[:1]
        return self.env._(
            "The certificate %(number)s of %(user)s for %(type)s is valid only "
            "from %(start)s: not on %(day)s.",
            number=future.certificate_number,
            start=future.valid_from,
            **values,
        )

    # ------------------------------------------------------------ cron
    @api.model
    def _cron_warn_expiry(self):
        """Warn each technician and their company's service manager, once per
        certificate, when it enters its warning period."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        today = fields.Date.context_today(self)
        warned = self.browse()
        for company in self.env["res.company"].search([]):
            limit = today + timedelta(days=company.qms_qualification_warning_days)
            certificates = self.search(
                [
                    ("company_id", "=", company.id),
                    ("valid_to", ">=", today),
                    ("valid_to", "<=", limit),
                    ("expiry_warned_on", "=", False),
                ]
            )
            for certificate in certificates:
                note = self.env._(
                    "The certificate %(number)s of %(user)s ends on %(end)s: renew "
                    "the training and assessment before then.",
                    number=certificate.certificate_number,
                    user=certificate.user_id.name,
                    end=certificate.valid_to,
                )
                users = certificate.user_id | (
                    company.qms_service_manager_id or company.qms_representative_id
                )
                for user in users:
                    certificate.activity_schedule(
                        activity_type_id=todo.id,
                        summary=self.env._("Certificate expiring"),
                        note=note,
                        date_deadline=certificate.valid_to,
                        user_id=user.id,
                    )
            certificates._qms_system_write({"expiry_warned_on": today})
            warned |= certificates
        return warned
