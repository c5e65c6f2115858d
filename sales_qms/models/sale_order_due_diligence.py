from odoo import api, fields, models
from odoo.exceptions import UserError


# one file per capability extending sale.order (STYLE.md), not one merged class
class SaleOrder(models.Model):
    """Customer due diligence before business: per company setting, a quotation
    is sent or confirmed only for a customer with an approved, valid due
    diligence."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        # an order created as confirmed skips action_confirm: the same gate
        confirmed = orders.filtered(lambda o: o.state == "sale")
        if confirmed:
            confirmed._qms_check_due_diligence()
        return orders

    def write(self, vals):
        if vals.get("state") == "sale":
            # the hard check: no path to a confirmed order skips it
            self.filtered(
                lambda o: o.state in ("draft", "sent")
            )._qms_check_due_diligence()
        return super().write(vals)

    def _qms_due_diligence_error(self):
        """Why this order's customer cannot be sent a quotation or confirmed an
        order yet, or False. The partners of every order being handled (the
        prefetch set) are checked in one query, cached by the ORM for the day."""
        self.ensure_one()
        company = self.company_id
        if not company.qms_due_diligence_required or not self.partner_id:
            return False
        # the user's day when the client says its time zone (no query for it)
        day = (
            fields.Date.context_today(self)
            if self.env.context.get("tz")
            else fields.Date.today()
        )
        partner = self.partner_id.with_company(company).with_context(
            qms_due_diligence_day=day
        )
        if partner.qms_due_diligence_valid:
            return False
        return self.env._(
            "%(order)s: %(customer)s has no approved, valid due diligence. "
            "Evaluate the customer first (Sales QMS > Customers > Due Diligence).",
            order=self.name,
            customer=self.partner_id.commercial_partner_id.display_name,
        )

    def _qms_check_due_diligence(self):
        for order in self:
            error = order._qms_due_diligence_error()
            if error:
                raise UserError(error)

    def _confirmation_error_message(self):
        return super()._confirmation_error_message() or self._qms_due_diligence_error()

    def _qms_check_send(self):
        res = super()._qms_check_send()
        self.filtered(lambda o: o.state in ("draft", "sent"))._qms_check_due_diligence()
        return res
