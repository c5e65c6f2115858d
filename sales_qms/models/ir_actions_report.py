import io

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from odoo import fields, models
from odoo.tools.pdf import OdooPdfFileReader, OdooPdfFileWriter


class IrActionsReport(models.Model):
    """Page x / y on Sales QMS audit reports. Debian's wkhtmltopdf (unpatched
    Qt) ignores report footers, so the numbers are stamped on each document's
    pages after rendering."""

    _inherit = "ir.actions.report"

    qms_page_numbers = fields.Boolean(
        string="Stamp Page Numbers",
        help="Print 'page / pages' at the foot of every page of each document "
        "(independent of wkhtmltopdf's footer support).",
    )

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        streams = super()._render_qweb_pdf_prepare_streams(report_ref, data, res_ids)
        report = self._get_report(report_ref)
        if not report.qms_page_numbers:
            return streams
        for entry in streams.values():
            if entry.get("stream") and not entry.get("attachment"):
                stamped = self._qms_stamp_page_numbers(entry["stream"])
                entry["stream"].close()
                entry["stream"] = stamped
        return streams

    def _qms_stamp_page_numbers(self, stream):
        reader = OdooPdfFileReader(stream, strict=False)
        count = reader.getNumPages()
        writer = OdooPdfFileWriter()
        for number in range(count):
            page = reader.getPage(number)
            width = float(page.mediaBox.getWidth()) or A4[0]
            overlay = io.BytesIO()
            pdf = canvas.Canvas(
                overlay, pagesize=(width, float(page.mediaBox.getHeight()))
            )
            pdf.setFont("Helvetica", 8)
            pdf.drawRightString(width - 28, 14, f"{number + 1} / {count}")
            pdf.save()
            overlay.seek(0)
            page.mergePage(OdooPdfFileReader(overlay, strict=False).getPage(0))
            writer.addPage(page)
        output = io.BytesIO()
        writer.write(output)
        output.seek(0)
        return output
