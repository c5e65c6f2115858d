from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class SaleOrder(models.Model):
    """Contract classification: general or special, with the reasons."""

    _name = "sale.order"
    _inherit = ["sale.order", "qms.system.fields.mixin"]
    # the classification is computed; the downgrade is recorded by its wizard
    _qms_system_fields = ("qms_downgraded", "qms_downgrade_reason")

    qms_contract_type = fields.Selection(
        [("general", "General contract"), ("special", "Special contract")],
        string="Contract Type",
        compute="_compute_qms_classification",
        store=True,
        index=True,
        copy=False,
    )
    qms_special_reason_ids = fields.Many2many(
        "qms.special.reason",
        "sale_order_qms_special_reason_rel",
        "order_id",
        "reason_id",
        string="Special Contract Reasons",
        compute="_compute_qms_classification",
        store=True,
        copy=False,
    )
    qms_special_reason_detail = fields.Text(
        string="Classification Details",
        compute="_compute_qms_classification",
        store=True,
        copy=False,
    )
    qms_downgraded = fields.Boolean(
        string="Downgraded to General",
        copy=False,
        readonly=True,
        help="A QMS manager classified this special contract as general.",
    )
    qms_downgrade_reason = fields.Text(
        string="Downgrade Reason", copy=False, readonly=True
    )

    @api.depends(
        "order_line.product_id",
        "order_line.product_uom_qty",
        "order_line.customer_lead",
        "order_line.qms_special_technical",
        "commitment_date",
        "date_order",
        "partner_id",
        "payment_term_id",
        "margin_percent",
        "amount_untaxed",
        "company_id",
        "qms_downgraded",
    )
    def _compute_qms_classification(self):
        # a confirmed contract keeps the classification it was reviewed under
        # (confirming stamps date_order and reprices the lines' costs); an
        # amendment classifies it again through _qms_refresh_classification
        orders = self
        if not self.env.context.get("qms_classify_confirmed"):
            orders = self.filtered(
                lambda o: o.state not in ("sale", "done") or not o.qms_contract_type
            )
        if not orders:
            return
        reasons = {r.code: r for r in self.env["qms.special.reason"].sudo().search([])}
        matches = orders._qms_match_special_criteria()
        for order in orders:
            found = matches.get(order, {})
            order.qms_special_reason_ids = [
                fields.Command.set([reasons[c].id for c in found if c in reasons])
            ]
            order.qms_special_reason_detail = "\n".join(
                f"{reasons[c].name if c in reasons else c}: {detail}"
                for c, detail in found.items()
            )
            order.qms_contract_type = (
                "special" if found and not order.qms_downgraded else "general"
            )

    # ------------------------------------------------------------ classification
    def _qms_match_special_criteria(self):
        """{order: {criterion code: details in words}} in a few queries."""
        result = {order: {} for order in self}
        orders = self.sudo()
        never_sold = orders._qms_never_sold_products()
        overdue = orders._qms_partners_with_overdue()
        for order in orders:
            company = order.company_id or self.env.company
            found = result[order]
            lines = order.order_line.filtered(
                lambda x: x.product_id and not x.display_type and not x.is_downpayment
            )
            if company.qms_crit_new_product:
                new = lines.product_id.filtered(
                    lambda p: p.qms_new_development or p in never_sold
                )
                if new:
                    found["new_product"] = ", ".join(new.mapped("display_name"))
            if company.qms_crit_capacity:
                details = order._qms_capacity_details(lines)
                if details:
                    found["capacity"] = "; ".join(details)
            if company.qms_crit_technical:
                technical = lines.filtered(
                    lambda x: (
                        x.qms_special_technical or x.product_id.qms_special_technical
                    )
                ).product_id
                if technical:
                    found["technical"] = ", ".join(technical.mapped("display_name"))
            if company.qms_crit_collection:
                details = order._qms_collection_details(overdue)
                if details:
                    found["credit"] = "; ".join(details)
            if (
                company.qms_crit_margin
                and order.amount_untaxed > 0
                and order.margin_percent * 100 < company.qms_margin_threshold
            ):
                found["margin"] = self.env._(
                    "margin %(margin).1f%% below %(threshold).1f%%",
                    margin=order.margin_percent * 100,
                    threshold=company.qms_margin_threshold,
                )
        return result

    def _qms_never_sold_products(self):
        companies = self.company_id
        if not any(
            c.qms_crit_new_product and c.qms_new_product_mode == "flag_or_never_sold"
            for c in companies
        ):
            return self.env["product.product"]
        products = self.order_line.product_id
        if not products:
            return products
        sold = self.env["sale.order.line"]._read_group(
            [
                ("product_id", "in", products.ids),
                ("state", "=", "sale"),
                ("order_id", "not in", self._origin.ids),
            ],
            ["product_id"],
        )
        return products - self.env["product.product"].union(*(p for (p,) in sold))

    def _qms_partners_with_overdue(self):
        if not any(c.qms_crit_collection for c in self.company_id):
            return self.env["res.partner"]
        partners = self.partner_id.commercial_partner_id
        if not partners:
            return partners
        groups = self.env["account.move.line"]._read_group(
            [
                ("partner_id", "in", partners.ids),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
                ("date_maturity", "<", fields.Date.context_today(self)),
            ],
            ["partner_id"],
        )
        return self.env["res.partner"].union(*(p for (p,) in groups))

    def _qms_capacity_details(self, lines):
        details = []
        start = self.date_order or fields.Datetime.now()
        if self.commitment_date:
            late = lines.filtered(
                lambda x: (
                    x.customer_lead
                    and self.commitment_date < start + timedelta(days=x.customer_lead)
                )
            )
            if late:
                details.append(
                    self.env._(
                        "commitment date earlier than the lead time of %(products)s",
                        products=", ".join(late.product_id.mapped("display_name")),
                    )
                )
        for product, product_lines in lines.grouped("product_id").items():
            capacity = product.qms_capacity_qty
            qty = sum(product_lines.mapped("product_uom_qty"))
            if capacity and qty > capacity:
                details.append(
                    self.env._(
                        "%(qty)s of %(product)s above the capacity of %(capacity)s",
                        qty=qty,
                        product=product.display_name,
                        capacity=capacity,
                    )
                )
        return details

    def _qms_collection_details(self, overdue_partners):
        details = []
        company = self.company_id or self.env.company
        partner = self.partner_id.commercial_partner_id.with_company(company)
        if partner:
            limit = partner.credit_limit
            if limit and partner.credit + self.amount_total > limit:
                details.append(
                    self.env._("credit limit %(limit)s exceeded", limit=round(limit, 2))
                )
            if partner in overdue_partners:
                details.append(self.env._("overdue receivables"))
        max_days = company.qms_max_payment_days
        if max_days and self.payment_term_id:
            days = max(self.payment_term_id.line_ids.mapped("nb_days") or [0])
            if days > max_days:
                details.append(
                    self.env._(
                        "payment term of %(days)s days above %(max)s",
                        days=days,
                        max=max_days,
                    )
                )
        return details

    def _qms_refresh_classification(self):
        """Classify again now: products, partners and settings may have changed."""
        fnames = [
            "qms_contract_type",
            "qms_special_reason_ids",
            "qms_special_reason_detail",
        ]
        with self.env.protecting([self._fields[name] for name in fnames], self):
            self.sudo().with_context(
                qms_classify_confirmed=True
            )._compute_qms_classification()

    def action_qms_open_downgrade(self):
        self._qms_check_readable()
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Downgrade to General Contract"),
            "res_model": "qms.contract.downgrade.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _qms_downgrade(self, reason):
        """Classify a special contract as general (QMS managers only)."""
        if not self.env.user.has_group("sales_qms.group_qms_manager"):
            raise AccessError(
                self.env._(
                    "Only a Sales QMS manager can downgrade a special contract to "
                    "general."
                )
            )
        if not (reason or "").strip():
            raise UserError(self.env._("A reason is required to downgrade a contract."))
        for order in self:
            if order.qms_contract_type != "special":
                raise UserError(
                    self.env._("%(order)s is not a special contract.", order=order.name)
                )
            order._qms_system_write(
                {"qms_downgraded": True, "qms_downgrade_reason": reason}
            )
            order.message_post(
                body=self.env._(
                    "Downgraded from special to general contract by %(user)s: "
                    "%(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                )
            )
            live = order.sudo().qms_review_ids.filtered(
                lambda r: r.state in ("pending", "approved")
            )
            live._cancel(self.env._("contract classification changed"))
        return True
