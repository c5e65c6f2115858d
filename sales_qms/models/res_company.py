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
