import io
import logging
from datetime import date, datetime

import lxml.html
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools.pdf import PdfFileReader, PdfFileWriter

_logger = logging.getLogger(__name__)

# top and bottom margins (mm) of the page band PDF: the band sits in the top
# margin of the audit paper format (sales_qms.paperformat_qms_audit, 28 mm)
BAND_MARGINS = {"data-report-margin-top": 6, "data-report-margin-bottom": 0}


class IrActionsReport(models.Model):
    """Audit reports of Sales QMS: the print language and the page band.

    Debian's wkhtmltopdf (unpatched Qt) ignores --header-html, and JavaScript in
    the body does not know the page it lands on. A report with ``qms_page_band``
    is therefore printed in two passes per document: the body, then, once its
    pages are counted, a band per page (company, title, document number with
    the procedure number, date, "Page x of y") rendered by wkhtmltopdf in the
    same fonts and laid on each page of the body. The band is page content:
    selectable, searchable and read by pdftotext, whatever the wkhtmltopdf
    build."""

    _inherit = "ir.actions.report"

    qms_page_band = fields.Boolean(
        string="Sales QMS Page Band",
        help="Lay the Sales QMS band (company, document number, date, page x of y) "
        "on every page. The report calls sales_qms.qms_audit_header, which names "
        "what the band prints.",
    )

    # ------------------------------------------------------------ template helpers
    @api.model
    def _qms_report_lang(self):
        """The language of an audit report: the one chosen when printing, else
        the reader's (the language the user works in), never the customer's."""
        # English is the source language: always printable
        installed = {"en_US", *dict(self.env["res.lang"].get_installed())}
        for lang in (
            self.env.context.get("qms_report_lang"),
            self.env.lang,
            self.env.user.lang,
        ):
            if lang in installed:
                return lang
        return "en_US"

    @api.model
    def _qms_document_number(self, company, number):
        """Document number with the procedure number: 'HDSS-CX-14/S00012'."""
        ref = (company.qms_procedure_ref or "").strip() if company else ""
        number = number or ""
        if ref and number:
            return f"{ref}/{number}"
        return ref or number

    @api.model
    def _qms_format_signed_on(self, value):
        """A signature's date and time in the reader's time zone."""
        if isinstance(value, datetime):
            return fields.Datetime.context_timestamp(self, value).strftime(
                "%Y-%m-%d %H:%M"
            )
        if isinstance(value, date):
            return value.strftime("%Y-%m-%d")
        return value or ""

    # ------------------------------------------------------------ page band
    def _run_wkhtmltopdf(  # noqa: PLR0917 (core's signature)
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        report = self._get_report(report_ref) if report_ref else self.browse()
        if not report.qms_page_band or self.env.context.get("qms_band_pass"):
            return super()._run_wkhtmltopdf(
                bodies,
                report_ref=report_ref,
                header=header,
                footer=footer,
                landscape=landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size,
            )
        # one pass per document: its pages are numbered from 1
        documents = []
        for body in bodies:
            pdf = super()._run_wkhtmltopdf(
                [body],
                report_ref=report_ref,
                header=header,
                footer=footer,
                landscape=landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size,
            )
            band = self._qms_band_values(body)
            if band:
                pdf = self._qms_lay_band(
                    pdf, band, report, landscape, specific_paperformat_args
                )
            documents.append(pdf)
        if len(documents) == 1:
            return documents[0]
        writer = PdfFileWriter()
        for pdf in documents:
            for page in PdfFileReader(io.BytesIO(pdf), strict=False).pages:
                writer.add_page(page)
        with io.BytesIO() as buffer:
            writer.write(buffer)
            return buffer.getvalue()

    @api.model
    def _qms_band_values(self, body):
        """What the band of this document prints, from the marker that
        sales_qms.qms_audit_header leaves in the body; None without one."""
        try:
            root = lxml.html.fromstring(body)
        except (lxml.etree.ParserError, ValueError):
            return None
        marker = root.find_class("o_qms_page_band")
        if not marker:
            return None
        node = marker[0]
        return {
            key: node.get(f"data-{key}") or ""
            for key in ("company", "title", "number", "date", "lang")
        }

    def _qms_band_pdf(self, band, pages, report, landscape, paperformat_args):
        """The band of each page, one page of band per page of the body."""
        lang = band.get("lang") or "en_US"
        env = self.with_context(lang=lang).env
        labels = {
            "number": env._("Document No."),
            "date": env._("Date"),
        }
        page_labels = [
            env._("Page %(page)s of %(pages)s", page=number, pages=pages)
            for number in range(1, pages + 1)
        ]
        IrQweb = self.env["ir.qweb"].with_context(lang=lang)
        html = IrQweb._render(
            "sales_qms.qms_audit_page_band",
            {"band": band, "labels": labels, "pages": page_labels},
        )
        layout = self._get_layout()
        body = IrQweb._render(
            layout.id,
            {
                "subst": False,
                "body": Markup(html),
                "base_url": self._get_report_url(layout=layout),
                "report_xml_id": report.xml_id,
            },
        )
        return report.with_context(qms_band_pass=True)._run_wkhtmltopdf(
            [body],
            report_ref=report.id,
            landscape=landscape,
            specific_paperformat_args={**(paperformat_args or {}), **BAND_MARGINS},
        )

    def _qms_lay_band(self, pdf, band, report, landscape, paperformat_args):
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        pages = len(reader.pages)
        band_reader = PdfFileReader(
            io.BytesIO(
                self._qms_band_pdf(band, pages, report, landscape, paperformat_args)
            ),
            strict=False,
        )
        if len(band_reader.pages) != pages:
            # a band that does not fit its page would shift every later number
            _logger.warning(
                "%s: the page band has %s pages for %s pages of body; not laid",
                report.report_name,
                len(band_reader.pages),
                pages,
            )
            return pdf
        writer = PdfFileWriter()
        for page, band_page in zip(reader.pages, band_reader.pages, strict=True):
            page.merge_page(band_page)
            writer.add_page(page)
        with io.BytesIO() as buffer:
            writer.write(buffer)
            return buffer.getvalue()
