from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

MAX_DESCRIPTION = 20_000
OPEN_STATES = ("new", "scheduled", "in_progress")


class ServicePortal(CustomerPortal):
    """/my/installed-products and /my/service-requests: a customer sees the
    products installed at their company with their service history, and files
    a service request for one installed product or one delivered lot."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "qms_installed_count" in counters:
            Installed = request.env["qms.installed.product"]
            values["qms_installed_count"] = (
                Installed.search_count(self._prepare_installed_domain())
                if Installed.has_access("read")
                else 0
            )
        if "qms_service_request_count" in counters:
            Request = request.env["qms.service.request"]
            values["qms_service_request_count"] = (
                Request.search_count(self._prepare_service_requests_domain())
                if Request.has_access("read")
                else 0
            )
        return values

    def _qms_portal_customer(self):
        return request.env.user.partner_id.commercial_partner_id

    def _prepare_installed_domain(self):
        return [
            ("commercial_partner_id", "=", self._qms_portal_customer().id),
            ("state", "in", ("delivered", "installed")),
        ]

    def _prepare_service_requests_domain(self):
        return [("commercial_partner_id", "=", self._qms_portal_customer().id)]

    # ------------------------------------------------------------ installed base
    @http.route(
        ["/my/installed-products", "/my/installed-products/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_installed_products(self, page=1, **kw):
        Installed = request.env["qms.installed.product"]
        domain = self._prepare_installed_domain()
        pager = portal_pager(
            url="/my/installed-products",
            total=Installed.search_count(domain),
            page=page,
            step=20,
        )
        # the record rules chose them; products are read for display
        units = Installed.search(domain, limit=20, offset=pager["offset"]).sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "units": units,
                "page_name": "qms_installed_products",
                "pager": pager,
                "default_url": "/my/installed-products",
            }
        )
        return request.render("sales_qms.portal_my_installed_products", values)

    @http.route(
        ["/my/installed-products/<int:unit_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_installed_product(self, unit_id, access_token=None, **kw):
        try:
            unit_sudo = self._document_check_access(
                "qms.installed.product", unit_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "unit": unit_sudo,
                "history": unit_sudo.service_request_ids.sorted(
                    "date_request", reverse=True
                ),
                "page_name": "qms_installed_product",
            }
        )
        return request.render("sales_qms.portal_my_installed_product", values)

    # ------------------------------------------------------------ requests
    @http.route(
        ["/my/service-requests", "/my/service-requests/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_service_requests(self, page=1, **kw):
        Request = request.env["qms.service.request"]
        domain = self._prepare_service_requests_domain()
        pager = portal_pager(
            url="/my/service-requests",
            total=Request.search_count(domain),
            page=page,
            step=20,
        )
        requests = Request.search(domain, limit=20, offset=pager["offset"]).sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "service_requests": requests,
                "page_name": "qms_service_requests",
                "pager": pager,
                "default_url": "/my/service-requests",
            }
        )
        return request.render("sales_qms.portal_my_service_requests", values)

    @http.route(
        ["/my/service-requests/<int:request_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_service_request(self, request_id, access_token=None, **kw):
        try:
            request_sudo = self._document_check_access(
                "qms.service.request", request_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update(
            {"service_request": request_sudo, "page_name": "qms_service_request"}
        )
        return request.render("sales_qms.portal_my_service_request", values)

    # ------------------------------------------------------------ new request
    def _portal_service_units(self):
        return (
            request.env["qms.installed.product"]
            .search(self._prepare_installed_domain(), limit=200)
            .sudo()
        )

    def _portal_service_lots(self):
        """Delivered lots of the customer's company that are not in the
        installed base: a service request may name one of them."""
        customer = self._qms_portal_customer()
        return (
            request.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("state", "=", "done"),
                    ("lot_id", "!=", False),
                    ("location_dest_id.usage", "=", "customer"),
                    ("picking_id.partner_id.commercial_partner_id", "=", customer.id),
                    ("product_id.product_tmpl_id.qms_track_installed", "=", False),
                ],
                order="date desc, id desc",
                limit=200,
            )
        )

    def _portal_service_types(self):
        companies = request.env.user.company_ids.ids
        return (
            request.env["qms.service.type"]
            .sudo()
            .search([("company_id", "in", [False, *companies])])
        )

    @http.route(
        ["/my/service-requests/new"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def portal_new_service_request(self, unit_id=None, **kw):
        return self._render_new_service_request(
            {"post": {"target": f"unit-{unit_id}" if unit_id else ""}}
        )

    def _render_new_service_request(self, values):
        values = {
            **self._prepare_portal_layout_values(),
            "page_name": "qms_service_request_new",
            "units": self._portal_service_units(),
            "lots": self._portal_service_lots(),
            "service_types": self._portal_service_types(),
            **values,
        }
        return request.render("sales_qms.portal_new_service_request", values)

    @http.route(
        ["/my/service-requests/new"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_new_service_request_post(self, **post):
        try:
            with request.env.cr.savepoint():
                service_request = self._portal_create_service_request(post)
        except UserError as exc:
            return self._render_new_service_request(
                {"error": str(exc.args[0] if exc.args else exc), "post": post}
            )
        return request.redirect(f"/my/service-requests/{service_request.id}")

    def _portal_target(self, raw):
        """The installed product or the delivered lot line the request is for."""
        kind, _sep, ident = (raw or "").partition("-")
        try:
            ident = int(ident)
        except ValueError:
            ident = 0
        if kind == "unit":
            unit = self._portal_service_units().filtered(lambda u: u.id == ident)
            if unit:
                return unit, request.env["stock.move.line"]
        elif kind == "lot":
            line = self._portal_service_lots().filtered(lambda ml: ml.id == ident)
            if line:
                return request.env["qms.installed.product"], line
        raise ValidationError(
            request.env._(
                "Choose one of your installed products or a lot delivered to your "
                "company."
            )
        )

    def _portal_create_service_request(self, post):
        unit, move_line = self._portal_target(post.get("target"))
        try:
            type_id = int(post.get("service_type_id") or 0)
        except ValueError:
            type_id = 0
        service_type = self._portal_service_types().filtered(lambda t: t.id == type_id)
        if not service_type:
            raise ValidationError(request.env._("Choose the service you need."))
        description = (post.get("description") or "").strip()
        if not description:
            raise ValidationError(request.env._("Describe what you need."))
        if len(description) > MAX_DESCRIPTION:
            raise ValidationError(
                request.env._(
                    "The description is too long: at most %(limit)s characters.",
                    limit=MAX_DESCRIPTION,
                )
            )
        Request = request.env["qms.service.request"].sudo()
        if unit:
            already = Request.search(
                [
                    ("installed_product_ids", "in", unit.ids),
                    ("state", "in", OPEN_STATES),
                ],
                limit=1,
            )
            if already:
                raise ValidationError(
                    request.env._(
                        "The open service request %(request)s already covers this "
                        "product: follow it, or add to it in its messages.",
                        request=already.name,
                    )
                )
        company = unit.company_id or move_line.company_id
        responsible = (
            company.qms_service_manager_id
            or company.qms_claim_service_user_id
            or request.env.ref("base.user_admin")
        )
        service_request = Request.with_company(company).create(
            self._prepare_portal_service_request_vals(
                unit, move_line, service_type, description, responsible
            )
        )
        service_request.message_post(
            body=description,
            author_id=request.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        service_request.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=request.env._("New service request from the portal"),
            user_id=responsible.id,
        )
        return service_request

    def _prepare_portal_service_request_vals(
        self, unit, move_line, service_type, description, responsible
    ):
        vals = {
            "partner_id": request.env.user.partner_id.id,
            "channel": "portal",
            "service_type_id": service_type.id,
            "description": description,
            "user_id": responsible.id,
            "company_id": (unit.company_id or move_line.company_id).id,
        }
        if unit:
            vals["installed_product_ids"] = [(6, 0, unit.ids)]
        else:
            vals["product_id"] = move_line.product_id.id
            vals["lot_id"] = move_line.lot_id.id
        return vals
