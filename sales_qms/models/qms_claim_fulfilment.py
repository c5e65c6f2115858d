from collections import defaultdict

from odoo import Command, api, models
from odoo.exceptions import AccessError, UserError

LOT_STATUSES = ("nonconforming", "pending_disposition")


class QmsClaim(models.Model):
    """What a claim sets in motion: the return through Odoo's return wizard, the
    replacement delivery through the order's procurement, a draft credit note,
    and the status of the lots concerned."""

    _inherit = "qms.claim"

    # ------------------------------------------------------------ return
    def _ensure_service_user(self):
        """Returns, replacements and credit notes are customer service's
        decision; the documents are then made with the rights of the system, as
        the department needs no stock or accounting rights of its own."""
        self.check_access("write")
        if not self.env.su and not self.env.user.has_group(
            "sales_qms.group_qms_customer_service"
        ):
            raise AccessError(
                self.env._(
                    "Only customer service may create returns, replacements and "
                    "credit notes from a claim (group Sales QMS / Customer Service)."
                )
            )
        if self.stage in ("closed", "rejected"):
            raise UserError(self.env._("Claim %(claim)s is decided.", claim=self.name))
        return self.sudo()

    def _ensure_delivery(self):
        self.ensure_one()
        if not self.picking_id or self.picking_id.state != "done":
            raise UserError(
                self.env._(
                    "Claim %(claim)s names no done delivery: set the delivery first.",
                    claim=self.name,
                )
            )
        if not self.line_ids:
            raise UserError(
                self.env._("Claim %(claim)s has no products.", claim=self.name)
            )

    def _prepare_return_quantities(self):
        qty = defaultdict(float)
        for line in self.line_ids:
            qty[line.product_id] += line.quantity
        return qty

    def action_create_return(self):
        self.ensure_one()
        return self._ensure_service_user()._create_return()

    def _create_return(self):
        self.ensure_one()
        if self.claim_type not in ("return", "exchange"):
            raise UserError(
                self.env._("Only a return or an exchange claim returns goods.")
            )
        if self.return_picking_id and self.return_picking_id.state != "cancel":
            raise UserError(
                self.env._(
                    "Claim %(claim)s already has the return %(picking)s.",
                    claim=self.name,
                    picking=self.return_picking_id.name,
                )
            )
        self._ensure_delivery()
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=self.picking_id.id, active_model="stock.picking")
            .create({"picking_id": self.picking_id.id})
        )
        wanted = self._prepare_return_quantities()
        for wline in wizard.product_return_moves:
            qty = min(wanted.get(wline.product_id, 0.0), wline.move_id.quantity)
            wline.quantity = qty
            wanted[wline.product_id] -= qty
        picking = wizard._create_return()
        picking.origin = f"{picking.origin} / {self.name}"
        self._assign_claim_lots(picking)
        self.return_picking_id = picking
        self.message_post(
            body=self.env._("Return %(picking)s created.", picking=picking.name)
        )
        return self._open_record(picking)

    def _assign_claim_lots(self, picking):
        """The return takes back the lots named on the claim, not any lot."""
        for move in picking.move_ids.filtered(lambda m: m.has_tracking != "none"):
            lines = self.line_ids.filtered(
                lambda line, m=move: line.product_id == m.product_id and line.lot_id
            )
            if not lines:
                continue
            move.move_line_ids.unlink()
            self.env["stock.move.line"].create(
                [
                    {
                        "move_id": move.id,
                        "picking_id": picking.id,
                        "product_id": move.product_id.id,
                        "product_uom_id": move.product_uom.id,
                        "lot_id": line.lot_id.id,
                        "quantity": line.quantity,
                        "location_id": move.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                    }
                    for line in lines
                ]
            )

    # ------------------------------------------------------------ replacement
    def action_create_replacement(self):
        self.ensure_one()
        return self._ensure_service_user()._create_replacement()

    def _create_replacement(self):
        """Deliver the same products again through the order's procurement
        group, as Odoo's own exchange does."""
        self.ensure_one()
        if self.claim_type != "exchange":
            raise UserError(self.env._("Only an exchange claim gets a replacement."))
        if (
            self.replacement_picking_id
            and self.replacement_picking_id.state != "cancel"
        ):
            raise UserError(
                self.env._(
                    "Claim %(claim)s already has the replacement %(picking)s.",
                    claim=self.name,
                    picking=self.replacement_picking_id.name,
                )
            )
        self._ensure_delivery()
        picking = self.picking_id
        group = picking.group_id or self.env["procurement.group"].create(
            {"name": self.name, "partner_id": self.partner_id.id}
        )
        before = group.stock_move_ids
        procurements = [
            self.env["procurement.group"].Procurement(
                product,
                qty,
                product.uom_id,
                picking.location_dest_id,
                product.display_name,
                self.name,
                picking.company_id,
                self._prepare_replacement_proc_values(group),
            )
            for product, qty in self._prepare_return_quantities().items()
        ]
        self.env["procurement.group"].run(procurements)
        moves = group.stock_move_ids - before
        replacement = (
            moves.picking_id.filtered(lambda p: p.picking_type_code == "outgoing")[:1]
            or moves.picking_id[:1]
        )
        if not replacement:
            raise UserError(
                self.env._(
                    "No replacement delivery could be planned: check the routes."
                )
            )
        self.replacement_picking_id = replacement
        self.message_post(
            body=self.env._(
                "Replacement delivery %(picking)s planned.", picking=replacement.name
            )
        )
        return self._open_record(replacement)

    def _prepare_replacement_proc_values(self, group):
        picking = self.picking_id
        return {
            "group_id": group,
            "warehouse_id": picking.picking_type_id.warehouse_id,
            "partner_id": picking.partner_id.id,
            "location_final_id": picking.location_dest_id,
            "company_id": picking.company_id,
        }

    # ------------------------------------------------------------ credit note
    def action_create_credit_note(self):
        self.ensure_one()
        return self._ensure_service_user()._create_credit_note()

    def _create_credit_note(self):
        self.ensure_one()
        if self.claim_type not in ("compensation", "return"):
            raise UserError(
                self.env._("Only a compensation or return claim gets a credit note.")
            )
        if self.credit_note_id and self.credit_note_id.state != "cancel":
            raise UserError(
                self.env._(
                    "Claim %(claim)s already has the credit note %(move)s.",
                    claim=self.name,
                    move=self.credit_note_id.display_name,
                )
            )
        if not self.line_ids:
            raise UserError(
                self.env._("Claim %(claim)s has no products.", claim=self.name)
            )
        move = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(self._prepare_credit_note_vals())
        )
        self.credit_note_id = move
        self.message_post(
            body=self.env._(
                "Draft credit note %(move)s created.", move=move.display_name
            )
        )
        return self._open_record(move)

    def _prepare_credit_note_vals(self):
        self.ensure_one()
        return {
            "move_type": "out_refund",
            "partner_id": self.commercial_partner_id.id,
            "invoice_origin": self.name,
            "ref": self.env._("Claim %(claim)s", claim=self.name),
            "company_id": self.company_id.id,
            "invoice_line_ids": [
                Command.create(self._prepare_credit_note_line_vals(line))
                for line in self.line_ids
            ],
        }

    def _prepare_credit_note_line_vals(self, line):
        order_line = self.sale_order_id.order_line.filtered(
            lambda sol: sol.product_id == line.product_id
        )[:1]
        vals = {
            "product_id": line.product_id.id,
            "quantity": line.quantity,
            "price_unit": order_line.price_unit
            if order_line
            else line.product_id.lst_price,
        }
        if order_line:
            vals["sale_line_ids"] = [Command.link(order_line.id)]
            vals["tax_ids"] = [Command.set(order_line.tax_id.ids)]
        return vals

    # ------------------------------------------------------------ lot status
    def action_lot_nonconforming(self):
        return self._set_lot_status("nonconforming")

    def action_lot_pending_disposition(self):
        return self._set_lot_status("pending_disposition")

    def _set_lot_status(self, status):
        """Mark the claimed lots through the lot status method of the lot
        capability, so the status log names this claim as its source."""
        if status not in LOT_STATUSES:
            raise UserError(self.env._("A claim cannot set this lot status."))
        if "qms_status" not in self.env["stock.lot"]._fields:
            raise UserError(
                self.env._(
                    "Lot inspection status is not available: the lot status "
                    "capability of Sales QMS (field qms_status on lots) is not "
                    "installed."
                )
            )
        for claim in self:
            lots = claim.line_ids.lot_id
            if not lots:
                raise UserError(
                    self.env._("Claim %(claim)s names no lot.", claim=claim.name)
                )
            reason = self.env._(
                "Customer claim %(claim)s: %(cause)s",
                claim=claim.name,
                cause=claim.root_cause
                or dict(
                    claim._fields["claim_type"]._description_selection(claim.env)
                ).get(claim.claim_type),
            )
            lots.with_context(
                qms_status_source=f"qms.claim,{claim.id}"
            ).action_qms_set_status(status, reason)
        return True

    def _open_record(self, record):
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
        }

    @api.readonly
    def action_view_return(self):
        self._qms_check_readable()
        self.ensure_one()
        return self._open_record(self.return_picking_id)

    @api.readonly
    def action_view_replacement(self):
        self._qms_check_readable()
        self.ensure_one()
        return self._open_record(self.replacement_picking_id)

    @api.readonly
    def action_view_credit_note(self):
        self._qms_check_readable()
        self.ensure_one()
        return self._open_record(self.credit_note_id)
