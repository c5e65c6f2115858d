from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

PERIODS = [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")]
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
MEASURES = [
    ("ordered", "Ordered Amount"),
    ("invoiced", "Invoiced Amount"),
    ("margin", "Margin"),
    ("quantity", "Quantity"),
    ("new_customers", "New Customers"),
    ("growth", "Growth (% of last year)"),
]
TARGET_STATES = [("draft", "Draft"), ("approved", "Approved"), ("closed", "Closed")]
# what a user may still write on an approved or closed target
LOCKED_WRITABLE = {
    "message_main_attachment_id",
    "activity_ids",
    "message_follower_ids",
    "message_ids",
    "activity_user_id",
    "activity_date_deadline",
    "activity_summary",
    "note",
}
SALES_MANAGER = "sales_team.group_sale_manager"
QMS_MANAGER = "sales_qms.group_qms_manager"


class QmsSalesTarget(models.Model):
    """A sales target (销售目标) of a salesperson or a sales team for a month,
    a quarter or a year, on one measure. Its actual value is read from the
    orders and invoices in grouped SQL, never order by order; once approved
    its figures are fixed: it is closed (the actual value frozen) and
    replaced, not changed."""

    _name = "qms.sales.target"
    _description = "Sales Target"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.audit.mixin"]
    _order = "date_from desc, team_id, user_id, measure, id"
    _check_company_auto = True
    _qms_system_fields = (
        "state",
        "approved_by",
        "approved_on",
        "closed_actual_value",
        "replaced_by_id",
    )

    # ------------------------------------------------------------ fields
    name = fields.Char(required=True, copy=False, default="/", tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda s: s.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        domain=[("share", "=", False)],
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", index=True, tracking=True, check_company=True
    )
    manager_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        compute="_compute_manager_id",
        store=True,
        index=True,
        help="Leader of the target's team (of the salesperson's team): sees the "
        "target. Recorded when the target is set.",
    )
    period = fields.Selection(PERIODS, required=True, default="month", tracking=True)
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda s: fields.Date.context_today(s).replace(day=1),
        tracking=True,
    )
    date_to = fields.Date(
        string="To",
        compute="_compute_date_to",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        tracking=True,
    )
    measure = fields.Selection(
        MEASURES, required=True, default="ordered", tracking=True
    )
    product_id = fields.Many2one(
        "product.product",
        help="Quantity targets: the product counted.",
        check_company=True,
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        help="Quantity targets: the products of this category (and its "
        "subcategories) counted.",
    )
    target_value = fields.Float(string="Target", required=True, tracking=True)
    actual_value = fields.Float(
        string="Actual",
        compute="_compute_actual",
        help="Untaxed ordered amount, invoiced amount net of credit notes, margin "
        "(company currency); quantity in the product's unit; customers whose "
        "first confirmed order falls in the period; ordered amount in % of the "
        "same period a year before. Frozen when the target is closed.",
    )
    achievement = fields.Float(
        string="Achievement (%)", compute="_compute_actual", digits=(16, 1)
    )
    state = fields.Selection(
        TARGET_STATES, required=True, default="draft", tracking=True, copy=False
    )
    approved_by = fields.Many2one("res.users", readonly=True, copy=False)
    approved_on = fields.Datetime(readonly=True, copy=False)
    closed_actual_value = fields.Float(
        string="Actual at Closing", readonly=True, copy=False
    )
    replaced_by_id = fields.Many2one(
        "qms.sales.target", string="Replaced by", readonly=True, copy=False
    )
    replaces_id = fields.Many2one("qms.sales.target", readonly=True, copy=False)
    note = fields.Text()

    _sql_constraints = [
        (
            "target_value_positive",
            "CHECK(target_value >= 0)",
            "A target value cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------ computes
    @api.depends("user_id", "team_id")
    def _compute_manager_id(self):
        for target in self:
            team = target.team_id or target.user_id.sale_team_id
            target.manager_id = team.user_id

    @api.depends("date_from", "period")
    def _compute_date_to(self):
        for target in self:
            if target.date_from and target.period:
                target.date_to = (
                    target.date_from
                    + relativedelta(months=PERIOD_MONTHS[target.period])
                    - relativedelta(days=1)
                )

    @api.depends_context("company")
    def _compute_actual(self):
        # the ORM computes by batches of 1,000 records: the figures of every
        # record being read are taken at once (one set of queries) and put in
        # the cache, so the next batches find them there
        records = self
        if self.ids and len(self._prefetch_ids) > len(self):
            records = self.browse(self._prefetch_ids).exists() | self
        live = records.filtered(lambda t: t.state != "closed" and t.id)
        values = self._qms_target_values(live) if live else {}
        actuals, achievements = {}, {}
        for target in records:
            if target.state == "closed":
                actual = target.closed_actual_value
            else:
                actual = values.get(target.id, 0.0)
            actuals[target] = actual
            achievements[target] = (
                100.0 * actual / target.target_value if target.target_value else 0.0
            )
        for target in self:
            target.actual_value = actuals[target]
            target.achievement = achievements[target]
        others = records - self
        if others:
            cache = self.env.cache
            cache.update(
                others, self._fields["actual_value"], [actuals[t] for t in others]
            )
            cache.update(
                others, self._fields["achievement"], [achievements[t] for t in others]
            )

    # ------------------------------------------------------------ constraints
    @api.constrains("user_id", "team_id")
    def _check_scope(self):
        for target in self:
            if bool(target.user_id) == bool(target.team_id):
                raise ValidationError(
                    self.env._(
                        "Target %(name)s: set either a salesperson or a sales team "
                        "(one of them, not both).",
                        name=target.name,
                    )
                )

    @api.constrains("measure", "product_id", "categ_id")
    def _check_quantity_scope(self):
        for target in self:
            if target.measure == "quantity" and not (
                target.product_id or target.categ_id
            ):
                raise ValidationError(
                    self.env._(
                        "Target %(name)s: a quantity target needs a product or a "
                        "product category.",
                        name=target.name,
                    )
                )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for target in self:
            if target.date_to < target.date_from:
                raise ValidationError(
                    self.env._(
                        "Target %(name)s ends before it starts.", name=target.name
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._qms_check_input(vals)
        self._check_manager_right()
        targets = super().create(vals_list)
        for target in targets.filtered(lambda t: t.name == "/"):
            target.name = target._qms_default_name()
        return targets

    def write(self, vals):
        self._qms_check_input(vals)
        if not self._qms_is_system_write():
            self._check_manager_right()
            locked = set(vals) - LOCKED_WRITABLE
            frozen = self.filtered(lambda t: t.state != "draft")
            if locked and frozen:
                raise UserError(
                    self.env._(
                        "%(targets)s: an approved target's figures cannot be "
                        "changed; close it and replace it.",
                        targets=", ".join(frozen[:5].mapped("name")),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_audit_record(self):
        # a draft is a proposal, deleted freely; approved targets are records
        return super(
            QmsSalesTarget, self.filtered(lambda t: t.state != "draft")
        )._unlink_except_audit_record()

    def _qms_default_name(self):
        self.ensure_one()
        measure = dict(self._fields["measure"]._description_selection(self.env))
        who = self.user_id.name or self.team_id.name or ""
        return f"{who} · {self._qms_period_label()} · {measure[self.measure]}"

    def _qms_period_label(self):
        self.ensure_one()
        start = self.date_from
        if self.period == "year" and start.month == 1:
            return f"{start.year}"
        if self.period == "quarter" and start.month in (1, 4, 7, 10):
            return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
        if self.period == "month":
            return f"{start.year}-{start.month:02d}"
        return f"{start} – {self.date_to}"

    # ------------------------------------------------------------ rights
    def _check_manager_right(self):
        """Targets are set, approved and closed by sales managers."""
        if self.env.su or self._qms_is_system_write():
            return
        user = self.env.user
        if not (user.has_group(SALES_MANAGER) or user.has_group(QMS_MANAGER)):
            raise AccessError(
                self.env._(
                    "Only a sales manager or a QMS manager sets sales targets "
                    "(you are %(user)s).",
                    user=user.name,
                )
            )

    # ------------------------------------------------------------ actions
    def action_approve(self):
        self._check_manager_right()
        for target in self:
            if target.state != "draft":
                raise UserError(
                    self.env._(
                        "Target %(name)s is not a draft: it is already approved.",
                        name=target.name,
                    )
                )
            if target.user_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "Target %(name)s is yours: another manager approves it.",
                        name=target.name,
                    )
                )
            if not target.target_value:
                raise UserError(
                    self.env._("Target %(name)s has no target value.", name=target.name)
                )
        self._qms_system_write(
            {
                "state": "approved",
                "approved_by": self.env.user.id,
                "approved_on": fields.Datetime.now(),
            }
        )
        return True

    def action_close(self):
        """Close approved targets: their actual value is frozen as it is now."""
        self._check_manager_right()
        not_approved = self.filtered(lambda t: t.state != "approved")
        if not_approved:
            raise UserError(
                self.env._(
                    "Only approved targets are closed: %(targets)s.",
                    targets=", ".join(not_approved[:5].mapped("name")),
                )
            )
        values = self._qms_target_values(self)
        for target in self:
            target._qms_system_write(
                {"state": "closed", "closed_actual_value": values.get(target.id, 0.0)}
            )
        return True

    def action_replace(self):
        """Close an approved target and open a draft copy to change and approve."""
        self.ensure_one()
        self.action_close()
        new = self.copy({"name": "/", "replaces_id": self.id})
        self._qms_system_write({"replaced_by_id": new.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": new.id,
            "view_mode": "form",
        }

    def action_view_orders(self):
        """The confirmed orders behind the actual value."""
        self.ensure_one()
        domain = [
            ("state", "=", "sale"),
            ("company_id", "=", self.company_id.id),
            ("date_order", ">=", self.date_from),
            ("date_order", "<", self.date_to + relativedelta(days=1)),
        ]
        domain.append(
            ("user_id", "=", self.user_id.id)
            if self.user_id
            else ("team_id", "=", self.team_id.id)
        )
        if self.product_id:
            domain.append(("order_line.product_id", "=", self.product_id.id))
        elif self.categ_id and self.measure == "quantity":
            domain.append(
                ("order_line.product_id.categ_id", "child_of", self.categ_id.id)
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Orders of %(target)s", target=self.name),
            "res_model": "sale.order",
            "view_mode": "list,form",
            "domain": domain,
        }

    # ------------------------------------------------------------ figures
    @api.model
    def _qms_target_values(self, targets):
        """{target id: actual value} for these targets, a few grouped queries
        whatever their number."""
        specs = []
        growth = targets.filtered(lambda t: t.measure == "growth")
        for target in targets:
            measure = "ordered" if target.measure == "growth" else target.measure
            specs.append((target.id, measure, target, target.date_from, target.date_to))
        for target in growth:
            specs.append(
                (
                    -target.id,
                    "ordered",
                    target,
                    target.date_from - relativedelta(years=1),
                    target.date_to - relativedelta(years=1),
                )
            )
        values = self._qms_measure_values(
            [
                {
                    "key": key,
                    "measure": measure,
                    "company_id": target.company_id.id,
                    "user_id": target.user_id.id or None,
                    "team_id": target.team_id.id or None,
                    "date_from": date_from,
                    "date_to": date_to,
                    "product_id": target.product_id.id or None,
                    "categ_id": target.categ_id.id or None,
                }
                for key, measure, target, date_from, date_to in specs
            ]
        )
        for target in growth:
            before = values.get(-target.id, 0.0)
            values[target.id] = (
                100.0 * values.get(target.id, 0.0) / before if before else 0.0
            )
        return values

    @api.model
    def _qms_measure_values(self, specs):
        """Measures of salespeople or teams over date ranges, in SQL.

        ``specs``: dicts with key, measure ('ordered', 'margin', 'invoiced',
        'quantity', 'new_customers'), company_id, user_id or team_id, date_from,
        date_to, and product_id or categ_id for quantities. One query per kind
        of measure; returns {key: value}.
        """
        self.env["sale.order"].flush_model()
        self.env["sale.order.line"].flush_model()
        values = {}
        by_measure = {}
        for spec in specs:
            kind = (
                "order" if spec["measure"] in ("ordered", "margin") else spec["measure"]
            )
            by_measure.setdefault(kind, []).append(spec)
        for kind, group in by_measure.items():
            margin_keys = {s["key"] for s in group if s["measure"] == "margin"}
            query = getattr(self, f"_qms_sql_{kind}")(self._qms_specs_sql(group))
            self.env.cr.execute(query)
            for key, amount, margin in self.env.cr.fetchall():
                values[key] = float((margin if key in margin_keys else amount) or 0.0)
        return values

    @staticmethod
    def _qms_specs_sql(specs):
        """The specs as a table t(key, company_id, user_id, team_id, date_from,
        date_to, product_id, categ_id)."""

        def col(name, kind):
            # one text literal per column: PostgreSQL parses a '{...}' array
            # far faster than an ARRAY[...] of thousands of typed literals
            values = ",".join(
                "NULL" if s[name] is None else str(s[name]) for s in specs
            )
            return SQL(f"%s::{kind}[]", "{" + values + "}")

        return SQL(
            "unnest(%s, %s, %s, %s, %s, %s, %s, %s) AS t(key, company_id, user_id, "
            "team_id, date_from, date_to, product_id, categ_id)",
            col("key", "int"),
            col("company_id", "int"),
            col("user_id", "int"),
            col("team_id", "int"),
            col("date_from", "date"),
            col("date_to", "date"),
            col("product_id", "int"),
            col("categ_id", "int"),
        )

    # the orders of a spec: those of its salesperson, or of its team; one
    # branch each (specs of the other scope filtered out) so that each uses
    # its partial index
    _SPEC_SCOPES = (
        ("t.user_id IS NOT NULL", "o.user_id = t.user_id"),
        ("t.user_id IS NULL", "o.team_id = t.team_id"),
    )

    def _qms_per_scope(self, template, **params):
        """``template``, an SQL text computing one row per spec ``t`` whose
        ``%(orders)s`` stands for the condition on its confirmed orders ``o``
        and ``%(scope)s`` for the specs of the branch; once per scope, glued
        with UNION ALL. The orders are read in a LATERAL subquery: an index
        range scan per spec, whatever the planner guesses of the specs."""
        branches = []
        for scope, owner in self._SPEC_SCOPES:
            orders = SQL(
                "o.state = 'sale' AND o.company_id = t.company_id"
                " AND o.date_order >= t.date_from AND o.date_order < t.date_to + 1"
                " AND " + owner
            )
            branches.append(SQL(template, orders=orders, scope=SQL(scope), **params))
        return SQL(" UNION ALL ").join(branches)

    def _qms_sql_order(self, specs_table):
        return self._qms_per_scope(
            """
            SELECT t.key, x.amount, x.margin
              FROM %(t)s
             CROSS JOIN LATERAL (
                   SELECT SUM(o.amount_untaxed
                              / COALESCE(NULLIF(o.currency_rate, 0), 1)) AS amount,
                          SUM(COALESCE(o.margin, 0)
                              / COALESCE(NULLIF(o.currency_rate, 0), 1)) AS margin
                     FROM sale_order o
                    WHERE %(orders)s) x
             WHERE %(scope)s
            """,
            t=specs_table,
        )

    def _qms_sql_invoiced(self, specs_table):
        """Posted invoices net of credit notes; a credit note counts for the
        salesperson (team) of the invoice it reverses, not for whoever made it."""
        self.env["account.move"].flush_model()
        return SQL(
            """
            SELECT t.key, SUM(m.amount_untaxed_signed), 0
              FROM %(t)s
              JOIN account_move m
                ON m.state = 'posted'
               AND m.move_type IN ('out_invoice', 'out_refund')
               AND m.company_id = t.company_id
               AND m.invoice_date BETWEEN t.date_from AND t.date_to
              LEFT JOIN account_move r ON r.id = m.reversed_entry_id
             WHERE COALESCE(r.invoice_user_id, m.invoice_user_id) = t.user_id
                OR (t.user_id IS NULL
                    AND COALESCE(r.team_id, m.team_id) = t.team_id)
             GROUP BY t.key
            """,
            t=specs_table,
        )

    def _qms_sql_quantity(self, specs_table):
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["categ_id", "uom_id"])
        self.env["product.category"].flush_model(["parent_path"])
        return self._qms_per_scope(
            """
            SELECT t.key, x.qty, 0
              FROM %(t)s
              LEFT JOIN product_category tc ON tc.id = t.categ_id
             CROSS JOIN LATERAL (
                   SELECT SUM(l.product_uom_qty / lu.factor * pu.factor) AS qty
                     FROM sale_order o
                     JOIN sale_order_line l ON l.order_id = o.id
                     JOIN product_product pp ON pp.id = l.product_id
                     JOIN product_template pt ON pt.id = pp.product_tmpl_id
                     JOIN product_category pc ON pc.id = pt.categ_id
                     JOIN uom_uom lu ON lu.id = l.product_uom
                     JOIN uom_uom pu ON pu.id = pt.uom_id
                    WHERE %(orders)s
                      AND l.display_type IS NULL
                      AND (l.product_id = t.product_id
                           OR (t.product_id IS NULL
                               AND pc.parent_path LIKE tc.parent_path || %(any)s))
                   ) x
             WHERE %(scope)s
            """,
            t=specs_table,
            any="%",
        )

    def _qms_sql_new_customers(self, specs_table):
        """Customers (commercial entities) whose first confirmed order in the
        company is an order of the spec: counted for that order's salesperson
        or team. Each candidate order looks back for an earlier one through
        the (partner, date) index: no scan of the order history."""
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        return self._qms_per_scope(
            """
            SELECT t.key, x.customers, 0
              FROM %(t)s
             CROSS JOIN LATERAL (
                   SELECT COUNT(DISTINCT p.commercial_partner_id) AS customers
                     FROM sale_order o
                     JOIN res_partner p ON p.id = o.partner_id
                    WHERE %(orders)s
                      AND NOT EXISTS (
                          SELECT 1
                            FROM res_partner p2
                            JOIN sale_order o2 ON o2.partner_id = p2.id
                           WHERE p2.commercial_partner_id = p.commercial_partner_id
                             AND o2.state = 'sale'
                             AND o2.company_id = o.company_id
                             AND (o2.date_order < o.date_order
                                  OR (o2.date_order = o.date_order
                                      AND o2.id < o.id)))
                   ) x
             WHERE %(scope)s
            """,
            t=specs_table,
        )

    def init(self):
        # confirmed orders by salesperson or team and date, with the amounts:
        # what every target and evaluation reads, by index-only scans
        # (sale_commission keeps partial indexes too)
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS sale_order_qms_user_date_sale_idx
                ON sale_order (user_id, date_order)
                INCLUDE (company_id, amount_untaxed, margin, currency_rate)
                WHERE state = 'sale';
            CREATE INDEX IF NOT EXISTS sale_order_qms_team_date_sale_idx
                ON sale_order (team_id, date_order)
                INCLUDE (company_id, amount_untaxed, margin, currency_rate)
                WHERE state = 'sale';
            CREATE INDEX IF NOT EXISTS sale_order_qms_partner_date_sale_idx
                ON sale_order (partner_id, date_order) WHERE state = 'sale';
            CREATE INDEX IF NOT EXISTS account_move_qms_invoice_user_date_idx
                ON account_move (invoice_user_id, invoice_date)
                WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund');
            """
        )
