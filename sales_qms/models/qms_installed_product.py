from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

STATES = [
    ("delivered", "Delivered"),
    ("installed", "Installed"),
    ("returned", "Returned"),
    ("scrapped", "Scrapped"),
]
AT_CUSTOMER = ("delivered", "installed")
SERVICE_GROUP = "sales_qms.group_qms_customer_service"
# what a technician may update on the installed products of their requests
TECHNICIAN_FIELDS = {"configuration", "component_ids", "note"}
# what a delivery recorded, kept as delivered
DELIVERED_FIELDS = {"product_id", "lot_id", "quantity", "delivery_date", "partner_id"}


class QmsInstalledProduct(models.Model):
    """One unit of the installed base (用户信息管理系统): a delivered serial, or
    a delivered lot line, at a customer, with its configuration and the
    services it received."""

    _name = "qms.installed.product"
    _description = "Installed Product"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.system.fields.mixin"]
    _order = "delivery_date desc, id desc"
    _check_company_auto = True
    _qms_system_fields = (
        "state",
        "delivery_move_line_id",
        "picking_id",
        "return_date",
        "claim_id",
        "replaced_by_id",
        # the history is written from the requests, whose rules freeze it
        "service_request_ids",
    )

    # computed before the insert: a delivery's units are one INSERT per 100
    name = fields.Char(compute="_compute_name", store=True, precompute=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
        precompute=True,
    )
    site_partner_id = fields.Many2one(
        "res.partner",
        string="Installation Site",
        tracking=True,
        help="Where the product is installed (the delivery address by default).",
    )
    product_id = fields.Many2one("product.product", required=True, index=True)
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        index="btree_not_null",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    quantity = fields.Float(
        default=1.0, digits="Product Unit of Measure", tracking=True
    )
    delivery_move_line_id = fields.Many2one(
        "stock.move.line",
        string="Delivery Line",
        readonly=True,
        index="btree_not_null",
        copy=False,
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Delivery", readonly=True, copy=False
    )
    sale_order_id = fields.Many2one("sale.order", string="Sales Order")
    delivery_date = fields.Date(default=fields.Date.context_today, tracking=True)
    install_date = fields.Date(string="Installed On", tracking=True)
    warranty_end = fields.Date(
        compute="_compute_warranty_end",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="From the product's warranty, counted from installation (or delivery).",
    )
    under_warranty = fields.Boolean(compute="_compute_under_warranty")
    configuration = fields.Text(
        help="How the unit is configured: options, settings, software and "
        "firmware versions.",
    )
    component_ids = fields.One2many(
        "qms.installed.product.component", "installed_product_id", string="Components"
    )
    state = fields.Selection(
        STATES, default="delivered", required=True, index=True, tracking=True
    )
    return_date = fields.Date(readonly=True, copy=False)
    service_request_ids = fields.Many2many(
        "qms.service.request",
        "qms_installed_product_service_request_rel",
        "installed_product_id",
        "request_id",
        string="Service History",
        copy=False,
    )
    service_count = fields.Integer(compute="_compute_service_count")
    claim_id = fields.Many2one(
        "qms.claim",
        string="Replacement of Claim",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    replaced_by_id = fields.Many2one("qms.installed.product", readonly=True, copy=False)
    note = fields.Text()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    # ------------------------------------------------------------ computes
    @api.depends("product_id", "lot_id")
    def _compute_name(self):
        for unit in self:
            name = unit.product_id.display_name or ""
            unit.name = f"{name} [{unit.lot_id.name}]" if unit.lot_id else name

    @api.depends("install_date", "delivery_date", "product_id.qms_warranty_months")
    def _compute_warranty_end(self):
        for unit in self:
            start = unit.install_date or unit.delivery_date
            months = unit.product_id.product_tmpl_id.qms_warranty_months
            unit.warranty_end = start + relativedelta(months=months) if start else False

    def _compute_under_warranty(self):
        today = fields.Date.context_today(self)
        for unit in self:
            unit.under_warranty = bool(
                unit.state in AT_CUSTOMER
                and unit.warranty_end
                and unit.warranty_end >= today
            )

    def _compute_service_count(self):
        counts = dict(
            self.env["qms.service.request"]._read_group(
                [("installed_product_ids", "in", self.ids)],
                ["installed_product_ids"],
                ["__count"],
            )
        )
        for unit in self:
            unit.service_count = counts.get(unit, 0)

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group(SERVICE_GROUP):
            raise AccessError(
                self.env._(
                    "Only customer service records installed products by hand "
                    "(group Sales QMS / Customer Service); deliveries record them "
                    "by themselves."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        self._qms_check_input(vals)
        if not self._qms_is_system_write() and DELIVERED_FIELDS & vals.keys():
            delivered = self.filtered("delivery_move_line_id")
            if delivered:
                raise UserError(
                    self.env._(
                        "%(unit)s is recorded from its delivery: its product, lot, "
                        "quantity and delivery date stay as delivered.",
                        unit=delivered[0].display_name,
                    )
                )
        if (
            not self.env.su
            and not self._qms_is_system_write()
            and not self.env.user.has_group(SERVICE_GROUP)
        ):
            refused = set(vals) - TECHNICIAN_FIELDS - {"message_main_attachment_id"}
            if refused:
                raise AccessError(
                    self.env._(
                        "A technician updates the configuration of an installed "
                        "product; %(fields)s are customer service's.",
                        fields=", ".join(
                            self._fields[name].get_description(self.env)["string"]
                            for name in sorted(refused)
                            if name in self._fields
                        ),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        for unit in self:
            if unit.delivery_move_line_id or unit.service_request_ids:
                raise UserError(
                    self.env._(
                        "%(unit)s came from a delivery or has a service history: it "
                        "is kept (mark it returned or scrapped instead).",
                        unit=unit.display_name,
                    )
                )

    # ------------------------------------------------------------ actions
    def _check_service_user(self):
        if not self.env.su and not self.env.user.has_group(SERVICE_GROUP):
            raise AccessError(
                self.env._(
                    "Only customer service changes the status of an installed "
                    "product (group Sales QMS / Customer Service)."
                )
            )

    def action_install(self, install_date=None):
        """Record the installation (commissioning done)."""
        self._check_service_user()
        self._qms_check_input({"install_date": install_date})
        return self._mark_installed(install_date)

    def _mark_installed(self, install_date=None):
        day = fields.Date.to_date(install_date) or fields.Date.context_today(self)
        not_here = self.filtered(lambda u: u.state not in AT_CUSTOMER)
        if not_here:
            raise UserError(
                self.env._(
                    "%(unit)s is no longer at the customer: it cannot be installed.",
                    unit=not_here[0].display_name,
                )
            )
        todo = self.filtered(lambda u: u.state != "installed" or not u.install_date)
        for unit in todo:
            unit._qms_system_write(
                {"state": "installed", "install_date": unit.install_date or day}
            )
        return True

    def action_scrap(self):
        """The unit was scrapped at the customer."""
        self._check_service_user()
        not_here = self.filtered(lambda u: u.state not in AT_CUSTOMER)
        if not_here:
            raise UserError(
                self.env._(
                    "%(unit)s is no longer at the customer.",
                    unit=not_here[0].display_name,
                )
            )
        return self._qms_system_write({"state": "scrapped"})

    def action_view_service_requests(self):
        self._qms_check_readable()
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_service_request_action"
        )
        action["domain"] = [("installed_product_ids", "in", self.ids)]
        action["context"] = {
            "default_partner_id": self.partner_id.id,
            "default_installed_product_ids": [self.id],
        }
        return action

    # ------------------------------------------------------------ deliveries
    @api.model
    def _create_from_move_lines(self, move_lines):
        """The installed base of the customer deliveries ``move_lines``: one
        record per serial, or per lot (or untracked) line, created at once."""
        vals_list = [self._prepare_installed_vals(ml) for ml in move_lines]
        units = self.with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
        )._qms_system_create(vals_list)
        units = self.sudo().browse(units.ids)
        self._link_replacements(units)
        return units

    def _prepare_installed_vals(self, move_line):
        move = move_line.move_id
        order = move.sale_line_id.order_id
        site = move_line.picking_id.partner_id or move.partner_id or order.partner_id
        customer = order.partner_id or site
        return {
            "partner_id": customer.commercial_partner_id.id,
            "site_partner_id": site.id,
            "product_id": move_line.product_id.id,
            "lot_id": move_line.lot_id.id,
            "quantity": move_line.quantity,
            "delivery_move_line_id": move_line.id,
            "picking_id": move_line.picking_id.id,
            "sale_order_id": order.id,
            "delivery_date": fields.Date.context_today(self, move_line.date),
            "company_id": move_line.company_id.id,
        }

    @api.model
    def _link_replacements(self, units):
        """Units delivered by a claim's replacement delivery replace the
        claimed units of that customer."""
        pickings = units.picking_id
        if not pickings:
            return
        claims = (
            self.env["qms.claim"]
            .sudo()
            .search([("replacement_picking_id", "in", pickings.ids)])
        )
        for claim in claims:
            new = units.filtered(
                lambda u, c=claim: u.picking_id == c.replacement_picking_id
            )
            old = self.sudo().search(
                [
                    ("lot_id", "in", claim.line_ids.lot_id.ids),
                    ("commercial_partner_id", "=", claim.commercial_partner_id.id),
                    ("id", "not in", new.ids),
                ]
            )
            new._qms_system_write({"claim_id": claim.id})
            for unit in old:
                replacement = new.filtered(
                    lambda u, o=unit: u.product_id == o.product_id
                )[:1]
                if replacement:
                    unit._qms_system_write({"replaced_by_id": replacement.id})
            if old:
                claim.message_post(
                    body=self.env._(
                        "Installed base: %(old)s replaced by %(new)s.",
                        old=", ".join(old.mapped("display_name")),
                        new=", ".join(new.mapped("display_name")),
                    )
                )

    @api.model
    def _return_from_move_lines(self, move_lines):
        """Returns from customers: the returned units leave the installed base
        (a lot line only for the quantity returned)."""
        lots = move_lines.lot_id
        products = move_lines.product_id
        candidates = self.sudo().search(
            [
                ("state", "in", AT_CUSTOMER),
                ("product_id", "in", products.ids),
                "|",
                ("lot_id", "in", lots.ids),
                ("lot_id", "=", False),
            ],
            order="delivery_date, id",
        )
        by_key = defaultdict(list)
        for unit in candidates:
            by_key[(unit.product_id.id, unit.lot_id.id)].append(unit)
        returned = self.browse()
        today = fields.Date.context_today(self)
        for ml in move_lines:
            customer = ml.picking_id.partner_id.commercial_partner_id
            origin = ml.move_id.origin_returned_move_id
            units = [
                u
                for u in by_key[(ml.product_id.id, ml.lot_id.id)]
                if u.state in AT_CUSTOMER and u not in returned
            ]
            # the unit of the delivery this return reverses, else the customer's
            units.sort(
                key=lambda u, o=origin, c=customer: (
                    u.delivery_move_line_id.move_id != o if o else True,
                    u.commercial_partner_id != c,
                )
            )
            remaining = ml.quantity
            rounding = ml.product_uom_id.rounding
            for unit in units:
                if float_compare(remaining, 0, precision_rounding=rounding) <= 0:
                    break
                if origin and unit.delivery_move_line_id.move_id != origin:
                    if unit.commercial_partner_id != customer:
                        continue
                if (
                    float_compare(unit.quantity, remaining, precision_rounding=rounding)
                    <= 0
                ):
                    remaining -= unit.quantity
                    returned |= unit
                else:
                    unit._qms_system_write({"quantity": unit.quantity - remaining})
                    remaining = 0
        if returned:
            returned._qms_system_write({"state": "returned", "return_date": today})
        return returned
