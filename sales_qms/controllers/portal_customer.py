from urllib.parse import quote

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

MAX_NAME = 200
MAX_NOTE = 5_000


class TechnicalChangePortal(CustomerPortal):
    """/my/technical_changes/<line>: the customer reads the notice of a technical
    change and accepts or rejects it (a link with a token, sent in the notice)."""

    def _qms_change_line(self, line_id, access_token):
        return self._document_check_access(
            "qms.technical.change.line", line_id, access_token=access_token
        )

    @http.route(
        ["/my/technical_changes/<int:line_id>"],
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def portal_technical_change(self, line_id, access_token=None, message=None, **kw):
        try:
            line_sudo = self._qms_change_line(line_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        lang = line_sudo.partner_id.lang or request.env.lang
        # the notice is read in the customer's language
        request.update_context(lang=lang)
        values = {
            "line": line_sudo.with_context(lang=lang),
            "change": line_sudo.change_id.with_context(lang=lang),
            "access_token": access_token,
            "message": message,
            "page_name": "qms_technical_change",
        }
        return request.render("sales_qms.portal_technical_change", values)

    @http.route(
        ["/my/technical_changes/<int:line_id>/respond"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_technical_change_respond(
        self, line_id, access_token=None, response=None, name=None, note=None, **kw
    ):
        try:
            line_sudo = self._qms_change_line(line_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        request.update_context(lang=line_sudo.partner_id.lang or request.env.lang)
        line_sudo = line_sudo.with_context(lang=request.env.lang)
        name = (name or "").strip()[:MAX_NAME]
        note = (note or "").strip()[:MAX_NOTE]
        try:
            line_sudo._qms_portal_respond(response, name, note or None)
            message = "done"
        except (UserError, ValidationError) as error:
            message = str(error.args[0]) if error.args else "error"
        token = f"?access_token={access_token}" if access_token else "?"
        return request.redirect(
            f"/my/technical_changes/{line_id}{token}&message={quote(message)}"
        )
