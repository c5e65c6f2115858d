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
