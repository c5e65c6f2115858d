from odoo import models

from .stock_picking import VALIDATING_KEY


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_confirm(self, merge=True, merge_into=False):
        moves = super()._action_confirm(merge=merge, merge_into=merge_into)
        (moves | self.exists()).picking_id._qms_ensure_inspection()
        return moves

    def _action_assign(self, force_qty=False):
        res = super()._action_assign(force_qty=force_qty)
        self.exists().picking_id._qms_ensure_inspection()
        return res

    def _action_done(self, cancel_backorder=False):
        # the hard check: every way of validating a delivery ends here, whatever
        # the context says
        pickings = self.filtered(
            lambda m: m.state not in ("done", "cancel") and not m.scrapped
        ).picking_id
        pickings._qms_check_deliverable()
        # what _action_done itself does to the move lines is no change of content
        validating = self.env.cr.cache.setdefault(VALIDATING_KEY, set())
        added = set(pickings.ids) - validating
        validating |= added
        try:
            return super()._action_done(cancel_backorder=cancel_backorder)
        finally:
            validating -= added
