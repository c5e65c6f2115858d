from odoo import api, fields, models
from odoo.exceptions import UserError

from .qms_lot_status import QMS_LOT_STATUS


class QmsLotStatusLog(models.Model):
    _name = "qms.lot.status.log"
    _inherit = ["qms.audit.mixin"]
    _description = "Lot Inspection Status Log"
    _order = "date desc, id desc"
    _rec_name = "lot_id"

    lot_id = fields.Many2one("stock.lot", required=True, index=True, ondelete="cascade")
    product_id = fields.Many2one(related="lot_id.product_id", string="Product")
    old_status = fields.Selection(QMS_LOT_STATUS)
    new_status = fields.Selection(QMS_LOT_STATUS, required=True)
    reason = fields.Text(required=True)
    user_id = fields.Many2one("res.users", string="Changed By", required=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    source_ref = fields.Reference(
        selection="_selection_source_ref",
        string="Source Document",
        help="The inspection, claim, scrap or transfer behind the change; "
        "empty for a manual decision.",
    )
    company_id = fields.Many2one("res.company", index=True)

    @api.model
    def _selection_source_ref(self):
        return [(m.model, m.name) for m in self.env["ir.model"].sudo().search([])]

    def write(self, vals):
        if self:
            raise UserError(self.env._("Lot status log lines cannot be changed."))
        return super().write(vals)
