from odoo import models


class StockMoveLine(models.Model):
    """The installed base follows the goods: validating a customer delivery of
    products flagged 'Track Installed Base' records them at the customer;
    validating a return takes them out. In bulk, whatever the number of lines."""

    _inherit = "stock.move.line"  # pylint: disable=consider-merging-classes-inherited

    def _action_done(self):
        # core deletes the lines left empty: the tracked ones are told apart
        # before, and only they are looked for afterwards (no query otherwise)
        tracked = self.filtered(
            lambda ml: ml.product_id.product_tmpl_id.qms_track_installed
        )
        res = super()._action_done()
        if tracked:
            tracked.exists()._qms_update_installed_base()
        return res

    def _qms_update_installed_base(self):
        lines = self.filtered(
            lambda ml: (
                ml.product_id.product_tmpl_id.qms_track_installed and ml.quantity > 0
            )
        )
        if not lines:
            return
        Installed = self.env["qms.installed.product"].sudo()
        delivered = lines.filtered(
            lambda ml: (
                ml.location_dest_id.usage == "customer"
                and ml.location_id.usage != "customer"
            )
        )
        returned = lines.filtered(
            lambda ml: (
                ml.location_id.usage == "customer"
                and ml.location_dest_id.usage != "customer"
            )
        )
        if delivered:
            Installed._create_from_move_lines(delivered)
        if returned:
            Installed._return_from_move_lines(returned)
