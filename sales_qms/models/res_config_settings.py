from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "qms.input.mixin"]

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
    # Contract review (issue 3)
    qms_review_required = fields.Boolean(
        related="company_id.qms_review_required", readonly=False
    )
    qms_review_segregation = fields.Boolean(
        related="company_id.qms_review_segregation", readonly=False
    )
    qms_review_block_send = fields.Boolean(
        related="company_id.qms_review_block_send", readonly=False
    )
    qms_crit_new_product = fields.Boolean(
        related="company_id.qms_crit_new_product", readonly=False
    )
    qms_new_product_mode = fields.Selection(
        related="company_id.qms_new_product_mode", readonly=False
    )
    qms_crit_capacity = fields.Boolean(
        related="company_id.qms_crit_capacity", readonly=False
    )
    qms_crit_technical = fields.Boolean(
        related="company_id.qms_crit_technical", readonly=False
    )
    qms_crit_collection = fields.Boolean(
        related="company_id.qms_crit_collection", readonly=False
    )
    qms_max_payment_days = fields.Integer(
        related="company_id.qms_max_payment_days", readonly=False
    )
    qms_crit_margin = fields.Boolean(
        related="company_id.qms_crit_margin", readonly=False
    )
    qms_margin_threshold = fields.Float(
        related="company_id.qms_margin_threshold", readonly=False
    )
    # Salesperson evaluation (issue 10)
    qms_eval_weight_results = fields.Integer(
        related="company_id.qms_eval_weight_results", readonly=False
    )
    qms_eval_weight_satisfaction = fields.Integer(
        related="company_id.qms_eval_weight_satisfaction", readonly=False
    )
    qms_eval_weight_quality = fields.Integer(
        related="company_id.qms_eval_weight_quality", readonly=False
    )
    qms_eval_weight_delivery = fields.Integer(
        related="company_id.qms_eval_weight_delivery", readonly=False
    )
    qms_eval_weight_teamwork = fields.Integer(
        related="company_id.qms_eval_weight_teamwork", readonly=False
    )
    qms_eval_weight_training = fields.Integer(
        related="company_id.qms_eval_weight_training", readonly=False
    )
    qms_eval_penalty = fields.Integer(
        related="company_id.qms_eval_penalty", readonly=False
    )
    # Customer due diligence and technical change notices (issue 12)
    qms_due_diligence_required = fields.Boolean(
        related="company_id.qms_due_diligence_required", readonly=False
    )
    qms_due_diligence_months = fields.Integer(
        related="company_id.qms_due_diligence_months", readonly=False
    )
    qms_change_acceptance_required = fields.Boolean(
        related="company_id.qms_change_acceptance_required", readonly=False
    )
    qms_change_lookback_months = fields.Integer(
        related="company_id.qms_change_lookback_months", readonly=False
    )
