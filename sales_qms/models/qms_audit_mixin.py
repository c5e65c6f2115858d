from odoo import api, models
from odoo.exceptions import UserError


class QmsAuditMixin(models.AbstractModel):
    """An audit record: reviews, signatures, inspections, status changes,
    claims. Never deleted, and its system fields are set by the system only
    (see ``qms.system.fields.mixin``); each model adds the rules that freeze it
    once decided."""

    _name = "qms.audit.mixin"
    _inherit = ["qms.system.fields.mixin"]
    _description = "Sales QMS audit record"

    @api.ondelete(at_uninstall=False)
    def _unlink_except_audit_record(self):
        if self:
            raise UserError(self._qms_audit_unlink_message())

    def _qms_audit_unlink_message(self):
        return self.env._(
            "%(records)s: %(model)s records are audit records and are never deleted.",
            records=", ".join(self[:5].mapped("display_name")),
            model=self._description,
        )
