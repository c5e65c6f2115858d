import logging

from odoo import models
from odoo.exceptions import UserError

from ..tools.pdf_text import searchable_pdf

_logger = logging.getLogger(__name__)

# the PDFs whose text sales_qms keeps searchable: its own reports and the
# delivery slip it extends (static/src/css/report_text.css gives them installed
# fonts, which wkhtmltopdf embeds as text)
QMS_TEXT_REPORT_PREFIX = "sales_qms."
QMS_TEXT_REPORTS = ("stock.report_deliveryslip",)


class IrActionsReport(models.Model):
    """What wkhtmltopdf gives back: a clean error when it cannot print, and
    searchable text in the PDFs of sales_qms. Loaded before the page band
    (ir_actions_report.py), so each pass of the band goes through here."""

    _inherit = "ir.actions.report"  # pylint: disable=consider-merging-classes-inherited

    def _qms_keeps_text(self):
        """Whether sales_qms keeps the text of this report's PDFs searchable."""
        self.ensure_one()
        return (self.report_name or "").startswith(
            QMS_TEXT_REPORT_PREFIX
        ) or self.report_name in QMS_TEXT_REPORTS

    def _run_wkhtmltopdf(  # noqa: PLR0917
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        try:
            pdf = super()._run_wkhtmltopdf(
                bodies,
                report_ref=report_ref,
                header=header,
                footer=footer,
                landscape=landscape,
                specific_paperformat_args=specific_paperformat_args,
                set_viewport_size=set_viewport_size,
            )
        except OSError as exc:
            # the binary vanished or cannot be run since the server started:
            # a message, not a traceback
            _logger.warning("wkhtmltopdf cannot be run: %s", exc)
            raise UserError(
                self.env._(
                    "The PDF cannot be printed: wkhtmltopdf, the program that "
                    "prints PDFs, cannot be run on the server (%(error)s). Ask "
                    "your administrator to install wkhtmltopdf; nothing was "
                    "changed.",
                    error=exc.strerror or exc,
                )
            ) from exc
        if not pdf.startswith(b"%PDF"):
            _logger.warning("wkhtmltopdf produced no PDF (%s bytes)", len(pdf))
            raise UserError(
                self.env._(
                    "The PDF cannot be printed: wkhtmltopdf ended without "
                    "producing a PDF. Ask your administrator to check wkhtmltopdf "
                    "on the server (see the server log); nothing was changed."
                )
            )
        report = self._get_report(report_ref) if report_ref else self
        if len(report) == 1 and report._qms_keeps_text():
            pdf = searchable_pdf(pdf, "".join([header or "", footer or "", *bodies]))
        return pdf
