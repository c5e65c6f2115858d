import base64
import math

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

CLAIM_TYPES_PORTAL = ("complaint", "return", "exchange", "repair", "compensation")
# what one portal claim may carry
MAX_ATTACHMENTS = 10
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_DESCRIPTION = 20_000


class ClaimPortal(CustomerPortal):
    """/my/claims: a customer follows their claims and files a new one for a
    product and lot that was delivered to them."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "qms_claim_count" in counters:
            Claim = request.env["qms.claim"]
            values["qms_claim_count"] = (
                Claim.search_count(self._prepare_claims_domain())
                if Claim.has_access("read")
                else 0
            )
        return values

    def _prepare_claims_domain(self):
        partner = request.env.user.partner_id.commercial_partner_id
        return [("commercial_partner_id", "=", partner.id)]

    @http.route(
        ["/my/claims", "/my/claims/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_claims(self, page=1, **kw):
        Claim = request.env["qms.claim"]
        domain = self._prepare_claims_domain()
        total = Claim.search_count(domain)
        pager = portal_pager(url="/my/claims", total=total, page=page, step=20)
        claims = Claim.search(
            domain, order="date desc, id desc", limit=20, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "claims": claims,
                "page_name": "qms_claims",
                "pager": pager,
                "default_url": "/my/claims",
            }
        )
        return request.render("sales_qms.portal_my_claims", values)

    @http.route(["/my/claims/<int:claim_id>"], type="http", auth="user", website=True)
    def portal_my_claim(self, claim_id, access_token=None, **kw):
        try:
            claim_sudo = self._document_check_access(
                "qms.claim", claim_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            claim_sudo,
            access_token,
            {"claim": claim_sudo, "page_name": "qms_claim"},
            "my_claims_history",
            False,
        )
        return request.render("sales_qms.portal_my_claim", values)

    # ------------------------------------------------------------ new claim
    def _portal_delivered_lines(self):
        """What the customer may claim about: done deliveries of their company."""
        partner = request.env.user.partner_id.commercial_partner_id
        return (
            request.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                    ("picking_id.partner_id.commercial_partner_id", "=", partner.id),
                ],
                order="date desc, id desc",
                limit=200,
            )
        )

    @http.route(
        ["/my/claims/new"], type="http", auth="user", website=True, methods=["GET"]
    )
    def portal_new_claim(self, **kw):
        return self._render_new_claim({})

    def _render_new_claim(self, values):
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "qms_claim_new",
            "delivered_lines": self._portal_delivered_lines(),
            "claim_types": [
                (key, label)
                for key, label in request.env["qms.claim"]
                ._fields["claim_type"]
                ._description_selection(request.env)
                if key in CLAIM_TYPES_PORTAL
            ],
            **values,
        }
        return request.render("sales_qms.portal_new_claim", values)

    @http.route(
        ["/my/claims/new"], type="http", auth="user", website=True, methods=["POST"]
    )
    def portal_new_claim_post(self, **post):
        try:
            # a refused claim leaves nothing behind, not even half of it
            with request.env.cr.savepoint():
                claim = self._portal_create_claim(post)
        except UserError as exc:
            return self._render_new_claim(
                {"error": str(exc.args[0] if exc.args else exc), "post": post}
            )
        return request.redirect(f"/my/claims/{claim.id}")

    def _portal_create_claim(self, post):
        user = request.env.user
        partner = user.partner_id
        try:
            move_line_id = int(post.get("move_line_id") or 0)
        except ValueError as exc:
            raise ValidationError(request.env._("Choose a delivered product.")) from exc
        quantity = self._portal_claim_quantity(post.get("quantity"))
        move_line = self._portal_delivered_lines().filtered(
            lambda ml: ml.id == move_line_id
        )
        if not move_line:
            raise ValidationError(
                request.env._(
                    "Choose a product and lot that was delivered to your company."
                )
            )
        claim_type = post.get("claim_type")
        if claim_type not in CLAIM_TYPES_PORTAL:
            claim_type = "complaint"
        description = (post.get("description") or "").strip()
        if not description:
            raise ValidationError(request.env._("Describe the problem."))
        if len(description) > MAX_DESCRIPTION:
            raise ValidationError(
                request.env._(
                    "The description is too long: at most %(limit)s characters.",
                    limit=MAX_DESCRIPTION,
                )
            )
        # the form's text is the customer's text: shown as typed, never as HTML
        description = plaintext2html(description)
        # checked as any user input (types, sizes, characters PostgreSQL refuses)
        request.env["qms.claim"]._qms_check_input({"description": description})
        uploads = self._portal_claim_uploads()
        company = move_line.picking_id.company_id
        # the claim goes to customer service, else to the salesperson: never to
        # the portal user who filed it
        service_user = (
            company.qms_claim_service_user_id
            or move_line.move_id.sale_line_id.order_id.user_id
            or partner.commercial_partner_id.user_id
            or request.env.ref("base.user_admin")
        )
        Claim = request.env["qms.claim"].sudo().with_company(company)
        claim = Claim.create(
            self._prepare_portal_claim_vals(
                partner,
                move_line,
                {
                    "claim_type": claim_type,
                    "quantity": quantity,
                    "description": description,
                    "service_user": service_user,
                },
            )
        )
        attachments = [
            {
                "name": name,
                "datas": base64.b64encode(content),
                "res_model": "qms.claim",
                "res_id": claim.id,
            }
            for name, content in uploads
        ]
        attachments = request.env["ir.attachment"].sudo().create(attachments)
        claim.message_post(
            body=description,
            author_id=partner.id,
            attachment_ids=attachments.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        claim.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=request.env._("New claim from the portal"),
            user_id=service_user.id,
        )
        return claim

    def _portal_claim_quantity(self, raw):
        """The claimed quantity: a positive, finite number, else a message."""
        try:
            quantity = float(raw or 1.0)
        except (TypeError, ValueError):
            quantity = None
        if quantity is None or not math.isfinite(quantity) or quantity > 1e9:
            raise ValidationError(
                request.env._("Enter the claimed quantity as a number, e.g. 2.")
            )
        if quantity <= 0:
            raise ValidationError(
                request.env._("The claimed quantity must be greater than zero.")
            )
        return quantity

    def _portal_claim_uploads(self):
        """[(file name, content)] of the files sent with the claim, within limits."""
        uploads = [
            upload
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        if len(uploads) > MAX_ATTACHMENTS:
            raise ValidationError(
                request.env._(
                    "Attach at most %(count)s files to a claim.", count=MAX_ATTACHMENTS
                )
            )
        files = []
        for upload in uploads:
            content = upload.read(MAX_ATTACHMENT_BYTES + 1)
            if len(content) > MAX_ATTACHMENT_BYTES:
                raise ValidationError(
                    request.env._(
                        "%(file)s is too large: at most %(size)s MB per file.",
                        file=upload.filename,
                        size=MAX_ATTACHMENT_BYTES // (1024 * 1024),
                    )
                )
            # a name, not a path; PostgreSQL stores no NUL character
            name = upload.filename.replace("\x00", "").rsplit("/", 1)[-1][:255]
            files.append((name or "file", content))
        return files

    def _prepare_portal_claim_vals(self, partner, move_line, form):
        service_user = form["service_user"]
        vals = {
            "partner_id": partner.id,
            "claim_type": form["claim_type"],
            "channel": "portal",
            "picking_id": move_line.picking_id.id,
            "sale_order_id": move_line.move_id.sale_line_id.order_id.id,
            "description": form["description"],
            "company_id": move_line.picking_id.company_id.id,
            "line_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": move_line.product_id.id,
                        "lot_id": move_line.lot_id.id,
                        "quantity": form["quantity"],
                    },
                )
            ],
        }
        vals["user_id"] = service_user.id
        return vals
