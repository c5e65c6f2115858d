from odoo import api, fields, models

# line fields whose change is a change of the contract's commercial content
QMS_LINE_FIELDS = (
    "product_id",
    "product_uom_qty",
    "product_uom",
    "price_unit",
    "discount",
)


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "qms.input.mixin"]

    qms_special_technical = fields.Boolean(
        string="Special Technical Requirements",
        help="This line asks for more than the standard technical capability: "
        "the contract becomes special.",
    )

    def _qms_watched(self):
        """Lines that belong to the contract: no sections, notes, down payments
        or re-invoiced expenses."""
        return self.filtered(
            lambda x: (
                not x.display_type
                and not x.is_downpayment
                and not x.is_expense
                and x.order_id.state in ("draft", "sent", "sale")
            )
        )

    def _qms_describe(self):
        self.ensure_one()
        return self.env._(
            "%(product)s × %(qty)s %(uom)s at %(price)s",
            product=self.product_id.display_name or self.name or "",
            qty=self.product_uom_qty,
            uom=self.product_uom.name or "",
            price=self.price_unit,
        )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # lines of a new order meet no round; added to a reviewed order, they
        # void its review (quotation) or open an amendment (confirmed order)
        # (a product delivered but not ordered is logged with no ordered quantity:
        # it commits nothing more to the customer)
        watched = lines._qms_watched().filtered(
            lambda x: x.product_uom_qty and x.order_id.sudo().qms_review_ids
        )
        watched._qms_notify_change(
            {line: ("line_added", "", line._qms_describe()) for line in watched}
        )
        return lines

    def write(self, vals):
        watched = [f for f in QMS_LINE_FIELDS if f in vals]
        if not watched:
            return super().write(vals)
        lines = self._qms_watched()
        before = {
            line: (line._qms_describe(), [line[f] for f in watched]) for line in lines
        }
        res = super().write(vals)
        changes = {
            line: ("line_changed", old_text, line._qms_describe())
            for line, (old_text, old) in before.items()
            if old != [line[f] for f in watched]
        }
        if changes:
            self.browse([line.id for line in changes])._qms_notify_change(changes)
        return res

    @api.ondelete(at_uninstall=False)
    def _qms_unlink_track(self):
        lines = self._qms_watched()
        if lines:
            lines._qms_notify_change(
                {line: ("line_removed", line._qms_describe(), "") for line in lines}
            )

    def _qms_notify_change(self, changes):
        """changes: {line: (kind, before, after)}, kind 'line_added',
        'line_changed' or 'line_removed'."""
        kinds = dict(
            self.env["qms.contract.review.change"]
            ._fields["kind"]
            ._description_selection(self.env)
        )
        for order, lines in self.grouped("order_id").items():
            if order.state in ("draft", "sent"):
                order._qms_invalidate(
                    "; ".join(
                        f"{kinds[changes[line][0]]}: "
                        f"{changes[line][2] or changes[line][1]}"
                        for line in lines
                    )
                )
            elif order.state == "sale":
                order._qms_open_amendment(
                    [
                        {
                            "description": kinds[changes[line][0]],
                            "kind": changes[line][0],
                            "before": changes[line][1],
                            "after": changes[line][2],
                        }
                        for line in lines
                    ]
                )
