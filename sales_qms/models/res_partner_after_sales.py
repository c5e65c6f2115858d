from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    qms_no_followup_visit = fields.Boolean(
        string="No Follow-up Visits",
        help="This customer asked not to be visited or called after deliveries.",
    )
