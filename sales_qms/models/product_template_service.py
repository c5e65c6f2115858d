from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    """Products whose units the customer service follows after delivery
    (用户信息管理系统): each delivered serial, or lot line, becomes an installed
    product at the customer."""

    _inherit = "product.template"

    qms_track_installed = fields.Boolean(
        string="Track Installed Base",
        help="Record every unit delivered to a customer in the installed base "
        "(one record per serial number, or per delivered lot line), with its "
        "configuration, warranty and service history.",
    )
    qms_warranty_months = fields.Integer(
        string="Warranty (months)",
        default=12,
        help="Warranty from installation (or delivery when not installed yet); "
        "parts used under warranty are free of charge.",
    )

    @api.constrains("qms_warranty_months")
    def _check_qms_warranty_months(self):
        for template in self:
            if not 0 <= template.qms_warranty_months <= 600:
                raise ValidationError(
                    self.env._(
                        "%(product)s: the warranty is between 0 and 600 months.",
                        product=template.display_name,
                    )
                )
