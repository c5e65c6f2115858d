from odoo import api, models


class PortalShare(models.TransientModel):
    _inherit = "portal.share"

    # "Share" hands the customer a link to the quotation: the setting that blocks
    # sending before the contract review is approved blocks it too, when the
    # wizard opens (the link is shown there) and when it sends
    @api.model
    def default_get(self, fields):
        result = super().default_get(fields)
        if result.get("res_model") == "sale.order" and result.get("res_id"):
            self.env["sale.order"].browse(result["res_id"])._qms_check_send()
        return result

    def action_send_mail(self):
        for wizard in self.filtered(lambda w: w.res_model == "sale.order"):
            self.env["sale.order"].browse(wizard.res_id)._qms_check_send()
        return super().action_send_mail()
