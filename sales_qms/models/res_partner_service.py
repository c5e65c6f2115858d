from odoo import fields, models


class ResPartner(models.Model):
    """A customer's installed base (用户信息管理系统) from its form."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    qms_installed_count = fields.Integer(
        string="Installed Base", compute="_compute_qms_installed_count"
    )

    def _compute_qms_installed_count(self):
        Installed = self.env["qms.installed.product"]
        if not Installed.has_access("read"):
            self.qms_installed_count = 0
            return
        counts = dict(
            Installed._read_group(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("state", "in", ("delivered", "installed")),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.qms_installed_count = counts.get(partner.commercial_partner_id, 0)

    def action_qms_open_installed_base(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_installed_product_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action
