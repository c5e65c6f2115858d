from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    qms_representative_id = fields.Many2one(
        "res.users",
        string="Management Representative",
        help="The person who answers for the quality management system; "
        "named on every Sales QMS audit report.",
    )
    qms_procedure_ref = fields.Char(
        string="Procedure Reference",
        default="QP-7.2",
        help="Document number of the company's sales and service process "
        "control procedure, printed on Sales QMS audit reports.",
    )
    qms_aftersales_contacts = fields.Text(
        string="After-sales Contacts",
        translate=True,
        help="Who the customer calls after delivery, with phone numbers; printed on "
        "the delivery slip.",
    )
    qms_claim_rules = fields.Text(
        string="Claim Rules",
        translate=True,
        help="How and within which time the customer claims, returns or exchanges "
        "goods; printed on the delivery slip.",
    )
