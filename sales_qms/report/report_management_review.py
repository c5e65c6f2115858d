from odoo import api, models


class ReportManagementReview(models.AbstractModel):
    """The management review report (管理评审报告): the review, its frozen
    inputs, its decisions, attendance and approval, in the reader's language."""

    _name = "report.sales_qms.report_management_review"
    _description = "Management Review Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        lang = self.env["ir.actions.report"]._qms_report_lang()
        docs = self.env["qms.management.review"].browse(docids).with_context(lang=lang)
        docs.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": "qms.management.review",
            "docs": docs,
            "lang": lang,
            "inputs_by_id": {
                review.id: review._qms_inputs_render_values()
                if review.input_data
                else False
                for review in docs
            },
        }
