from odoo import fields, models

from ..models.qms_customer_property import DECISIONS


class QmsCustomerPropertyWizard(models.TransientModel):
    """Asks what a report of loss or damage, or a hand-over, records."""

    _name = "qms.customer.property.wizard"
    _inherit = ["qms.input.mixin"]
    _description = "Customer Property: Report or Hand Back"

    property_ids = fields.Many2many(
        "qms.customer.property",
        "qms_customer_property_wizard_rel",
        "wizard_id",
        "property_id",
        string="Customer Property",
        required=True,
    )
    mode = fields.Selection(
        [("problem", "Report loss or damage"), ("return", "Hand back")],
        required=True,
        default="problem",
    )
    problem_kind = fields.Selection([("lost", "Lost"), ("damaged", "Damaged")])
    problem_description = fields.Text(string="What Happened")
    decision_requested = fields.Selection(DECISIONS, string="Decision Asked for")
    received_by = fields.Char(string="Received back by")
    signature = fields.Image(
        string="Receiver's Signature", max_width=600, max_height=300
    )

    def action_confirm(self):
        self.ensure_one()
        if self.mode == "problem":
            self.property_ids.action_report_problem(
                kind=self.problem_kind or "missing",
                description=self.problem_description,
                decision=self.decision_requested,
            )
        else:
            self.property_ids.action_return(
                received_by=self.received_by or " ", signature=self.signature
            )
        return {"type": "ir.actions.act_window_close"}
