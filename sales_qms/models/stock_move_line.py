from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import create_index
from odoo.tools.sql import drop_index

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

    def init(self):
        res = super().init()
        # core has no index on lot_id: the recall scope reads the done lines of
        # a lot, the lot's counters and releases its open lines too (a partial
        # index on the done lines served the first only)
        drop_index(self.env.cr, "stock_move_line_qms_lot_done_index", self._table)
        create_index(
            self.env.cr,
            "stock_move_line_qms_lot_index",
            self._table,
            ["lot_id"],
            where="lot_id IS NOT NULL",
        )
        return res

    def _action_done(self):
        self._qms_check_lot_status_for_customer()
        return super()._action_done()

    def _qms_check_lot_status_for_customer(self):
        """Refuse to deliver a lot that is not qualified to a customer, unless
        a release of the picking covers it. Runs on every validation path:
        button, batch, backorder wizard, direct _action_done."""
        shipped = self.filtered(
            lambda ml: (
                ml.lot_id
                and ml.quantity
                and ml.location_dest_id.usage == "customer"
                and ml.location_id.usage != "customer"
            )
        )
        # read as qualified, shipped: a status change of these lots at the
        # same moment writes their rows too, so one of the two is replayed
        shipped.lot_id._qms_serialize()
        lines = shipped.filtered(lambda ml: ml.lot_id.qms_status != "qualified")
        if not lines:
            return
        released = {
            picking: picking._qms_released_lots() for picking in lines.picking_id
        }
        blocked = lines.filtered(
            lambda ml: ml.lot_id not in released.get(ml.picking_id, ml.lot_id.browse())
        )
        if not blocked:
            return
        status = dict(
            self.env["stock.lot"]._fields["qms_status"]._description_selection(self.env)
        )
        raise UserError(
            self.env._(
                "Only qualified lots are delivered to customers. Not qualified:\n"
                "%(lines)s\nAsk a QC inspector to qualify the lot, or get an "
                "approved emergency release or concession for this delivery.",
                lines="\n".join(
                    f"- {ml.lot_id.name} ({ml.product_id.display_name}): "
                    f"{status[ml.lot_id.qms_status]}"
                    f"{' — ' + ml.picking_id.name if ml.picking_id else ''}"
                    for ml in blocked
                ),
            )
        )
