from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class QmsServiceReportWizard(models.TransientModel):
    """Choose the month and print the monthly service report (客户服务月报)."""

    _name = "qms.service.report.wizard"
    _inherit = ["qms.input.mixin"]
    _description = "Monthly Service Report"

    date_from = fields.Date(required=True, default=lambda self: self._default_from())
    date_to = fields.Date(
        required=True,
        default=lambda self: self._default_from() + relativedelta(months=1, days=-1),
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    lang = fields.Selection(
        selection=lambda self: self.env["qms.report.print.wizard"]._get_languages(),
        string="Language",
        required=True,
        default=lambda self: self.env["ir.actions.report"]._qms_report_lang(),
        help="The report is for the company: it prints in your language unless "
        "you choose another.",
    )

    @api.model
    def _default_from(self):
        return fields.Date.context_today(self).replace(day=1)

    def action_print(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("The period ends before it starts."))
        # the action's context travels with the report's data: its language is
        # the one the report prints in
        report = self.env.ref("sales_qms.action_report_service_monthly").with_context(
            lang=self.lang, qms_report_lang=self.lang
        )
        return report.report_action(self, data=self._prepare_report_data())

    def _prepare_report_data(self):
        return {
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
            "company_id": self.company_id.id,
        }
