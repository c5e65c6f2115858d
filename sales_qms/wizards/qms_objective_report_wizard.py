from odoo import api, fields, models
from odoo.exceptions import UserError


class QmsObjectiveReportWizard(models.TransientModel):
    """Choose the year and print the Quality Objectives Statistics
    (质量目标统计表)."""

    _name = "qms.objective.report.wizard"
    _inherit = ["qms.input.mixin"]
    _description = "Quality Objectives Statistics"

    year = fields.Integer(
        required=True,
        default=lambda self: fields.Date.context_today(self).year,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.constrains("year")
    def _check_year(self):
        for wizard in self:
            if not 1900 <= wizard.year <= 2999:
                raise UserError(self.env._("Give a year such as 2026."))

    def action_print(self):
        self.ensure_one()
        return self.env.ref("sales_qms.action_report_quality_objectives").report_action(
            self, data=self._prepare_report_data()
        )

    def _prepare_report_data(self):
        return {"year": self.year, "company_id": self.company_id.id}
