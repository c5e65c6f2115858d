from odoo import models


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _gather(  # noqa: PLR0917
        self,
        product_id,
        location_id,
        lot_id=None,
        package_id=None,
        owner_id=None,
        strict=False,
        qty=0,
    ):
        quants = super()._gather(
            product_id,
            location_id,
            lot_id=lot_id,
            package_id=package_id,
            owner_id=owner_id,
            strict=strict,
            qty=qty,
        )
        # set by stock.move._update_reserved_quantity for customer-bound moves
        allowed = self.env.context.get("qms_shipping_lot_ids")
        if allowed is None:
            return quants
        return quants.filtered(
            lambda q: (
                not q.lot_id
                or q.lot_id.qms_status == "qualified"
                or q.lot_id.id in allowed
            )
        )
