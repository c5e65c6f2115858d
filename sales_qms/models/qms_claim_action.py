from odoo import api, fields, models
from odoo.exceptions import UserError


class QmsClaimAction(models.Model):
    """An immediate, corrective or preventive action taken on a claim, owned by
    a person with a due date; a claim closes only when all are done."""

    _name = "qms.claim.action"
    _inherit = ["qms.system.fields.mixin"]
    _description = "Claim Action"
    _order = "due_date, id"

    claim_id = fields.Many2one(
        "qms.claim", required=True, ondelete="cascade", index=True
    )
    kind = fields.Selection(
        [
            ("immediate", "Immediate"),
            ("corrective", "Corrective"),
            ("preventive", "Preventive"),
        ],
        required=True,
        default="corrective",
    )
    description = fields.Char(required=True)
    owner_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user
    )
    due_date = fields.Date()
    done_date = fields.Date(string="Done On")
    is_done = fields.Boolean(
        compute="_compute_is_done", store=True, string="Done", index=True
    )
    result = fields.Text()
    company_id = fields.Many2one(related="claim_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="claim_id.commercial_partner_id", string="Customer"
    )
    responsible_department = fields.Selection(
        related="claim_id.responsible_department", store=True
    )

    @api.depends("done_date")
    def _compute_is_done(self):
        for action in self:
            action.is_done = bool(action.done_date)

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions.claim_id._ensure_not_decided({"action_ids": True})
        return actions

    def write(self, vals):
        self.claim_id._ensure_not_decided({"action_ids": True})
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        self.claim_id._ensure_not_decided({"action_ids": True})
        if any(self.mapped("done_date")):
            raise UserError(
                self.env._("A done action is part of the claim's record: keep it.")
            )

    def action_done(self):
        for action in self.filtered(lambda a: not a.done_date):
            action.done_date = fields.Date.context_today(action)
        return True
