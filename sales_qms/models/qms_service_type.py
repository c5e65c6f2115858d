from odoo import api, fields, models
from odoo.exceptions import ValidationError


class QmsServiceType(models.Model):
    """A kind of after-sales service of the procedure: training, consulting,
    commissioning, repair, on-site support, spare parts."""

    _name = "qms.service.type"
    _description = "Service Type"
    _inherit = ["qms.system.fields.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Stable key used by integrations and reports: training, consulting, "
        "commissioning, repair, onsite, spare_parts.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    sla_hours = fields.Float(
        string="SLA (hours)",
        default=48.0,
        help="Hours from the request to the deadline of the service.",
    )
    qualification_required = fields.Boolean(
        default=True,
        help="Only a technician holding a valid certificate for this type of "
        "service on the scheduled date can be assigned (持证上岗).",
    )
    is_fix = fields.Boolean(
        string="Counts for First-time Fix",
        help="Requests of this type fix a problem: a new request on the same "
        "installed product soon after is a repeat.",
    )
    installs_product = fields.Boolean(
        string="Installs the Product",
        help="When a request of this type is done, its installed products are "
        "marked installed (commissioning).",
    )
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Empty: shared by all companies."
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "A service type code is unique per company.",
        )
    ]

    @api.constrains("sla_hours")
    def _check_sla_hours(self):
        for service_type in self:
            if not 0 < service_type.sla_hours <= 24 * 366:
                raise ValidationError(
                    self.env._(
                        "%(type)s: the SLA is a number of hours between 0 and one "
                        "year.",
                        type=service_type.display_name,
                    )
                )
