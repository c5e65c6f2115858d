from odoo import api, fields, models


# one file per capability extending sale.order (STYLE.md), not one merged class
class SaleOrder(models.Model):
    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    qms_claim_count = fields.Integer(
        string="Claims", compute="_compute_qms_claim_count"
    )

    def _compute_qms_claim_count(self):
        counts = dict(
            self.env["qms.claim"]._read_group(
                [("sale_order_id", "in", self.ids)], ["sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.qms_claim_count = counts.get(order, 0)

    @api.readonly
    def action_view_qms_claims(self):
        self._qms_check_readable()
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Claims"),
            "res_model": "qms.claim",
            "view_mode": "list,form",
            "domain": [("sale_order_id", "=", self.id)],
            "context": {
                "default_sale_order_id": self.id,
                "default_partner_id": self.partner_id.id,
            },
        }
