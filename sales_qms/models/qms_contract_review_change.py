from odoo import api, fields, models
from odoo.exceptions import UserError

CHANGE_KINDS = [
    ("field", "Field changed"),
    ("line_added", "Line added"),
    ("line_changed", "Line changed"),
    ("line_removed", "Line removed"),
    ("requirement", "Customer requirement"),
]


class QmsContractReviewChange(models.Model):
    """One change of an amendment round: what it was and what it becomes.

    What changed is stored as facts (``kind``, the field or the requirement's
    kind and category) and named in the reader's language (``label``); the
    values before and after are the record of the day, as they were shown.
    ``description`` keeps the words of the day (rounds recorded before the
    facts have only them)."""

    _name = "qms.contract.review.change"
    _inherit = ["qms.audit.mixin"]
    _description = "Contract Amendment Change"
    _order = "review_id, id"

    review_id = fields.Many2one(
        "qms.contract.review",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    description = fields.Char(required=True, readonly=True)
    kind = fields.Selection(CHANGE_KINDS, readonly=True)
    field_ref = fields.Char(
        string="Changed Field",
        readonly=True,
        help="The order's field that changed: 'sale.order.commitment_date'.",
    )
    requirement_kind = fields.Char(readonly=True)
    requirement_category = fields.Char(readonly=True)
    label = fields.Char(string="Change", compute="_compute_label")
    before = fields.Char(readonly=True)
    after = fields.Char(readonly=True)

    @api.depends_context("lang")
    @api.depends("kind", "field_ref", "description")
    def _compute_label(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        Requirement = self.env["qms.customer.requirement"]
        req_kinds = dict(Requirement._fields["kind"]._description_selection(self.env))
        categories = dict(
            Requirement._fields["category"]._description_selection(self.env)
        )
        for change in self:
            label = change.description
            if change.kind == "field" and change.field_ref:
                model, _dot, name = change.field_ref.rpartition(".")
                field = self.env[model]._fields.get(name) if model in self.env else None
                if field:
                    label = field._description_string(self.env)
            elif change.kind == "requirement":
                label = self.env._(
                    "Requirement (%(kind)s, %(category)s)",
                    kind=req_kinds.get(change.requirement_kind, ""),
                    category=categories.get(change.requirement_category, ""),
                )
            elif change.kind:
                label = kinds[change.kind]
            change.label = label

    def _qms_facts(self):
        """What a further round carries of these changes."""
        return [
            {
                "description": c.description,
                "kind": c.kind,
                "field_ref": c.field_ref,
                "requirement_kind": c.requirement_kind,
                "requirement_category": c.requirement_category,
                "before": c.before,
                "after": c.after,
            }
            for c in self
        ]

    def write(self, vals):
        if not self._qms_is_system_write():
            raise UserError(self.env._("Amendment changes are never edited."))
        return super().write(vals)
