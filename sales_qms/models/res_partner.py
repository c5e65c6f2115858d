from odoo import fields, models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "qms.input.mixin"]

    # after-sales
    qms_no_followup_visit = fields.Boolean(
        string="No Follow-up Visits",
        help="This customer asked not to be visited or called after deliveries.",
    )
    # lot status and recall scope
    qms_lot_count = fields.Integer(
        string="Lots Received",
        compute="_compute_qms_lot_count",
        groups="sales_qms.group_qms_user,stock.group_stock_user",
    )

    def _compute_qms_lot_count(self):
        commercial = self.commercial_partner_id
        groups = self.env["qms.recall.scope"]._read_group(
            [("partner_id", "in", commercial.ids)],
            ["partner_id"],
            ["lot_id:count_distinct"],
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.qms_lot_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_qms_received_lots(self):
        """The lots this customer received, one row per delivery."""
        self._qms_check_readable()
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_recall_scope_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_by_lot": 1}
        action["name"] = self.env._(
            "Lots received by %(partner)s",
            partner=self.commercial_partner_id.display_name,
        )
        return action
