from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qms_representative_id = fields.Many2one(
        related="company_id.qms_representative_id", readonly=False
    )
    qms_procedure_ref = fields.Char(
        related="company_id.qms_procedure_ref", readonly=False
    )

    qms_claim_sla_minor_days = fields.Integer(
        related="company_id.qms_claim_sla_minor_days", readonly=False
    )
    qms_claim_sla_major_days = fields.Integer(
        related="company_id.qms_claim_sla_major_days", readonly=False
    )
    qms_claim_sla_critical_days = fields.Integer(
        related="company_id.qms_claim_sla_critical_days", readonly=False
    )
    qms_claim_service_user_id = fields.Many2one(
        related="company_id.qms_claim_service_user_id", readonly=False
    )
    qms_followup_visit_auto = fields.Boolean(
        related="company_id.qms_followup_visit_auto", readonly=False
    )
    qms_followup_visit_days = fields.Integer(
        related="company_id.qms_followup_visit_days", readonly=False
    )
    qms_aftersales_contacts = fields.Text(
        related="company_id.qms_aftersales_contacts", readonly=False
    )
    qms_claim_rules = fields.Text(related="company_id.qms_claim_rules", readonly=False)
