from odoo import models


class QmsServiceReportWizard(models.TransientModel):
    """From the month of the monthly service report: the technicians'
    evaluations of that month."""

    _inherit = "qms.service.report.wizard"

    def action_generate_evaluations(self):
        self.ensure_one()
        evaluations = self.env["qms.service.evaluation"]._generate(
            self.date_from, self.date_to, self.company_id
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_service_evaluation_action"
        )
        action["domain"] = [("id", "in", evaluations.ids)]
        action["context"] = {}
        return action
