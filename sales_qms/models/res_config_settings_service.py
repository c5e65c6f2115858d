from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    qms_service_manager_id = fields.Many2one(
        related="company_id.qms_service_manager_id", readonly=False
    )
    qms_qualification_warning_days = fields.Integer(
        related="company_id.qms_qualification_warning_days", readonly=False
    )
    qms_service_repeat_days = fields.Integer(
        related="company_id.qms_service_repeat_days", readonly=False
    )
    qms_service_parts_location_id = fields.Many2one(
        related="company_id.qms_service_parts_location_id", readonly=False
    )
