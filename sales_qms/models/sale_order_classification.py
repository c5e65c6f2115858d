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
    # the facts behind the classification (criterion, products, figures): the
    # words are rendered from them in the reader's language
    qms_special_reason_facts = fields.Json(
        string="Classification Facts",
        compute="_compute_qms_classification",
        store=True,
        copy=False,
    )
    qms_special_reason_detail = fields.Text(
        string="Classification Details",
        compute="_compute_qms_special_reason_detail",
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
            facts = matches.get(order, [])
            codes = list(dict.fromkeys(fact["code"] for fact in facts))
            order.qms_special_reason_ids = [
                fields.Command.set([reasons[c].id for c in codes if c in reasons])
            ]
            order.qms_special_reason_facts = facts or False
            order.qms_contract_type = (
                "special" if facts and not order.qms_downgraded else "general"
            )

    @api.depends("qms_special_reason_facts")
    @api.depends_context("lang")
    def _compute_qms_special_reason_detail(self):
        Reason = self.env["qms.special.reason"]
        for order in self:
            order.qms_special_reason_detail = Reason._qms_render_facts(
                order.qms_special_reason_facts
            )

    # ------------------------------------------------------------ classification
    def _qms_match_special_criteria(self):
        """{order: [fact, ...]} in a few queries. A fact is a dict naming the
        criterion (``code``) and the figures that matched it (product ids,
        quantities, days, percentages), never words: the reader's language
        renders them (``qms.special.reason._qms_render_facts``)."""
        result = {order: [] for order in self}
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
                    found.append({"code": "new_product", "product_ids": new.ids})
            if company.qms_crit_capacity:
                found.extend(order._qms_capacity_facts(lines))
            if company.qms_crit_technical:
                technical = lines.filtered(
                    lambda x: (
                        x.qms_special_technical or x.product_id.qms_special_technical
                    )
                ).product_id
                if technical:
                    found.append({"code": "technical", "product_ids": technical.ids})
            if company.qms_crit_collection:
                found.extend(order._qms_collection_facts(overdue))
            if (
                company.qms_crit_margin
                and order.amount_untaxed > 0
                and order.margin_percent * 100 < company.qms_margin_threshold
            ):
                found.append(
                    {
                        "code": "margin",
                        "margin": round(order.margin_percent * 100, 1),
                        "threshold": company.qms_margin_threshold,
                    }
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

    def _qms_capacity_facts(self, lines):
        facts = []
        start = self.date_order or fields.Datetime.now()
        if self.commitment_date:
            late = lines.filtered(
                lambda x: (
                    x.customer_lead
                    and self.commitment_date < start + timedelta(days=x.customer_lead)
                )
            )
            if late:
                facts.append(
                    {
                        "code": "capacity",
                        "kind": "lead_time",
                        "product_ids": late.product_id.ids,
                    }
                )
        for product, product_lines in lines.grouped("product_id").items():
            capacity = product.qms_capacity_qty
            qty = sum(product_lines.mapped("product_uom_qty"))
            if capacity and qty > capacity:
                facts.append(
                    {
                        "code": "capacity",
                        "kind": "quantity",
                        "product_id": product.id,
                        "qty": qty,
                        "capacity": capacity,
                    }
                )
        return facts

    def _qms_collection_facts(self, overdue_partners):
        facts = []
        company = self.company_id or self.env.company
        partner = self.partner_id.commercial_partner_id.with_company(company)
        if partner:
            limit = partner.credit_limit
            if limit and partner.credit + self.amount_total > limit:
                facts.append(
                    {
                        "code": "credit",
                        "kind": "credit_limit",
                        "limit": round(limit, 2),
                        "currency_id": company.currency_id.id,
                    }
                )
            if partner in overdue_partners:
                facts.append({"code": "credit", "kind": "overdue"})
        max_days = company.qms_max_payment_days
        if max_days and self.payment_term_id:
            days = max(self.payment_term_id.line_ids.mapped("nb_days") or [0])
            if days > max_days:
                facts.append(
                    {
                        "code": "credit",
                        "kind": "payment_days",
                        "days": days,
                        "max": max_days,
                    }
                )
        return facts

    def _qms_refresh_classification(self):
        """Classify again now: products, partners and settings may have changed."""
        fnames = [
            "qms_contract_type",
            "qms_special_reason_ids",
            "qms_special_reason_facts",
        ]
        with self.env.protecting([self._fields[name] for name in fnames], self):
            self.sudo().with_context(
                qms_classify_confirmed=True
            )._compute_qms_classification()

    @api.readonly
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
