from odoo import fields, models


class QmsContractDowngradeWizard(models.TransientModel):
    _name = "qms.contract.downgrade.wizard"
    _inherit = ["qms.input.mixin"]
    _description = "Downgrade a Special Contract to General"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    special_reason_detail = fields.Text(
        related="order_id.qms_special_reason_detail", string="Matched Criteria"
    )
    reason = fields.Text(required=True, help="Why this contract is not special.")

    def action_confirm(self):
        self.ensure_one()
        self.order_id._qms_downgrade(self.reason)
        return {"type": "ir.actions.act_window_close"}
