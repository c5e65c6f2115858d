from odoo import fields, models
from odoo.exceptions import UserError


class QmsContractReviewChange(models.Model):
    """One change of an amendment round: what it was and what it becomes."""

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
    before = fields.Char(readonly=True)
    after = fields.Char(readonly=True)

    def write(self, vals):
        if not self._qms_is_system_write():
            raise UserError(self.env._("Amendment changes are never edited."))
        return super().write(vals)
