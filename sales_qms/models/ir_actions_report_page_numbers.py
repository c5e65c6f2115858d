import io

from reportlab.pdfgen import canvas

from odoo import api, models
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

# Debian's wkhtmltopdf (unpatched Qt) prints no report footer: these reports get
# their page numbers stamped on the rendered PDF instead
PAGE_NUMBERED_REPORTS = {
    "sales_qms.report_qms_service_request",
    "sales_qms.report_qms_service_plan",
    "sales_qms.report_qms_service_evaluation",
}


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _qms_page_numbered_reports(self):
        return PAGE_NUMBERED_REPORTS

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        content, report_type = super()._render_qweb_pdf(
            report_ref, res_ids=res_ids, data=data
        )
        if report_type != "pdf" or not content:
            return content, report_type
        report = self._get_report(report_ref)
        if report.report_name not in self._qms_page_numbered_reports():
            return content, report_type
        return self._qms_stamp_page_numbers(content), report_type

    @api.model
    def _qms_stamp_page_numbers(self, content):
        """'x / y' at the foot of every page."""
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        pages = list(reader.pages)
        packet = io.BytesIO()
        stamp = canvas.Canvas(packet)
        for number, page in enumerate(pages, start=1):
            width = float(page.mediabox.width)
            stamp.setPageSize((width, float(page.mediabox.height)))
            stamp.setFont("Helvetica", 8)
            stamp.drawCentredString(width / 2, 14, f"{number} / {len(pages)}")
            stamp.showPage()
        stamp.save()
        stamps = PdfFileReader(packet)
        writer = PdfFileWriter()
        for page, overlay in zip(pages, stamps.pages, strict=True):
            page.merge_page(overlay)
            writer.add_page(page)
        output = io.BytesIO()
        writer.write(output)
        return output.getvalue()
