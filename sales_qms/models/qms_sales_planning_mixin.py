from odoo import models
from odoo.exceptions import AccessError

SALES_MANAGER = "sales_team.group_sale_manager"
QMS_MANAGER = "sales_qms.group_qms_manager"


class QmsSalesPlanningMixin(models.AbstractModel):
    """Sales planning documents (targets, plans, task orders, evaluations):
    set and decided by sales managers and QMS managers. For models that also
    inherit ``qms.system.fields.mixin`` (the system's own writes pass)."""

    _name = "qms.sales.planning.mixin"
    _description = "Sales QMS planning document"

    def _qms_is_sales_manager(self):
        user = self.env.user
        return user.has_group(SALES_MANAGER) or user.has_group(QMS_MANAGER)

    def _qms_check_sales_manager(self, message):
        """Refuse a user who is neither a sales manager nor a QMS manager with
        an AccessError whose text is ``message(user)``; the superuser and the
        system pass."""
        if self.env.su or self._qms_is_system_write():
            return
        if not self._qms_is_sales_manager():
            raise AccessError(message(self.env.user))
