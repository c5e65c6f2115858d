from odoo import api, fields, models

from .qms_requirement_category import REQUIREMENT_CATEGORIES

REQUIREMENT_KINDS = [
    ("stated", "Stated by the customer"),
    ("implied", "Implied by the intended use"),
    ("statutory", "Statutory and regulatory"),
    ("company", "Added by the company"),
]
REQUIREMENT_SOURCES = [
    ("document", "Document"),
    ("tender", "Tender"),
    ("quotation", "Quotation"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("visit", "Visit"),
    ("standard", "Standard or regulation"),
    ("internal", "Internal"),
    ("other", "Other"),
]
# what a requirement says: a change of these on a reviewed order is a change
# of the contract's content
CONTENT_FIELDS = ("kind", "category", "description")


class QmsCustomerRequirement(models.Model):
    """One requirement of the customer written into the contract review record
    (与产品有关要求的确定): stated, implied, statutory or added by the company."""

    _name = "qms.customer.requirement"
    _inherit = ["qms.system.fields.mixin"]
    _description = "Customer Requirement"
    _order = "order_id, sequence, id"
    _rec_name = "description"

    order_id = fields.Many2one(
        "sale.order", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="order_id.company_id", store=True, index=True, string="Company"
    )
    sequence = fields.Integer(default=10)
    kind = fields.Selection(REQUIREMENT_KINDS, required=True, default="stated")
    category = fields.Selection(REQUIREMENT_CATEGORIES, required=True)
    description = fields.Text(required=True)
    source = fields.Selection(REQUIREMENT_SOURCES, default="document")
    confirmed_by_customer = fields.Boolean(
        help="The customer confirmed this requirement as written."
    )
    confirmed_on = fields.Date(string="Confirmed on")
    differs_from_offer = fields.Boolean(
        string="Differs from Quotation/Tender",
        help="The requirement differs from the earlier quotation or tender: it is "
        "resolved with the customer before the review is requested.",
    )
    resolution = fields.Text(
        help="How the difference with the quotation or tender was resolved."
    )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        for order, reqs in records.grouped("order_id").items():
            order._qms_on_requirements_change(
                [
                    {
                        "description": req._qms_label(),
                        "before": "",
                        "after": req.description,
                    }
                    for req in reqs
                ]
            )
        return records

    def write(self, vals):
        self._qms_check_input(vals)
        watched = [f for f in CONTENT_FIELDS if f in vals]
        before = {}
        if watched:
            before = {req: (req._qms_label(), req.description) for req in self}
        res = super().write(vals)
        if before:
            changes = {}
            for req, (label, text) in before.items():
                if (label, text) != (req._qms_label(), req.description):
                    changes.setdefault(req.order_id, []).append(
                        {
                            "description": req._qms_label(),
                            "before": f"{label}: {text}",
                            "after": req.description,
                        }
                    )
            for order, order_changes in changes.items():
                order._qms_on_requirements_change(order_changes)
        return res

    def unlink(self):
        changes = {}
        for req in self:
            changes.setdefault(req.order_id, []).append(
                {
                    "description": req._qms_label(),
                    "before": req.description,
                    "after": self.env._("(removed)"),
                }
            )
        res = super().unlink()
        for order, order_changes in changes.items():
            order._qms_on_requirements_change(order_changes)
        return res

    # ------------------------------------------------------------ helpers
    def _qms_label(self):
        self.ensure_one()
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        categories = dict(self._fields["category"]._description_selection(self.env))
        return self.env._(
            "Requirement (%(kind)s, %(category)s)",
            kind=kinds.get(self.kind, ""),
            category=categories.get(self.category, ""),
        )

    @api.onchange("confirmed_by_customer")
    def _onchange_confirmed_by_customer(self):
        if self.confirmed_by_customer and not self.confirmed_on:
            self.confirmed_on = fields.Date.context_today(self)
