import base64
from datetime import datetime, time

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

PLAN_WRITABLE_APPROVED = {
    "message_main_attachment_id",
    "activity_ids",
    "message_follower_ids",
    "message_ids",
    "activity_user_id",
    "activity_date_deadline",
    "activity_summary",
}


class QmsSalesPlan(models.Model):
    """The sales plan (销售计划): per product, what the confirmed contracts
    commit for delivery in the period and what the open quotations may add,
    against the stock on hand and incoming; the shortfall goes to purchasing."""

    _name = "qms.sales.plan"
    _description = "Sales Plan"
    _inherit = [
        "qms.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "qms.system.fields.mixin",
        "qms.sales.planning.mixin",
    ]
    _qms_sequence_code = "qms.sales.plan"
    _order = "date_from desc, id desc"
    _check_company_auto = True
    _qms_system_fields = (
        "state",
        "computed_on",
        "approved_by",
        "approved_on",
        "notified_on",
    )

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda s: s.env.company, index=True
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda s: fields.Date.context_today(s).replace(day=1),
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda s: (
            fields.Date.context_today(s).replace(day=1)
            + relativedelta(months=1, days=-1)
        ),
    )
    include_quotations = fields.Boolean(
        default=True, help="Count the open quotations as well as the contracts."
    )
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved")],
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        readonly=True,  # the system sets it: the form does not send it
    )
    line_ids = fields.One2many("qms.sales.plan.line", "plan_id", string="Products")
    computed_on = fields.Datetime(readonly=True, copy=False)
    approved_by = fields.Many2one("res.users", readonly=True, copy=False)
    approved_on = fields.Datetime(readonly=True, copy=False)
    notified_on = fields.Datetime(
        string="Purchasing Notified On", readonly=True, copy=False
    )
    shortfall_count = fields.Integer(
        string="Products Short", compute="_compute_shortfall_count"
    )
    task_count = fields.Integer(compute="_compute_task_count")
    note = fields.Html()

    @api.depends("line_ids.shortfall_qty")
    def _compute_shortfall_count(self):
        for plan in self:
            plan.shortfall_count = len(
                plan.line_ids.filtered(lambda x: x.shortfall_qty > 0)
            )

    def _compute_task_count(self):
        # grouped by plan line (a related path is not a group-by in Odoo 18)
        counts = {}
        for line, count in self.env["qms.sales.task"]._read_group(
            [("plan_line_id.plan_id", "in", self.ids)],
            ["plan_line_id"],
            ["__count"],
        ):
            counts[line.plan_id] = counts.get(line.plan_id, 0) + count
        for plan in self:
            plan.task_count = counts.get(plan, 0)

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._qms_check_input(vals)
        self._check_planner_right()
        return super().create(vals_list)

    def _qms_sequence_fallback(self):
        return self.env._("New")

    def write(self, vals):
        self._qms_check_input(vals)
        if not self._qms_is_system_write():
            self._check_planner_right()
            self._check_draft(set(vals) - PLAN_WRITABLE_APPROVED)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        self._check_draft({"unlink"})

    def _check_draft(self, what):
        approved = self.filtered(lambda p: p.state != "draft")
        if what and approved:
            raise UserError(
                self.env._(
                    "%(plans)s: an approved sales plan is not changed.",
                    plans=", ".join(approved.mapped("name")),
                )
            )

    def _check_planner_right(self):
        """The sales department draws up the plan: sales managers."""
        self._qms_check_sales_manager(
            lambda user: self.env._(
                "Only a sales manager or a QMS manager draws up sales plans "
                "(you are %(user)s).",
                user=user.name,
            )
        )

    # ------------------------------------------------------------ actions
    def action_compute_lines(self):
        """One line per product: contracts and quotations to deliver in the
        period, against on-hand and incoming stock."""
        self._check_planner_right()
        self._check_draft({"compute"})
        for plan in self:
            demand = plan._qms_demand()
            products = self.env["product.product"].browse(list(demand))
            available = plan._qms_available(products)
            existing = {line.product_id.id: line for line in plan.line_ids}
            commands = []
            for product in products.sorted(lambda p: (p.default_code or "", p.id)):
                contract_qty, quotation_qty = demand[product.id]
                vals = plan._prepare_plan_line_vals(
                    product, contract_qty, quotation_qty, available[product.id]
                )
                line = existing.pop(product.id, None)
                if line is None:
                    commands.append(Command.create(vals))
                    continue
                if line.planned_manual:
                    del vals["planned_qty"]
                commands.append(Command.update(line.id, vals))
            # products no longer asked for: kept at zero while tasks refer to them
            for line in existing.values():
                if line.task_ids:
                    commands.append(
                        Command.update(
                            line.id,
                            {"contract_qty": 0, "quotation_qty": 0, "available_qty": 0},
                        )
                    )
                else:
                    commands.append(Command.delete(line.id))
            plan._qms_system_write(
                {"line_ids": commands, "computed_on": fields.Datetime.now()}
            )
        return True

    def _prepare_plan_line_vals(self, product, contract_qty, quotation_qty, available):
        return {
            "product_id": product.id,
            "contract_qty": contract_qty,
            "quotation_qty": quotation_qty,
            "planned_qty": contract_qty + quotation_qty,
            "available_qty": available,
        }

    def _qms_period_bounds(self):
        start = datetime.combine(self.date_from, time.min)
        end = datetime.combine(self.date_to + relativedelta(days=1), time.min)
        return start, end

    def _qms_demand(self):
        """{product id: (contract qty, quotation qty)} in the product's unit:
        what is still to deliver on confirmed orders whose commitment (or
        expected) date falls in the period, and what open quotations ask."""
        self.ensure_one()
        self.env["sale.order"].flush_model()
        self.env["sale.order.line"].flush_model()
        start, end = self._qms_period_bounds()
        states = ["sale", "draft", "sent"] if self.include_quotations else ["sale"]
        self.env.cr.execute(
            SQL(
                """
                SELECT l.product_id,
                       SUM(CASE WHEN o.state = 'sale'
                                THEN GREATEST(l.product_uom_qty - l.qty_delivered, 0)
                                     / lu.factor * pu.factor ELSE 0 END),
                       SUM(CASE WHEN o.state != 'sale'
                                THEN l.product_uom_qty / lu.factor * pu.factor
                                ELSE 0 END)
                  FROM sale_order_line l
                  JOIN sale_order o ON o.id = l.order_id
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  JOIN uom_uom lu ON lu.id = l.product_uom
                  JOIN uom_uom pu ON pu.id = pt.uom_id
                 WHERE o.company_id = %(company)s
                   AND o.state = ANY(%(states)s)
                   AND l.display_type IS NULL
                   AND pt.type = 'consu'
                   AND COALESCE(o.commitment_date,
                                o.date_order + l.customer_lead * interval '1 day')
                       >= %(start)s
                   AND COALESCE(o.commitment_date,
                                o.date_order + l.customer_lead * interval '1 day')
                       < %(end)s
                 GROUP BY l.product_id
                HAVING SUM(CASE WHEN o.state = 'sale'
                                THEN GREATEST(l.product_uom_qty - l.qty_delivered, 0)
                                ELSE l.product_uom_qty END) > 0
                """,
                company=self.company_id.id,
                states=states,
                start=start,
                end=end,
            )
        )
        return {
            row[0]: (row[1] or 0.0, row[2] or 0.0) for row in self.env.cr.fetchall()
        }

    def _qms_available(self, products):
        """{product id: on hand now + incoming until the end of the period}, in
        the plan's company."""
        self.ensure_one()
        if not products:
            return {}
        _start, end = self._qms_period_bounds()
        quantities = (
            products.with_company(self.company_id)
            .with_context(allowed_company_ids=[self.company_id.id])
            ._compute_quantities_dict(None, None, None, False, end)
        )
        return {
            product_id: quantity["qty_available"] + quantity["incoming_qty"]
            for product_id, quantity in quantities.items()
        }

    def action_approve(self):
        self._check_planner_right()
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    self.env._("%(plan)s is already approved.", plan=plan.name)
                )
            if not plan.line_ids:
                raise UserError(
                    self.env._(
                        "%(plan)s has no products: compute its lines first.",
                        plan=plan.name,
                    )
                )
        self._qms_system_write(
            {
                "state": "approved",
                "approved_by": self.env.user.id,
                "approved_on": fields.Datetime.now(),
            }
        )
        return True

    def action_notify_purchasing(self):
        """Tell the purchasing department what to buy: an activity for each of
        its users, with the plan (shortfalls) attached as a PDF."""
        self._check_planner_right()
        for plan in self:
            plan._qms_notify_purchasing()
        return True

    def _qms_purchasing_users(self):
        self.ensure_one()
        departments = (
            self.env["qms.department"]
            .sudo()
            .search(
                [
                    ("code", "=", "purchasing"),
                    ("company_id", "in", [False, self.company_id.id]),
                ]
            )
        )
        return departments.user_ids.filtered(lambda u: self.company_id in u.company_ids)

    def _qms_notify_purchasing(self):
        self.ensure_one()
        if self.state != "approved":
            raise UserError(
                self.env._(
                    "%(plan)s: approve the plan before purchasing is told.",
                    plan=self.name,
                )
            )
        short = self.line_ids.filtered(lambda x: x.shortfall_qty > 0)
        if not short:
            raise UserError(
                self.env._(
                    "%(plan)s has no shortfall: purchasing has nothing to buy.",
                    plan=self.name,
                )
            )
        users = self._qms_purchasing_users()
        if not users:
            raise UserError(
                self.env._(
                    "No user in the purchasing department (code 'purchasing'): "
                    "add them in Sales QMS > Configuration > Departments."
                )
            )
        attachment = self._qms_plan_attachment()
        note = self._qms_shortfall_note(short)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        deadline = min(self.date_from, fields.Date.context_today(self)) + relativedelta(
            days=2
        )
        activities = (
            self.env["mail.activity"]
            .sudo()
            .create(
                [
                    {
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_id": self.id,
                        "activity_type_id": activity_type.id,
                        "summary": self.env._(
                            "Purchase for sales plan %(plan)s", plan=self.name
                        ),
                        "note": note,
                        "user_id": user.id,
                        "date_deadline": max(deadline, fields.Date.context_today(self)),
                        "attachment_ids": [Command.link(attachment.id)],
                    }
                    for user in users
                ]
            )
        )
        self.message_post(
            body=Markup("%s<br/>%s")
            % (
                self.env._(
                    "Shortfall sent to purchasing: %(users)s.",
                    users=", ".join(users.mapped("name")),
                ),
                note,
            ),
            attachment_ids=attachment.ids,
        )
        self._qms_system_write({"notified_on": fields.Datetime.now()})
        return activities

    def _qms_plan_attachment(self):
        report = self.env.ref("sales_qms.action_report_qms_sales_plan")
        content, _fmt = (
            self.env["ir.actions.report"].sudo()._render_qweb_pdf(report, self.ids)
        )
        return (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env._("Sales Plan %(plan)s.pdf", plan=self.name),
                    "datas": base64.b64encode(content),
                    "res_model": self._name,
                    "res_id": self.id,
                    "mimetype": "application/pdf",
                }
            )
        )

    def _qms_shortfall_note(self, lines):
        rows = Markup("").join(
            Markup("<li>%s: %s %s</li>")
            % (
                line.product_id.display_name,
                f"{line.shortfall_qty:g}",
                line.uom_id.name,
            )
            for line in lines
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (
            escape(
                self.env._(
                    "Short for %(start)s – %(end)s:",
                    start=self.date_from,
                    end=self.date_to,
                )
            ),
            rows,
        )

    def action_view_tasks(self):
        self._qms_check_readable()
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sales Tasks"),
            "res_model": "qms.sales.task",
            "view_mode": "list,form",
            "domain": [("plan_line_id.plan_id", "=", self.id)],
        }
