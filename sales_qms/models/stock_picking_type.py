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

    def write(self, vals):
        res = super().write(vals)
        if {"qms_inspection_required", "code"} & vals.keys():
            self._qms_recompute_open_pickings()
        return res

    def _qms_recompute_open_pickings(self):
        """The inspection status of the open transfers of these types follows
        the setting; done and cancelled transfers keep theirs: they are
        history, and a company keeps millions of them."""
        pickings = (
            self.env["stock.picking"]
            .sudo()
            .search(
                [
                    ("picking_type_id", "in", self.ids),
                    ("state", "not in", ("done", "cancel")),
                ]
            )
        )
        self.env.add_to_compute(pickings._fields["qms_inspection_state"], pickings)
