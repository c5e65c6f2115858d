from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _qms_released_lots(self):
        """Lots an approved emergency release or concession lets ship on these
        pickings although they are not qualified.

        Meeting point with the delivery inspection: it returns the released
        lots; until releases exist there is no exception."""
        return self.env["stock.lot"]

    def _qms_schedule_lot_activity(self, lots, reason):
        """Tell who answers for this delivery that lots were taken off it."""
        self.ensure_one()
        user = self.user_id or self.company_id.qms_representative_id or self.env.user
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=user.id,
            summary=self.env._("Lots taken off the delivery"),
            note=self.env._(
                "Lots %(lots)s are no longer qualified (%(reason)s) and were "
                "unreserved from %(picking)s. Reserve other lots or wait for "
                "the disposition.",
                lots=", ".join(lots.mapped("name")),
                reason=reason,
                picking=self.name,
            ),
        )
