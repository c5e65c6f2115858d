from odoo import fields, models


class QmsSpecialReason(models.Model):
    """A criterion that makes a contract special (特殊合同)."""

    _name = "qms.special.reason"
    _inherit = ["qms.system.fields.mixin"]
    _description = "Special Contract Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(
        [
            ("new_product", "New product"),
            ("capacity", "Beyond capacity"),
            ("technical", "Beyond technical capability"),
            ("credit", "Collection risk"),
            ("margin", "Margin below threshold"),
        ],
        required=True,
    )
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Each criterion exists once."),
    ]
