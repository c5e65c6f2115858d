from odoo import fields, models

from ..models.qms_claim import CONTACT_CHANNELS


class QmsTechnicalChangeResponseWizard(models.TransientModel):
    """The customer's answer to a technical change, received by phone or mail."""

    _name = "qms.technical.change.response.wizard"
    _inherit = ["qms.input.mixin"]
    _description = "Technical Change: Record the Customer's Answer"

    line_ids = fields.Many2many(
        "qms.technical.change.line",
        "qms_tc_response_wizard_line_rel",
        "wizard_id",
        "line_id",
        string="Affected Customers",
        required=True,
    )
    response = fields.Selection(
        [("accepted", "Accepted"), ("rejected", "Rejected")],
        required=True,
        default="accepted",
    )
    acknowledged_by = fields.Char(string="Answered by", required=True)
    channel = fields.Selection(
        CONTACT_CHANNELS, string="Received through", required=True, default="phone"
    )
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        self.line_ids.action_record_response(
            response=self.response,
            acknowledged_by=self.acknowledged_by,
            channel=self.channel,
            note=self.note,
        )
        return {"type": "ir.actions.act_window_close"}
