from odoo import api, fields, models


class StockPickingType(models.Model):
    _name = "stock.picking.type"
    _inherit = ["stock.picking.type", "qms.input.mixin"]

    qms_inspection_required = fields.Boolean(
        string="Pre-delivery Inspection",
        compute="_compute_qms_inspection_required",
        store=True,
        readonly=False,
        help="Transfers of this type get a pre-delivery inspection as soon as they "
        "are confirmed and cannot be validated before the warehouse keeper and the "
        "QC inspector have signed it, or a release has been approved. On by default "
        "for delivery orders.",
    )

    @api.depends("code")
    def _compute_qms_inspection_required(self):
        # every company ships through its outgoing types: they need the inspection
        # of the procedure; receipts and internal transfers do not
        for picking_type in self:
            picking_type.qms_inspection_required = picking_type.code == "outgoing"
