from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_representative_id = fields.Many2one(
        related="company_id.qms_representative_id", readonly=False
    )
    qms_procedure_ref = fields.Char(
        related="company_id.qms_procedure_ref", readonly=False
    )
