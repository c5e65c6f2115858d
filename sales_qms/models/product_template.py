from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    qms_new_development = fields.Boolean(
        string="New Development",
        help="A product under new development: contracts selling it are special.",
    )
    qms_special_technical = fields.Boolean(
        string="Special Technical Requirements",
        help="Beyond the standard technical capability: contracts selling it "
        "are special.",
    )
    qms_capacity_qty = fields.Float(
        string="Capacity per Order",
        help="Largest quantity one contract can commit to; more makes the "
        "contract special (0: no limit).",
    )
