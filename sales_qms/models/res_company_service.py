from odoo import fields, models


class ResCompany(models.Model):
    """Settings of the service process (服务过程控制程序)."""

    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    qms_service_manager_id = fields.Many2one(
        "res.users",
        string="Service Manager",
        help="Head of customer service: warned before technicians' certificates "
        "expire, receives the service requests filed on the portal.",
    )
    qms_qualification_warning_days = fields.Integer(
        string="Certificate Expiry Warning (days)",
        default=30,
        help="A technician's certificate is 'expiring' this many days before it "
        "ends; the technician and the service manager are warned then.",
    )
    qms_service_repeat_days = fields.Integer(
        string="Repeat Service Window (days)",
        default=30,
        help="A new repair or on-site request for the same installed product "
        "within this many days of a done one is a repeat: the first one does not "
        "count as fixed the first time.",
    )
    qms_service_parts_location_id = fields.Many2one(
        "stock.location",
        string="Spare Parts Location",
        domain="[('usage', '=', 'internal')]",
        help="Where the spare parts used in service come from (a service van or "
        "the main stock); empty: the stock of the company's first warehouse.",
    )

    def _qms_service_parts_location(self):
        self.ensure_one()
        return (
            self.qms_service_parts_location_id
            or self.env["stock.warehouse"]
            .sudo()
            .search([("company_id", "=", self.id)], limit=1)
            .lot_stock_id
        )
