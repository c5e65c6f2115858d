import json
from urllib.parse import quote

from odoo import api, fields, models
from odoo.exceptions import MissingError, UserError


class QmsReportPrintWizard(models.TransientModel):
    """Print an audit record in the language the reader chooses.

    Audit records are for the company: they print in the language of the user
    who prints (the standard Print menu does so); this dialog lets them choose
    another installed language, e.g. an English record of a Chinese customer's
    review for an English-speaking auditor."""

    _name = "qms.report.print.wizard"
    _inherit = ["qms.input.mixin"]
    _description = "Print an Audit Record"

    report_id = fields.Many2one(
        "ir.actions.report", required=True, readonly=True, ondelete="cascade"
    )
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_ids = fields.Char(
        string="Records", required=True, readonly=True, help="Comma-separated ids."
    )
    lang = fields.Selection(
        selection="_get_languages",
        string="Language",
        required=True,
        default=lambda self: self.env["ir.actions.report"]._qms_report_lang(),
    )

    @api.model
    def _get_languages(self):
        languages = self.env["res.lang"].get_installed()
        if "en_US" not in dict(languages):
            # the source language prints even where it is not activated
            languages = [("en_US", "English (US)"), *languages]
        return languages

    @api.model
    def _open(self, report_xmlid, records):
        """The print action of ``records``: the report itself when one language
        is installed, else this dialog. The records exist and the user may
        read them (a Print button called over RPC on a missing or foreign
        record is refused, not answered)."""
        missing = records - records.exists()
        if missing:
            raise MissingError(
                self.env._(
                    "%(model)s %(ids)s does not exist or was deleted.",
                    model=records._description,
                    ids=", ".join(map(str, missing.ids))[:80],
                )
            )
        records.check_access("read")
        report = self.env.ref(report_xmlid)
        if len(self._get_languages()) < 2:
            return report.report_action(records)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Print %(report)s", report=report.name),
            "res_model": self._name,
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_report_id": report.id,
                "default_res_model": records._name,
                "default_res_ids": ",".join(str(i) for i in records.ids),
            },
        }

    def action_print(self):
        self.ensure_one()
        records = self._records()
        report = self.report_id.sudo()
        if report.model != records._name:
            raise UserError(
                self.env._(
                    "%(report)s does not print these records.", report=report.name
                )
            )
        records.check_access("read")
        context = quote(json.dumps({"qms_report_lang": self.lang}))
        ids = ",".join(str(i) for i in records.ids)
        return {
            "type": "ir.actions.act_url",
            "url": f"/report/pdf/{report.report_name}/{ids}?context={context}",
            "target": "new",
        }

    def _records(self):
        try:
            ids = [int(i) for i in (self.res_ids or "").split(",") if i.strip()]
        except ValueError as error:
            raise UserError(self.env._("Nothing to print.")) from error
        if self.res_model not in self.env or not ids:
            raise UserError(self.env._("Nothing to print."))
        records = self.env[self.res_model].browse(ids).exists()
        if not records:
            raise UserError(self.env._("Nothing to print."))
        return records
