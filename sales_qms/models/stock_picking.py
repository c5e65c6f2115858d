from odoo import models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _qms_check_amendment_review(self):
        """An amended contract is delivered only once the amendment is approved."""
        for picking in self:
            if picking.picking_type_code != "outgoing" or not picking.sale_id:
                continue
            review = picking.sale_id.sudo().qms_review_id
            if review.kind == "amendment" and review.state != "approved":
                raise UserError(
                    self.env._(
                        "%(picking)s cannot be validated: the amendment of "
                        "%(order)s (%(round)s) is not approved yet. Still missing: "
                        "%(departments)s.",
                        picking=picking.name,
                        order=picking.sale_id.name,
                        round=review.name,
                        departments=review.missing_department_names
                        or self.env._("customer confirmation"),
                    )
                )

    def button_validate(self):
        self._qms_check_amendment_review()
        return super().button_validate()

    def _action_done(self):
        self._qms_check_amendment_review()
        return super()._action_done()
