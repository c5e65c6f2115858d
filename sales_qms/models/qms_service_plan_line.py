from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError

MONTHS = [
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]


class QmsServicePlanLine(models.Model):
    """A planned service: a customer (or one installed product), a type of
    service, a month and who is responsible."""

    _name = "qms.service.plan.line"
    _description = "Annual Service Plan Line"
    _inherit = ["qms.system.fields.mixin"]
    _order = "plan_id, date_planned, sequence, id"
    _check_company_auto = True
    _qms_system_fields = ("request_id",)

    plan_id = fields.Many2one(
        "qms.service.plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        index=True,
    )
    installed_product_id = fields.Many2one("qms.installed.product", check_company=True)
    service_type_id = fields.Many2one(
        "qms.service.type", required=True, check_company=True
    )
    planned_month = fields.Selection(MONTHS, required=True)
    date_planned = fields.Date(compute="_compute_date_planned", store=True, index=True)
    user_id = fields.Many2one(
        "res.users", string="Responsible", help="The technician planned for it."
    )
    description = fields.Char()
    is_major = fields.Boolean(string="Major Service Action")
    request_id = fields.Many2one(
        "qms.service.request", string="Service Request", readonly=True, copy=False
    )
    state = fields.Selection(related="plan_id.state")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)

    @api.depends("installed_product_id")
    def _compute_partner_id(self):
        for line in self:
            if line.installed_product_id:
                line.partner_id = line.installed_product_id.partner_id

    @api.depends("plan_id.year", "planned_month")
    def _compute_date_planned(self):
        for line in self:
            year, month = line.plan_id.year, line.planned_month
            line.date_planned = (
                date(year, int(month), 1) if year and month and year > 1900 else False
            )

    @api.constrains("partner_id", "installed_product_id")
    def _check_customer(self):
        for line in self:
            if not line.partner_id:
                raise ValidationError(
                    self.env._("A plan line names a customer or an installed product.")
                )
            unit = line.installed_product_id
            if (
                unit
                and unit.commercial_partner_id != line.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(unit)s is not installed at %(customer)s.",
                        unit=unit.display_name,
                        customer=line.partner_id.display_name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    # the lines are the plan: changed only while it is a draft
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self._qms_is_system_write():
            lines.plan_id._ensure_draft()
        return lines

    def write(self, vals):
        if not self._qms_is_system_write():
            self.plan_id._ensure_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided_plan(self):
        self.plan_id._ensure_draft()

    # ------------------------------------------------------------ requests
    def _generate_requests(self):
        """Service requests for the approved lines whose month has come, each
        proposing its responsible technician when qualified on that day."""
        today = fields.Date.context_today(self)
        lines = self.filtered(
            lambda line: (
                line.plan_id.state == "approved"
                and not line.request_id
                and line.date_planned
                and line.date_planned <= today
            )
        )
        if not lines:
            return self.env["qms.service.request"]
        Request = self.env["qms.service.request"].sudo()
        Qualification = self.env["qms.service.qualification"].sudo()
        requests = Request
        for line in lines:
            vals = line._prepare_request_vals()
            day = max(line.date_planned, today)
            qualified = Qualification._qualified_user_ids(
                line.service_type_id, day, line.company_id
            )
            if line.user_id.id in qualified:
                vals["technician_id"] = line.user_id.id
            request = Request.with_company(line.company_id).create(vals)
            request._qms_system_write({"plan_line_id": line.id})
            line._qms_system_write({"request_id": request.id})
            if line.user_id and not request.technician_id:
                request.message_post(
                    body=self.env._(
                        "%(user)s, planned for this service, holds no valid "
                        "certificate for it: assign a qualified technician.",
                        user=line.user_id.name,
                    )
                )
            requests |= request
        return requests

    def _prepare_request_vals(self):
        self.ensure_one()
        plan = self.plan_id
        company = plan.company_id
        return {
            "partner_id": self.partner_id.id,
            "installed_product_ids": [(6, 0, self.installed_product_id.ids)],
            "service_type_id": self.service_type_id.id,
            "channel": "plan",
            "description": self.description
            or self.env._("Planned in %(plan)s", plan=plan.name),
            "is_major": self.is_major,
            "user_id": (
                company.qms_service_manager_id or plan.submitted_by_id or self.env.user
            ).id,
            "company_id": company.id,
        }
