from odoo import api, models

CONTENT_FIELDS = {
    "product_id",
    "quantity",
    "lot_id",
    "lot_name",
    "product_uom_id",
    "move_id",
    "picking_id",
}


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.picking_id._qms_on_content_change()
        return lines

    def write(self, vals):
        if not CONTENT_FIELDS & vals.keys():
            return super().write(vals)
        pickings = self.picking_id
        res = super().write(vals)
        (pickings | self.picking_id)._qms_on_content_change()
        return res

    def unlink(self):
        pickings = self.picking_id
        res = super().unlink()
        pickings.exists()._qms_on_content_change()
        return res
