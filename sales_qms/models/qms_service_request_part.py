from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class QmsServiceRequestPart(models.Model):
    """A spare part used in a service: consumed from stock through a stock move
    to the customer (under warranty), or sold through a sales order and its
    delivery."""

    _name = "qms.service.request.part"
    _description = "Service Request Part"
    _inherit = ["qms.system.fields.mixin"]
    _order = "request_id, id"
    _check_company_auto = True
    _qms_system_fields = ("move_id", "sale_line_id")

    request_id = fields.Many2one(
        "qms.service.request",
        string="Service Request",
        required=True,
        index=True,
        ondelete="cascade",
    )
    product_id = fields.Many2one(
        "product.product", string="Part", required=True, check_company=True
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    quantity = fields.Float(
        default=1.0, required=True, digits="Product Unit of Measure"
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    billing = fields.Selection(
        [("warranty", "Free (warranty)"), ("sale", "Sold")],
        compute="_compute_billing",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="Free parts are consumed from the spare parts location when the "
        "work is done; sold parts go through a sales order and its delivery.",
    )
    move_id = fields.Many2one("stock.move", string="Stock Move", readonly=True)
    sale_line_id = fields.Many2one(
        "sale.order.line", string="Sales Order Line", readonly=True
    )
    status = fields.Selection(
        [
            ("to_do", "To Do"),
            ("consumed", "Consumed"),
            ("ordered", "Ordered"),
            ("delivered", "Delivered"),
        ],
        compute="_compute_status",
    )
    company_id = fields.Many2one(
        related="request_id.company_id", store=True, index=True
    )

    @api.depends("request_id")
    def _compute_billing(self):
        for part in self:
            if not part.billing:
                part.billing = "warranty" if part.request_id.under_warranty else "sale"

    @api.depends("move_id.state", "sale_line_id.qty_delivered")
    def _compute_status(self):
        for part in self:
            if part.move_id.state == "done":
                part.status = "consumed"
            elif part.sale_line_id:
                delivered = part.sale_line_id.qty_delivered >= part.quantity
                part.status = "delivered" if delivered else "ordered"
            else:
                part.status = "to_do"

    @api.constrains("quantity")
    def _check_quantity(self):
        for part in self:
            if part.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "%(part)s: the quantity used is greater than zero.",
                        part=part.product_id.display_name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    # the parts are part of the work report: the assigned technician or
    # customer service records them while the request is open
    @api.model_create_multi
    def create(self, vals_list):
        parts = super().create(vals_list)
        if not self._qms_is_system_write():
            parts._check_editable()
        return parts

    def write(self, vals):
        if not self._qms_is_system_write():
            self._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        self._check_editable()

    def _check_editable(self):
        requests = self.request_id
        requests.check_access("write")
        requests._check_worker(self.env._("Parts used"))
        for part in self:
            if part.request_id.state not in ("new", "scheduled", "in_progress"):
                raise UserError(
                    self.env._(
                        "%(request)s is %(state)s: its parts are kept as reported.",
                        request=part.request_id.name,
                        state=part.request_id.state,
                    )
                )
            if part.move_id or part.sale_line_id:
                raise UserError(
                    self.env._(
                        "The part %(part)s of %(request)s is already consumed or "
                        "ordered.",
                        part=part.product_id.display_name,
                        request=part.request_id.name,
                    )
                )

    # ------------------------------------------------------------ stock
    def _qms_consume(self):
        """Move the free parts from the spare parts location to the customer,
        with the lots named on the parts; one batch of moves."""
        parts = self.filtered(lambda p: p.billing == "warranty" and not p.move_id)
        if not parts:
            return self.env["stock.move"]
        moves = (
            self.env["stock.move"]
            .sudo()
            .create([part._prepare_consume_move_vals() for part in parts])
        )
        moves._action_confirm()
        moves._action_assign()
        for part, move in zip(parts, moves, strict=True):
            move.move_line_ids.unlink()
            self.env["stock.move.line"].sudo().create(
                {
                    "move_id": move.id,
                    "product_id": move.product_id.id,
                    "product_uom_id": move.product_uom.id,
                    "lot_id": part.lot_id.id,
                    "quantity": part.quantity,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                }
            )
        moves.picked = True
        moves._action_done()
        for part, move in zip(parts, moves, strict=True):
            part._qms_system_write({"move_id": move.id})
        return moves

    def _prepare_consume_move_vals(self):
        self.ensure_one()
        request = self.request_id
        company = request.company_id
        return {
            "name": self.env._(
                "%(request)s: %(part)s",
                request=request.name,
                part=self.product_id.display_name,
            ),
            "origin": request.name,
            "product_id": self.product_id.id,
            "product_uom_qty": self.quantity,
            "product_uom": self.product_id.uom_id.id,
            "location_id": company._qms_service_parts_location().id,
            "location_dest_id": request.partner_id.property_stock_customer.id,
            "partner_id": request.partner_id.id,
            "company_id": company.id,
        }

    def _prepare_sale_line_vals(self, order):
        self.ensure_one()
        return {
            "order_id": order.id,
            "product_id": self.product_id.id,
            "product_uom_qty": self.quantity,
        }
