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
    _name = "res.company"
    _inherit = ["res.company", "qms.input.mixin"]
    _qms_field_ranges = {
        "qms_claim_sla_minor_days": (0, None),
        "qms_claim_sla_major_days": (0, None),
        "qms_claim_sla_critical_days": (0, None),
        "qms_followup_visit_days": (0, None),
        "qms_max_payment_days": (0, None),
        "qms_margin_threshold": (0, 100),
    }

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

    # after-sales: claim SLA per severity, follow-up visits
    qms_claim_sla_minor_days = fields.Integer(
        string="Minor Claim SLA (days)",
        default=15,
        help="Days to resolve a minor claim.",
    )
    qms_claim_sla_major_days = fields.Integer(
        string="Major Claim SLA (days)",
        default=7,
        help="Days to resolve a major claim.",
    )
    qms_claim_sla_critical_days = fields.Integer(
        string="Critical Claim SLA (days)",
        default=2,
        help="Days to resolve a critical claim.",
    )
    qms_claim_service_user_id = fields.Many2one(
        "res.users",
        string="Customer Service Contact",
        help="Receives the claims filed on the portal and the follow-up visits "
        "of customers without a salesperson.",
    )
    qms_followup_visit_auto = fields.Boolean(
        string="Plan Follow-up Visits",
        default=True,
        help="Plan a follow-up visit after each delivery to a customer.",
    )
    qms_followup_visit_days = fields.Integer(
        string="Follow-up Visit Delay (days)",
        default=30,
        help="Days after a delivery is done when the follow-up visit is due.",
    )

    # pre-delivery inspection: what the delivery slip tells the customer
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

    def _qms_claim_sla_days(self, severity):
        self.ensure_one()
        return {
            "minor": self.qms_claim_sla_minor_days,
            "major": self.qms_claim_sla_major_days,
            "critical": self.qms_claim_sla_critical_days,
        }.get(severity, self.qms_claim_sla_minor_days)

    # Contract review (issue 3): classification criteria and review rules
    qms_review_required = fields.Boolean(
        string="Contract Review Required",
        default=True,
        help="Quotations can be confirmed only after their latest contract "
        "review round is approved.",
    )
    qms_review_segregation = fields.Boolean(
        string="Segregation of Duties",
        default=True,
        help="The salesperson and the creator of an order cannot decide a "
        "review line of that order.",
    )
    qms_review_block_send = fields.Boolean(
        string="Block Sending Before Review",
        help="Quotations cannot be sent or shared with the customer before "
        "their contract review is approved.",
    )
    qms_crit_new_product = fields.Boolean(string="New Product Criterion", default=True)
    qms_new_product_mode = fields.Selection(
        [
            ("flag", "Flagged for new development"),
            ("flag_or_never_sold", "Flagged, or never sold before"),
        ],
        string="New Product Means",
        default="flag",
    )
    qms_crit_capacity = fields.Boolean(string="Capacity Criterion", default=True)
    qms_crit_technical = fields.Boolean(string="Technical Criterion", default=True)
    qms_crit_collection = fields.Boolean(
        string="Collection Risk Criterion", default=True
    )
    qms_max_payment_days = fields.Integer(
        string="Maximum Payment Days",
        default=90,
        help="A payment term longer than this makes the contract special "
        "(0: no limit).",
    )
    qms_crit_margin = fields.Boolean(string="Margin Criterion", default=True)
    qms_margin_threshold = fields.Float(
        string="Minimum Margin (%)",
        default=15.0,
        help="An order whose margin is below this percentage is special.",
    )

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

    # Customer due diligence and technical change notices (issue 12)
    qms_due_diligence_required = fields.Boolean(
        string="Due Diligence Required",
        help="A quotation of a customer without an approved, valid due diligence "
        "cannot be sent or confirmed.",
    )
    qms_due_diligence_months = fields.Integer(
        string="Due Diligence Validity (months)",
        default=12,
        help="How long an approved due diligence stays valid before the customer "
        "is evaluated again.",
    )
    qms_change_acceptance_required = fields.Boolean(
        string="Change Acceptance Required",
        help="A delivery of a product under a technical change to a customer who "
        "has not accepted the change cannot be validated.",
    )
    qms_change_lookback_months = fields.Integer(
        string="Technical Change Look-back (months)",
        default=12,
        help="Customers who received the product within these months are "
        "affected by a technical change.",
    )
