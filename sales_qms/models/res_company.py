from odoo import fields, models


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
