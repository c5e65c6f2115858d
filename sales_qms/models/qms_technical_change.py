from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

CHANGE_STATES = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("notified", "Notified"),
    ("closed", "Closed"),
]
CONTENT_FIELDS = ("title", "product_ids", "description", "effective_date", "company_id")


class QmsTechnicalChange(models.Model):
    """A change of the technical state of products during manufacture, declared
    to the customers it concerns (技术状态更改申明): those with open orders of
    the products and those who received them lately."""

    _name = "qms.technical.change"
    _description = "Technical Change Notice"
    _inherit = [
        "qms.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "qms.audit.mixin",
    ]
    _qms_sequence_code = "qms.technical.change"
    _qms_system_fields = (
        "state",
        "user_id",
        "approved_by",
        "approved_on",
        "notified_on",
        "closed_on",
    )
    _order = "id desc"

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    title = fields.Char(string="Subject", required=True, tracking=True)
    product_ids = fields.Many2many(
        "product.product",
        "qms_technical_change_product_rel",
        "change_id",
        "product_id",
        string="Products",
        required=True,
    )
    description = fields.Text(
        required=True,
        help="What changes, and from which lot or date.",
    )
    reason = fields.Text(help="Why the technical state changes.")
    effective_date = fields.Date(
        required=True,
        tracking=True,
        help="From this date the changed product is delivered.",
    )
    lookback_months = fields.Integer(
        string="Deliveries of the Last (months)",
        default=lambda self: self.env.company.qms_change_lookback_months or 12,
        help="Customers who received the products within these months are affected.",
    )
    state = fields.Selection(
        CHANGE_STATES,
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users", string="Author", default=lambda self: self.env.user, readonly=True
    )
    approved_by = fields.Many2one("res.users", readonly=True)
    approved_on = fields.Datetime(readonly=True)
    notified_on = fields.Datetime(readonly=True)
    closed_on = fields.Datetime(readonly=True)
    affected_line_ids = fields.One2many(
        "qms.technical.change.line", "change_id", string="Affected Customers"
    )
    affected_count = fields.Integer(compute="_compute_counts", string="Customers")
    accepted_count = fields.Integer(compute="_compute_counts", string="Accepted")
    rejected_count = fields.Integer(compute="_compute_counts", string="Rejected")
    pending_count = fields.Integer(compute="_compute_counts", string="Pending")

    @api.depends("affected_line_ids.response")
    def _compute_counts(self):
        groups = self.env["qms.technical.change.line"]._read_group(
            [("change_id", "in", self.ids)], ["change_id", "response"], ["__count"]
        )
        counts = {}
        for change, response, count in groups:
            counts.setdefault(change.id, {})[response] = count
        for change in self:
            found = counts.get(change._origin.id, {})
            change.accepted_count = found.get("accepted", 0)
            change.rejected_count = found.get("rejected", 0)
            change.pending_count = found.get("pending", 0)
            change.affected_count = sum(found.values())

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._qms_check_input(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._qms_check_input(vals)
        if not self._qms_is_system_write() and set(vals) & set(CONTENT_FIELDS):
            frozen = self.filtered(lambda c: c.state != "draft")
            if frozen:
                raise UserError(
                    self.env._(
                        "%(changes)s: an approved technical change is not edited; "
                        "issue a new one.",
                        changes=", ".join(frozen.mapped("name")),
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------ actions
    def _qms_check_manager(self, what):
        if not self.env.user.has_group("sales_qms.group_qms_manager"):
            raise AccessError(
                self.env._(
                    "Only a QMS manager can %(what)s a technical change.", what=what
                )
            )

    def action_approve(self):
        self._qms_check_manager(self.env._("approve"))
        for change in self:
            if change.state != "draft":
                raise UserError(
                    self.env._("%(change)s is already approved.", change=change.name)
                )
        self._qms_system_write(
            {
                "state": "approved",
                "approved_by": self.env.uid,
                "approved_on": fields.Datetime.now(),
            }
        )
        return True

    def action_close(self):
        self._qms_check_manager(self.env._("close"))
        for change in self:
            if change.state != "notified":
                raise UserError(
                    self.env._(
                        "%(change)s is closed after the customers are notified.",
                        change=change.name,
                    )
                )
        self._qms_system_write({"state": "closed", "closed_on": fields.Datetime.now()})
        return True

    def action_find_affected(self):
        """One line per customer affected: open sale orders of the products, their
        deliveries of the last months. Lines already notified are kept."""
        Line = self.env["qms.technical.change.line"].sudo()
        for change in self:
            change.check_access("write")
            if change.state == "closed":
                raise UserError(self.env._("%(change)s is closed.", change=change.name))
            affected = change._qms_find_affected_partners()
            lines = change.sudo().affected_line_ids
            by_partner = {line.partner_id.id: line for line in lines}
            # no longer affected and not told yet: dropped
            stale = lines.filtered(
                lambda x, found=affected: (
                    not x.notified_on and x.partner_id.id not in found
                )
            )
            stale.unlink()
            new_vals = []
            for partner_id, found in affected.items():
                vals = {
                    "sale_order_ids": [fields.Command.set(sorted(found["orders"]))],
                    "last_delivery_date": found["last_delivery"],
                }
                line = by_partner.get(partner_id)
                if line:
                    line._qms_system_write(vals)
                else:
                    new_vals.append(
                        {"change_id": change.id, "partner_id": partner_id, **vals}
                    )
            if new_vals:
                Line._qms_system_create(new_vals)
            change.message_post(
                body=self.env._("%(count)s customers affected.", count=len(affected))
            )
        return True

    def _qms_lookback_start(self):
        self.ensure_one()
        return fields.Datetime.now() - relativedelta(months=self.lookback_months or 0)

    def _qms_find_affected_partners(self):
        """{commercial partner id: {"orders": {order ids}, "last_delivery": dt}}.

        Deliveries: a skip scan of stock_move_qms_product_customer_index (product,
        customer location, company, partner, date of the done moves) jumps from
        one partner to the next and reads each one's last delivery, so the cost
        follows the number of customers, not of moves.
        """
        self.ensure_one()
        products = self.product_ids.ids
        if not products:
            return {}
        for model, names in (
            (
                "stock.move",
                [
                    "product_id",
                    "location_dest_id",
                    "partner_id",
                    "date",
                    "state",
                    "picking_id",
                    "company_id",
                ],
            ),
            ("stock.picking", ["partner_id"]),
            ("stock.location", ["usage"]),
            ("res.partner", ["commercial_partner_id"]),
            (
                "sale.order.line",
                ["product_id", "order_id", "qty_delivered", "product_uom_qty"],
            ),
            ("sale.order", ["state", "partner_id", "company_id"]),
        ):
            self.env[model].flush_model(names)
        self.env.cr.execute(self._qms_affected_deliveries_query())
        affected = {
            partner: {"orders": set(), "last_delivery": last}
            for partner, last in self.env.cr.fetchall()
        }
        self.env.cr.execute(
            SQL(
                """
            SELECT DISTINCT COALESCE(rp.commercial_partner_id, rp.id), o.id
              FROM sale_order_line l
              JOIN sale_order o ON o.id = l.order_id
              JOIN res_partner rp ON rp.id = o.partner_id
             WHERE l.product_id = ANY(%(products)s)
               AND o.company_id = %(company)s
               AND (o.state IN ('draft', 'sent')
                    OR (o.state = 'sale' AND l.qty_delivered < l.product_uom_qty))
                """,
                company=self.company_id.id,
                products=products,
            )
        )
        for partner, order in self.env.cr.fetchall():
            affected.setdefault(partner, {"orders": set(), "last_delivery": False})[
                "orders"
            ].add(order)
        for partner, found in self._qms_affected_installed().items():
            affected.setdefault(partner, {"orders": set(), "last_delivery": False})
            affected[partner].update(found)
        return affected

    def _qms_affected_deliveries_query(self):
        """(commercial partner id, last delivery) of the customers who received
        the products in the look-back months: one query, see
        _qms_find_affected_partners."""
        self.ensure_one()
        cutoff = self._qms_lookback_start()
        products = self.product_ids.ids
        return SQL(
            """
        WITH RECURSIVE dest AS (
            SELECT id FROM stock_location WHERE usage = 'customer'
        ), walk AS (
            SELECT k.product_id, k.location_id, (
                SELECT m.partner_id FROM stock_move m
                 WHERE m.product_id = k.product_id
                   AND m.location_dest_id = k.location_id
                   AND m.company_id = %(company)s AND m.state = 'done'
                   AND m.partner_id IS NOT NULL
                 ORDER BY m.partner_id LIMIT 1) AS partner_id
              FROM (SELECT p.id AS product_id, d.id AS location_id
                      FROM unnest(%(products)s::int[]) AS p(id), dest d) k
             UNION ALL
            SELECT w.product_id, w.location_id, (
                SELECT m.partner_id FROM stock_move m
                 WHERE m.product_id = w.product_id
                   AND m.location_dest_id = w.location_id
                   AND m.company_id = %(company)s AND m.state = 'done'
                   AND m.partner_id > w.partner_id
                 ORDER BY m.partner_id LIMIT 1)
              FROM walk w WHERE w.partner_id IS NOT NULL
        ), delivered AS (
            SELECT w.partner_id, last.date
              FROM walk w
             CROSS JOIN LATERAL (
                SELECT m.date FROM stock_move m
                 WHERE m.product_id = w.product_id
                   AND m.location_dest_id = w.location_id
                   AND m.company_id = %(company)s AND m.state = 'done'
                   AND m.partner_id = w.partner_id
                 ORDER BY m.date DESC LIMIT 1) last
             WHERE w.partner_id IS NOT NULL AND last.date >= %(cutoff)s
             UNION ALL
            -- moves without their own partner: the transfer's
            SELECT p.partner_id, m.date
              FROM stock_move m
              JOIN stock_picking p ON p.id = m.picking_id
             WHERE m.product_id = ANY(%(products)s)
               AND m.location_dest_id IN (SELECT id FROM dest)
               AND m.company_id = %(company)s AND m.state = 'done'
               AND m.partner_id IS NULL AND p.partner_id IS NOT NULL
               AND m.date >= %(cutoff)s
        )
        SELECT COALESCE(rp.commercial_partner_id, rp.id), max(d.date)
          FROM delivered d
          JOIN res_partner rp ON rp.id = d.partner_id
         GROUP BY 1
            """,
            cutoff=cutoff,
            company=self.company_id.id,
            products=products,
        )

    def _qms_affected_installed(self):
        """Customers who still have units of the changed products in their
        installed base (delivered or installed, however long ago): one query.
        {commercial partner id: {}} (their orders and last delivery come from
        the deliveries and orders found)."""
        self.ensure_one()
        self.env["qms.installed.product"].flush_model(
            ["commercial_partner_id", "product_id", "state", "company_id"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT commercial_partner_id FROM qms_installed_product
                 WHERE product_id = ANY(%s) AND company_id = %s
                   AND state IN ('delivered', 'installed')
                """,
                self.product_ids.ids,
                self.company_id.id,
            )
        )
        return {partner: {} for (partner,) in self.env.cr.fetchall() if partner}

    def action_notify(self):
        """Send the notice (mail with the PDF notice and the portal link for the
        acknowledgement) to every affected customer not yet notified."""
        for change in self:
            change.check_access("write")
            if change.state not in ("approved", "notified"):
                raise UserError(
                    self.env._(
                        "%(change)s is notified once approved by a QMS manager.",
                        change=change.name,
                    )
                )
            lines = change.sudo().affected_line_ids.filtered(
                lambda x: not x.notified_on
            )
            if not lines and not change.affected_line_ids:
                raise UserError(
                    self.env._(
                        "%(change)s has no affected customer: find them first.",
                        change=change.name,
                    )
                )
            lines._qms_send_notice()
            vals = {"state": "notified"}
            if not change.notified_on:
                vals["notified_on"] = fields.Datetime.now()
            change._qms_system_write(vals)
        return True

    def action_print(self):
        self._qms_check_readable()
        return self.env.ref(
            "sales_qms.action_report_technical_change_acknowledgements"
        ).report_action(self)
