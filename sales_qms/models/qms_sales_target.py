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
# the fields the record rules of targets read
RULE_FIELDS = ("company_id", "user_id", "team_id", "manager_id")


class QmsSalesTarget(models.Model):
    """A sales target (销售目标) of a salesperson or a sales team for a month,
    a quarter or a year, on one measure. Its actual value is read from the
    orders and invoices in grouped SQL, never order by order; once approved
    its figures are fixed: it is closed (the actual value frozen) and
    replaced, not changed."""

    _name = "qms.sales.target"
    _description = "Sales Target"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "qms.audit.mixin",
        "qms.sales.planning.mixin",
    ]
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
    # readonly: the form does not send it, the system sets it
    state = fields.Selection(
        TARGET_STATES,
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        readonly=True,
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
        figures = self._qms_actuals()
        for target in self:
            target.actual_value, target.achievement = figures.get(target.id, (0.0, 0.0))

    def _read_format(self, fnames, load="_classic_read"):
        # the ORM computes by batches of 1,000 records, one query each: the
        # figures of every record read are taken at once and put in the cache
        if "actual_value" in fnames or "achievement" in fnames:
            self._qms_cache_actuals()
        return super()._read_format(fnames, load=load)

    @api.model
    def search_fetch(self, domain, field_names, offset=0, limit=None, order=None):
        # the record rules read these on every read: fetched with the list in
        # one query rather than afterwards by batches of 1,000
        return super().search_fetch(
            domain, [*field_names, *RULE_FIELDS], offset, limit, order
        )

    def _qms_cache_actuals(self):
        fields_ = [self._fields["actual_value"], self._fields["achievement"]]
        cache = self.env.cache
        missing = self.browse(cache.get_missing_ids(self, fields_[0]))
        figures = missing._qms_actuals()
        if figures:
            records = self.browse(list(figures))
            for index, field in enumerate(fields_):
                cache.update(records, field, [v[index] for v in figures.values()])

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
        self._qms_check_sales_manager(
            lambda user: self.env._(
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
        figures = self._qms_actuals()
        for target in self:
            target._qms_system_write(
                {
                    "state": "closed",
                    "closed_actual_value": figures.get(target.id, (0.0, 0.0))[0],
                }
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
    def _qms_actuals(self):
        """{target id: (actual value, achievement %)} of these targets, in one
        query whatever their number and measures; a closed target gives the
        value frozen at closing."""
        ids = [target_id for target_id in self.ids if target_id]
        if not ids:
            return {}
        self.flush_model(
            [
                "state",
                "closed_actual_value",
                "target_value",
                "measure",
                "company_id",
                "user_id",
                "team_id",
                "date_from",
                "date_to",
                "product_id",
                "categ_id",
            ]
        )
        # which measures and scopes are present: only their branches are
        # planned (read from the cache, filled by the list's own query)
        records = self.sudo().browse(ids)
        records.fetch(["measure", "user_id"])
        cache = self.env.cache
        try:
            kinds = set(
                zip(
                    cache.get_values(records, self._fields["measure"]),
                    (
                        bool(u)
                        for u in cache.get_values(records, self._fields["user_id"])
                    ),
                    strict=True,
                )
            )
        except KeyError:  # a record deleted meanwhile
            kinds = None
        self.env.cr.execute(self._qms_actuals_query(ids, kinds))
        return {
            target_id: (
                float(actual),
                100.0 * float(actual) / target_value if target_value else 0.0,
            )
            for target_id, actual, target_value in self.env.cr.fetchall()
        }

    @api.model
    def _qms_actuals_query(self, ids, kinds=None):
        """The query of _qms_actuals: (id, actual value, target value);
        ``kinds``: the (measure, has a salesperson) pairs present, if known."""
        ids = SQL("%s::int[]", "{" + ",".join(map(str, ids)) + "}")
        targets = SQL(
            """
            SELECT id AS key, measure, company_id, user_id, team_id,
                   date_from, date_to, product_id, categ_id
              FROM qms_sales_target
             WHERE id = ANY(%s) AND state != 'closed'
            """,
            ids,
        )
        return SQL(
            """
            WITH %(values)s
            SELECT s.id,
                   CASE WHEN s.state = 'closed' THEN s.closed_actual_value
                        ELSE COALESCE(v.value, 0) END,
                   s.target_value
              FROM qms_sales_target s
              LEFT JOIN v ON v.key = s.id
             WHERE s.id = ANY(%(ids)s)
            """,
            ids=ids,
            values=self._qms_values_sql(targets, kinds),
        )

    @api.model
    def _qms_measure_values(self, specs):
        """Measures of salespeople or teams over date ranges, in one query.

        ``specs``: dicts with key, measure ('ordered', 'margin', 'growth',
        'invoiced', 'quantity', 'new_customers'), company_id, user_id or
        team_id, date_from, date_to, and product_id or categ_id for
        quantities. Returns {key: value}.
        """
        if not specs:
            return {}

        def col(name, kind):
            # one text literal per column: PostgreSQL parses a '{...}' array
            # far faster than an ARRAY[...] of thousands of typed literals
            values = ",".join(
                "NULL" if s.get(name) is None else str(s[name]) for s in specs
            )
            return SQL(f"%s::{kind}[]", "{" + values + "}")

        specs_table = SQL(
            "SELECT * FROM unnest(%s, %s, %s, %s, %s, %s, %s, %s, %s) AS t(key, "
            "measure, company_id, user_id, team_id, date_from, date_to, "
            "product_id, categ_id)",
            col("key", "int"),
            col("measure", "varchar"),
            col("company_id", "int"),
            col("user_id", "int"),
            col("team_id", "int"),
            col("date_from", "date"),
            col("date_to", "date"),
            col("product_id", "int"),
            col("categ_id", "int"),
        )
        kinds = {(s["measure"], bool(s.get("user_id"))) for s in specs}
        self.env.cr.execute(
            SQL(
                "WITH %s SELECT v.key, v.value FROM v",
                self._qms_values_sql(specs_table, kinds),
            )
        )
        return {key: float(value or 0.0) for key, value in self.env.cr.fetchall()}

    def _qms_values_sql(self, specs_table, kinds=None):
        """Common table expressions ``t`` (the specs: ``specs_table``, an SQL
        query of key, measure, company_id, user_id, team_id, date_from,
        date_to, product_id, categ_id) and ``v`` (key, value): each kind of
        measure reads only the specs of its kind, each spec through index
        range scans of its own rows (LATERAL), so that the cost follows the
        number of specs and of their orders, not the size of the history.
        ``kinds``: the (measure, has a salesperson) pairs of the specs, if
        known: only their branches are planned."""
        for model in (
            "sale.order",
            "sale.order.line",
            "account.move",
            "res.partner",
            "product.product",
            "product.template",
            "product.category",
        ):
            self.env[model].flush_model()
        branches = []
        for measures, template, params in (
            (("ordered", "margin", "growth"), self._qms_sql_order(), {}),
            (("quantity",), self._qms_sql_quantity(), {"any": "%"}),
            (("new_customers",), self._qms_sql_new_customers(), {}),
            (("invoiced",), None, {}),
        ):
            for by_user in (True, False):
                if kinds is not None and not any(
                    (measure, by_user) in kinds for measure in measures
                ):
                    continue
                if template is None:
                    branches.append(self._qms_sql_invoiced(by_user))
                else:
                    branches.append(
                        self._qms_per_scope(template, by_user=by_user, **params)
                    )
        if not branches:
            branches = [SQL("SELECT NULL::int, NULL::numeric")]
        return SQL(
            """
            t AS MATERIALIZED (%(specs)s),
            v AS (SELECT b.key, SUM(b.value) AS value
                    FROM (%(branches)s) AS b(key, value)
                   GROUP BY b.key)
            """,
            specs=specs_table,
            branches=SQL(" UNION ALL ").join(branches),
        )

    # the orders of a spec: those of its salesperson, or of its team; one
    # branch each (specs of the other scope filtered out) so that each reads
    # its own partial index
    _SPEC_SCOPES = (
        ("t.user_id IS NOT NULL", "user_id", "t.user_id"),
        ("t.user_id IS NULL", "team_id", "t.team_id"),
    )

    def _qms_per_scope(self, template, by_user, **params):
        """``template``, an SQL text computing rows (key, value) for specs
        ``t`` in which ``%(orders)s`` stands for the condition on the
        confirmed orders ``o`` of the spec (``%(orders_before)s`` for the same
        period a year before) and ``%(scope)s`` for the specs of the branch:
        those of a salesperson (``by_user``) or of a team."""
        scope, column, owner = self._SPEC_SCOPES[0 if by_user else 1]
        condition = SQL(
            f"o.{column} = {owner} AND o.state = 'sale' AND o.company_id = t.company_id"
        )
        return SQL(
            template,
            orders=SQL(
                "%s AND o.date_order >= t.date_from AND o.date_order < t.date_to + 1",
                condition,
            ),
            orders_before=SQL(
                "%s AND o.date_order >= t.date_from - interval '1 year'"
                " AND o.date_order < (t.date_to - interval '1 year')::date + 1",
                condition,
            ),
            scope=SQL(scope),
            **params,
        )

    def _qms_sql_order(self):
        """Ordered amount and margin of the period (untaxed, company
        currency); growth: the ordered amount in % of the same period a year
        before, read from the same index by a second range scan. Only what the
        spec needs is summed, and divided by the rate only when there is one
        (numeric division is what costs most per order)."""
        amount = """CASE WHEN o.currency_rate = 1 THEN o.%(column)s
                         ELSE o.%(column)s / COALESCE(NULLIF(o.currency_rate, 0), 1)
                    END"""
        return f"""
            SELECT t.key,
                   CASE WHEN t.measure = 'growth'
                        THEN 100.0 * x.amount / NULLIF(y.amount, 0)
                        ELSE x.amount END
              FROM t
             CROSS JOIN LATERAL (
                   SELECT SUM(CASE WHEN t.measure = 'margin'
                                   THEN COALESCE({amount % {"column": "margin"}}, 0)
                                   ELSE {amount % {"column": "amount_untaxed"}}
                              END) AS amount
                     FROM sale_order o
                    WHERE %(orders)s) x
             CROSS JOIN LATERAL (
                   SELECT SUM({amount % {"column": "amount_untaxed"}}) AS amount
                     FROM sale_order o
                    WHERE t.measure = 'growth' AND %(orders_before)s) y
             WHERE t.measure IN ('ordered', 'margin', 'growth') AND %(scope)s
            """

    def _qms_sql_invoiced(self, by_user):
        """Posted invoices net of credit notes; a credit note counts for the
        salesperson (team) of the invoice it reverses, not for whoever made it:
        the moves of the spec's salesperson (team) that do not reverse
        someone else's invoice, read by index, plus the credit notes made by
        someone else that reverse theirs (few: a reversal keeps the
        salesperson), read once for all the specs."""
        scope, column, owner = (
            ("t.user_id IS NOT NULL", "invoice_user_id", "t.user_id")
            if by_user
            else ("t.user_id IS NULL", "team_id", "t.team_id")
        )
        return SQL(
            f"""
                    SELECT t.key, x.amount
                      FROM t
                     CROSS JOIN LATERAL (
                           SELECT SUM(m.amount_untaxed_signed) AS amount
                             FROM account_move m
                             LEFT JOIN account_move r ON r.id = m.reversed_entry_id
                            WHERE m.{column} = {owner}
                              AND m.state = 'posted'
                              AND m.move_type IN ('out_invoice', 'out_refund')
                              AND m.company_id = t.company_id
                              AND m.invoice_date BETWEEN t.date_from AND t.date_to
                              AND (r.{column} IS NULL OR r.{column} = m.{column})
                           ) x
                     WHERE t.measure = 'invoiced' AND {scope}
                    UNION ALL
                    SELECT t.key, c.amount_untaxed_signed
                      FROM t
                      JOIN (SELECT r.{column} AS owner, m.company_id,
                                   m.invoice_date, m.amount_untaxed_signed
                              FROM account_move m
                              JOIN account_move r ON r.id = m.reversed_entry_id
                             WHERE m.state = 'posted'
                               AND m.move_type = 'out_refund'
                               AND m.reversed_entry_id IS NOT NULL
                               AND m.invoice_date
                                   BETWEEN (SELECT MIN(date_from) FROM t
                                             WHERE measure = 'invoiced')
                                       AND (SELECT MAX(date_to) FROM t
                                             WHERE measure = 'invoiced')
                               AND m.{column} IS DISTINCT FROM r.{column}) c
                        ON c.owner = {owner}
                       AND c.company_id = t.company_id
                       AND c.invoice_date BETWEEN t.date_from AND t.date_to
                     WHERE t.measure = 'invoiced' AND {scope}
                    """
        )

    def _qms_sql_quantity(self):
        """Quantity of a product, or of the products of a category and its
        subcategories, in the product's unit: the spec's products first, then
        their lines in the spec's orders, from an index on (order, product)
        that holds what is summed."""
        return """
            SELECT t.key, x.qty
              FROM t
             CROSS JOIN LATERAL (
                   SELECT SUM(l.product_uom_qty / lu.factor * p.factor) AS qty
                     FROM (SELECT pp.id, pu.factor
                             FROM product_product pp
                             JOIN product_template pt ON pt.id = pp.product_tmpl_id
                             JOIN uom_uom pu ON pu.id = pt.uom_id
                            WHERE pp.id = t.product_id
                           UNION ALL
                           SELECT pp.id, pu.factor
                             FROM product_category tc
                             JOIN product_category pc
                               ON pc.parent_path LIKE tc.parent_path || %(any)s
                             JOIN product_template pt ON pt.categ_id = pc.id
                             JOIN product_product pp ON pp.product_tmpl_id = pt.id
                             JOIN uom_uom pu ON pu.id = pt.uom_id
                            WHERE t.product_id IS NULL AND tc.id = t.categ_id) p
                     JOIN sale_order o ON %(orders)s
                     JOIN sale_order_line l
                       ON l.order_id = o.id AND l.product_id = p.id
                      AND l.display_type IS NULL
                     JOIN uom_uom lu ON lu.id = l.product_uom
                   ) x
             WHERE t.measure = 'quantity' AND %(scope)s
            """

    def _qms_sql_new_customers(self):
        """Customers (commercial entities) whose first confirmed order in the
        company is an order of the spec: counted for that order's salesperson
        or team. Each candidate order looks back for an earlier one through
        the (partner, company, date, id) index: no scan of the history."""
        return """
            SELECT t.key, x.customers
              FROM t
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
                             AND (o2.date_order, o2.id) < (o.date_order, o.id))
                   ) x
             WHERE t.measure = 'new_customers' AND %(scope)s
            """

    def init(self):
        # what every target and evaluation reads, by index-only scans of
        # partial covering indexes (sale_commission keeps partial indexes
        # too); nothing is written when an order is confirmed
        self.env.cr.execute(
            """
            DROP INDEX IF EXISTS sale_order_qms_user_date_sale_idx;
            DROP INDEX IF EXISTS sale_order_qms_team_date_sale_idx;
            DROP INDEX IF EXISTS sale_order_qms_partner_date_sale_idx;
            DROP INDEX IF EXISTS account_move_qms_invoice_user_date_idx;
            -- confirmed orders by salesperson or team and date, with the amounts
            CREATE INDEX IF NOT EXISTS sale_order_qms_user_date_idx
                ON sale_order (user_id, date_order)
                INCLUDE (company_id, amount_untaxed, margin, currency_rate,
                         partner_id, id)
                WHERE state = 'sale';
            CREATE INDEX IF NOT EXISTS sale_order_qms_team_date_idx
                ON sale_order (team_id, date_order)
                INCLUDE (company_id, amount_untaxed, margin, currency_rate,
                         partner_id, id)
                WHERE state = 'sale';
            -- a customer's confirmed orders in order: is there an earlier one?
            CREATE INDEX IF NOT EXISTS sale_order_qms_partner_first_idx
                ON sale_order (partner_id, company_id, date_order, id)
                WHERE state = 'sale';
            -- the quantities of a product in an order
            CREATE INDEX IF NOT EXISTS sale_order_line_qms_order_product_idx
                ON sale_order_line (order_id, product_id)
                INCLUDE (product_uom_qty, product_uom)
                WHERE display_type IS NULL;
            -- posted invoices and credit notes by salesperson or team and date
            CREATE INDEX IF NOT EXISTS account_move_qms_user_date_idx
                ON account_move (invoice_user_id, invoice_date)
                INCLUDE (company_id, amount_untaxed_signed, reversed_entry_id)
                WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund');
            CREATE INDEX IF NOT EXISTS account_move_qms_team_date_idx
                ON account_move (team_id, invoice_date)
                INCLUDE (company_id, amount_untaxed_signed, reversed_entry_id)
                WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund');
            -- credit notes that reverse an invoice, by date
            CREATE INDEX IF NOT EXISTS account_move_qms_reversal_date_idx
                ON account_move (invoice_date)
                INCLUDE (company_id, reversed_entry_id, invoice_user_id, team_id,
                         amount_untaxed_signed)
                WHERE state = 'posted' AND move_type = 'out_refund'
                  AND reversed_entry_id IS NOT NULL;
            """
        )
