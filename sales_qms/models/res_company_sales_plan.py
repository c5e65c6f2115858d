from odoo import api, fields, models
from odoo.exceptions import ValidationError

# evaluation component -> default weight (销售服务考核: results, satisfaction,
# teamwork; plus the quality record and deliveries the data shows)
EVALUATION_WEIGHTS = {
    "results": 40,
    "satisfaction": 20,
    "quality": 15,
    "delivery": 15,
    "teamwork": 5,
    "training": 5,
}


class ResCompany(models.Model):
    _inherit = "res.company"

    # Salesperson evaluation (issue 10): weights of the total score
    qms_eval_weight_results = fields.Integer(
        string="Weight: Target Achievement", default=40
    )
    qms_eval_weight_satisfaction = fields.Integer(
        string="Weight: Customer Satisfaction", default=20
    )
    qms_eval_weight_quality = fields.Integer(
        string="Weight: Quality Record", default=15
    )
    qms_eval_weight_delivery = fields.Integer(
        string="Weight: On-time Delivery", default=15
    )
    qms_eval_weight_teamwork = fields.Integer(string="Weight: Teamwork", default=5)
    qms_eval_weight_training = fields.Integer(string="Weight: Training", default=5)
    qms_eval_penalty = fields.Integer(
        string="Points per Claim or Rejected Review",
        default=10,
        help="The quality score starts at 100 and loses these points for each "
        "claim on the salesperson's orders and each contract review rejected.",
    )

    @api.constrains(
        *(f"qms_eval_weight_{name}" for name in EVALUATION_WEIGHTS), "qms_eval_penalty"
    )
    def _check_qms_eval_weights(self):
        for company in self:
            weights = company._qms_eval_weights()
            if any(w < 0 for w in weights.values()) or not sum(weights.values()):
                raise ValidationError(
                    self.env._(
                        "Evaluation weights are zero or more, and at least one is "
                        "above zero."
                    )
                )
            if company.qms_eval_penalty < 0:
                raise ValidationError(
                    self.env._("The points per claim cannot be negative.")
                )

    def _qms_eval_weights(self):
        self.ensure_one()
        return {name: self[f"qms_eval_weight_{name}"] for name in EVALUATION_WEIGHTS}
