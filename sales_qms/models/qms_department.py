from odoo import api, fields, models


class QmsDepartment(models.Model):
    """A department that reviews the part of a contract it owns."""

    _name = "qms.department"
    _inherit = ["qms.system.fields.mixin"]
    _description = "Contract Review Department"
    _qms_field_ranges = {"deadline_days": (0, None)}
    _order = "is_final, sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short technical code, e.g. 'finance'.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to use this department in every company.",
    )
    user_ids = fields.Many2many(
        "res.users",
        "qms_department_user_rel",
        "department_id",
        "user_id",
        string="Reviewers",
        domain=[("share", "=", False)],
    )
    applies_to = fields.Selection(
        [("all", "All contracts"), ("special", "Special contracts only")],
        required=True,
        default="all",
    )
    is_final = fields.Boolean(
        string="Final Signature",
        help="Signs after every other department has approved (the general "
        "manager for special contracts).",
    )
    checklist = fields.Text(
        string="Review Checklist",
        translate=True,
        help="What this department checks in a contract.",
    )
    requirement_category_ids = fields.Many2many(
        "qms.requirement.category",
        "qms_department_requirement_category_rel",
        "department_id",
        "category_id",
        string="Requirement Categories",
        help="The customer requirements of these categories are shown on this "
        "department's review line.",
    )
    show_margin = fields.Boolean(
        string="Sees Margins",
        help="Its reviewers see the order's margin on the review (the departments "
        "that judge prices: sales, finance, the general manager).",
    )
    deadline_days = fields.Integer(
        string="Deadline (days)",
        default=2,
        help="Days a reviewer has to decide before reminders are sent.",
    )

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "The department code must be unique per company.",
        ),
    ]

    @api.model
    def _get_review_departments(self, company, contract_type):
        """Departments that review a contract of this type in this company."""
        domain = [("company_id", "in", [False, company.id])]
        if contract_type != "special":
            domain.append(("applies_to", "=", "all"))
        return self.search(domain)
