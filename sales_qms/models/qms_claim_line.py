import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare


class QmsClaimLine(models.Model):
    """One product (and lot) of a claim: a claim may cover several products of
    one delivery, so the customer files one claim, not one per line."""

    _name = "qms.claim.line"
    _inherit = ["qms.system.fields.mixin"]
    _description = "Claim Product"
    # zero is refused by the quantity_positive constraint
    _qms_field_ranges = {"quantity": (0, None)}

    claim_id = fields.Many2one(
        "qms.claim", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="claim_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", required=True, index=True)
    lot_id = fields.Many2one(
        "stock.lot",
        index="btree_not_null",
        domain="[('product_id', '=', product_id)]",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="product_id.uom_id")
    note = fields.Char(string="Problem")

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "The quantity must be positive.")
    ]

    @api.constrains("product_id", "lot_id", "quantity", "claim_id")
    def _check_delivered(self):
        # the rule is about stock history, which the claimant may not read
        for line in self.sudo():
            line._ensure_delivered()

    def _delivered_move_line_domain(self):
        """Done move lines that took this product (and lot) to this customer on
        the claim's delivery or order."""
        self.ensure_one()
        claim = self.claim_id
        domain = [
            ("state", "=", "done"),
            ("product_id", "=", self.product_id.id),
            ("location_dest_id.usage", "=", "customer"),
            (
                "picking_id.partner_id.commercial_partner_id",
                "=",
                claim.commercial_partner_id.id,
            ),
        ]
        if self.lot_id:
            domain.append(("lot_id", "=", self.lot_id.id))
        if claim.picking_id:
            domain.append(("picking_id", "=", claim.picking_id.id))
        elif claim.sale_order_id:
            domain.append(
                ("move_id.sale_line_id.order_id", "=", claim.sale_order_id.id)
            )
        return domain

    def _ensure_delivered(self):
        self.ensure_one()
        if not math.isfinite(self.quantity) or self.quantity <= 0:
            raise ValidationError(
                self.env._(
                    "Claim %(claim)s: the claimed quantity of %(product)s must be "
                    "greater than zero.",
                    claim=self.claim_id.name,
                    product=self.product_id.display_name,
                )
            )
        if self.lot_id and self.lot_id.product_id != self.product_id:
            raise ValidationError(
                self.env._(
                    "Lot %(lot)s is not a lot of %(product)s.",
                    lot=self.lot_id.name,
                    product=self.product_id.display_name,
                )
            )
        MoveLine = self.env["stock.move.line"].sudo()
        groups = MoveLine._read_group(
            self._delivered_move_line_domain(), [], ["quantity:sum", "__count"]
        )
        delivered, count = groups[0] if groups else (0.0, 0)
        claim = self.claim_id
        where = claim.picking_id.name or claim.sale_order_id.name
        if not count:
            what = (
                self.env._(
                    "lot %(lot)s of %(product)s",
                    lot=self.lot_id.name,
                    product=self.product_id.display_name,
                )
                if self.lot_id
                else self.product_id.display_name
            )
            if where:
                msg = self.env._(
                    "Claim %(claim)s: %(what)s was not delivered to %(partner)s on "
                    "%(where)s.",
                    claim=claim.name,
                    what=what,
                    partner=claim.commercial_partner_id.display_name,
                    where=where,
                )
            else:
                msg = self.env._(
                    "Claim %(claim)s: %(what)s was never delivered to %(partner)s.",
                    claim=claim.name,
                    what=what,
                    partner=claim.commercial_partner_id.display_name,
                )
            raise ValidationError(msg)
        rounding = self.product_id.uom_id.rounding
        if float_compare(self.quantity, delivered, precision_rounding=rounding) > 0:
            raise ValidationError(
                self.env._(
                    "Claim %(claim)s claims %(qty)s of %(product)s but only "
                    "%(delivered)s were delivered.",
                    claim=claim.name,
                    qty=self.quantity,
                    product=self.product_id.display_name,
                    delivered=delivered,
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.claim_id._ensure_not_decided({"line_ids": True})
        return lines

    def write(self, vals):
        self.claim_id._ensure_not_decided({"line_ids": True})
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_decided(self):
        self.claim_id._ensure_not_decided({"line_ids": True})
