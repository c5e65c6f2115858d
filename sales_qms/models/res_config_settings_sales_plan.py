from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

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
