from odoo import fields, models

from ..models.qms_lot_status import QMS_LOT_STATUS


class QmsLotStatusWizard(models.TransientModel):
    _name = "qms.lot.status.wizard"
    _inherit = ["qms.input.mixin"]
    _description = "Change Lot Inspection Status"

    lot_ids = fields.Many2many("stock.lot", string="Lots", required=True)
    new_status = fields.Selection(QMS_LOT_STATUS, required=True)
    reason = fields.Text(required=True)

    def action_apply(self):
        self.ensure_one()
        self.lot_ids.action_qms_set_status(self.new_status, self.reason)
        return {"type": "ir.actions.act_window_close"}
