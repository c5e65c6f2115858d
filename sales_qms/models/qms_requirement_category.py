from odoo import fields, models

# the categories of a customer requirement (与产品有关要求的确定): what the
# customer states, what the intended use needs, what the law asks
REQUIREMENT_CATEGORIES = [
    ("quality", "Quality"),
    ("price", "Price"),
    ("delivery", "Delivery"),
    ("transport", "Transport"),
    ("warranty", "Warranty"),
    ("training", "Training"),
    ("environment", "Environment"),
    ("safety", "Safety"),
    ("health", "Health"),
    ("other", "Other"),
]


class QmsRequirementCategory(models.Model):
    """A category of customer requirement, as data: each review department
    lists the categories it reviews (qms.department.requirement_category_ids)."""

    _name = "qms.requirement.category"
    _inherit = ["qms.system.fields.mixin"]
    _description = "Customer Requirement Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(REQUIREMENT_CATEGORIES, required=True)
    sequence = fields.Integer(default=10)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A requirement category exists once."),
    ]
