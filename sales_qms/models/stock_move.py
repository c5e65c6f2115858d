from odoo import models

from .stock_picking import VALIDATING_KEY


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_confirm(self, merge=True, merge_into=False):
        moves = super()._action_confirm(merge=merge, merge_into=merge_into)
        # the moves returned are every move of self that still exists (merged
        # moves are deleted) and the moves they were merged into: no query
        # needed to tell which exist
        moves.picking_id._qms_ensure_inspection()
        return moves

    def _action_assign(self, force_qty=False):
        # read before: reserving deletes no move, and the pickings are known
        pickings = self.picking_id
        res = super()._action_assign(force_qty=force_qty)
        pickings._qms_ensure_inspection()
        # the lots reserved for customers were read as qualified: a status
        # change of one of them at the same moment writes its row too, so one
        # of the two transactions is replayed and sees the other (core
        # reserves quants with SKIP LOCKED: the quants are no common row)
        self.filtered(
            lambda m: m.product_id.tracking != "none" and m._qms_is_customer_bound()
        ).move_line_ids.lot_id._qms_serialize()
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

    def _qms_is_customer_bound(self):
        """Whether the goods of this move are on their way to a customer: the
        delivery itself, or the pick and pack steps before it."""
        self.ensure_one()
        seen = set()
        todo = self
        while todo:
            move = todo[0]
            todo = todo[1:]
            if move.id in seen:
                continue
            seen.add(move.id)
            if "customer" in (
                move.location_dest_id.usage,
                move.location_final_id.usage,
            ):
                return True
            todo |= move.move_dest_ids
        return False

    def _update_reserved_quantity(  # noqa: PLR0917
        self,
        need,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=True,
    ):
        # only qualified (or released) lots are reserved for customers: the
        # quant gathering reads the allowed lots from the context, which is
        # always set here so a caller's context cannot widen it
        move = self
        if self.product_id.tracking != "none" and self._qms_is_customer_bound():
            released = self.picking_id._qms_released_lots()
            move = self.with_context(qms_shipping_lot_ids=tuple(released.ids))
        elif "qms_shipping_lot_ids" in self.env.context:
            move = self.with_context(qms_shipping_lot_ids=None)
        return super(StockMove, move)._update_reserved_quantity(
            need,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
        )
