from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# what the salesperson who carries out a task may write on it
ASSIGNEE_WRITABLE = {
    "sale_order_line_ids",
    "note",
    "message_main_attachment_id",
    "activity_ids",
    "message_follower_ids",
    "message_ids",
    "activity_user_id",
    "activity_date_deadline",
    "activity_summary",
}


class QmsSalesTask(models.Model):
    """A sales task order (销售任务单): the administration department asks a
    salesperson or a team to sell a quantity of a product (to a customer) by a
    date, from the customers' delivery needs and the stock. Progress is read
    from the order lines the salesperson links to it."""

    _name = "qms.sales.task"
    _description = "Sales Task Order"
    _inherit = [
        "qms.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "qms.system.fields.mixin",
        "qms.sales.planning.mixin",
    ]
    _qms_sequence_code = "qms.sales.task"
    _order = "state, date_deadline, id desc"
    _check_company_auto = True
    _qms_system_fields = ("state", "done_on")

    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda s: s.env.company, index=True
    )
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
        help="Leader of the task's team (of the salesperson's team): sees the "
        "task. Recorded when the task is issued.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", index=True, tracking=True, check_company=True
    )
    product_id = fields.Many2one(
        "product.product", required=True, tracking=True, check_company=True
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(
        required=True, digits="Product Unit of Measure", tracking=True
    )
    date_deadline = fields.Date(string="Deadline", required=True, tracking=True)
    plan_line_id = fields.Many2one(
        "qms.sales.plan.line",
        string="Sales Plan Line",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
    )
    sale_order_line_ids = fields.Many2many(
        "sale.order.line",
        "qms_sales_task_sale_order_line_rel",
        "task_id",
        "line_id",
        string="Order Lines",
        domain="[('product_id', '=', product_id), ('company_id', '=', company_id)]",
    )
    # not stored: confirming or delivering an order recomputes nothing here
    ordered_qty = fields.Float(
        string="Ordered", digits="Product Unit of Measure", compute="_compute_progress"
    )
    delivered_qty = fields.Float(
        string="Delivered",
        digits="Product Unit of Measure",
        compute="_compute_progress",
    )
    progress = fields.Float(
        string="Progress (%)",
        compute="_compute_progress",
        digits=(16, 1),
        help="Delivered quantity in % of the task's quantity.",
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True,
        default="open",
        tracking=True,
        copy=False,
        readonly=True,  # the system sets it: the form does not send it
    )
    done_on = fields.Date(readonly=True, copy=False)
    note = fields.Text()

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "A task asks for a quantity."),
    ]

    # ------------------------------------------------------------ computes
    @api.depends("user_id", "team_id")
    def _compute_manager_id(self):
        for task in self:
            team = task.team_id or task.user_id.sale_team_id
            task.manager_id = team.user_id

    @api.depends(
        "quantity",
        "sale_order_line_ids.product_uom_qty",
        "sale_order_line_ids.qty_delivered",
        "sale_order_line_ids.state",
    )
    def _compute_progress(self):
        for task in self:
            ordered = delivered = 0.0
            for line in task.sale_order_line_ids.sudo():
                if line.state != "sale":
                    continue
                ordered += line.product_uom._compute_quantity(
                    line.product_uom_qty, task.uom_id, raise_if_failure=False
                )
                delivered += line.product_uom._compute_quantity(
                    line.qty_delivered, task.uom_id, raise_if_failure=False
                )
            task.ordered_qty = ordered
            task.delivered_qty = delivered
            task.progress = (
                min(100.0 * delivered / task.quantity, 100.0) if task.quantity else 0.0
            )

    @api.depends("state", "date_deadline")
    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for task in self:
            task.is_overdue = (
                task.state == "open"
                and bool(task.date_deadline)
                and task.date_deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!="):
            raise UserError(self.env._("Unsupported search on Overdue."))
        today = fields.Date.context_today(self)
        overdue = [("state", "=", "open"), ("date_deadline", "<", today)]
        if (operator == "=") == bool(value):
            return overdue
        return ["!", "&", *overdue]

    # ------------------------------------------------------------ constraints
    @api.constrains("user_id", "team_id")
    def _check_assignee(self):
        for task in self:
            if not (task.user_id or task.team_id):
                raise ValidationError(
                    self.env._(
                        "Task %(task)s: issue it to a salesperson or a sales team.",
                        task=task.name,
                    )
                )

    @api.constrains("sale_order_line_ids", "product_id", "partner_id", "company_id")
    def _check_order_lines(self):
        for task in self:
            for line in task.sale_order_line_ids.sudo():
                if line.product_id != task.product_id:
                    raise ValidationError(
                        self.env._(
                            "Task %(task)s is for %(product)s: order %(order)s line "
                            "%(line)s is for another product.",
                            task=task.name,
                            product=task.product_id.display_name,
                            order=line.order_id.name,
                            line=line.product_id.display_name,
                        )
                    )
                if line.company_id != task.company_id:
                    raise ValidationError(
                        self.env._(
                            "Task %(task)s: order %(order)s belongs to another "
                            "company.",
                            task=task.name,
                            order=line.order_id.name,
                        )
                    )
                if (
                    task.partner_id
                    and line.order_id.partner_id.commercial_partner_id
                    != task.partner_id.commercial_partner_id
                ):
                    raise ValidationError(
                        self.env._(
                            "Task %(task)s is for customer %(customer)s: order "
                            "%(order)s is another customer's.",
                            task=task.name,
                            customer=task.partner_id.display_name,
                            order=line.order_id.name,
                        )
                    )

    @api.constrains("plan_line_id", "product_id")
    def _check_plan_line(self):
        for task in self:
            if task.plan_line_id and task.plan_line_id.product_id != task.product_id:
                raise ValidationError(
                    self.env._(
                        "Task %(task)s: the plan line is for another product.",
                        task=task.name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._qms_check_input(vals)
        self._check_issuer_right()
        tasks = super().create(vals_list)
        for task in tasks.filtered("user_id"):
            task.message_subscribe(partner_ids=task.user_id.partner_id.ids)
        return tasks

    def _qms_sequence_fallback(self):
        return self.env._("New")

    def write(self, vals):
        self._qms_check_input(vals)
        if not self._qms_is_system_write():
            if not self._qms_is_issuer():
                self._check_assignee_write(vals)
            closed = self.filtered(lambda t: t.state != "open")
            if closed and set(vals) - (ASSIGNEE_WRITABLE - {"sale_order_line_ids"}):
                raise UserError(
                    self.env._(
                        "%(tasks)s: a done or cancelled task is not changed.",
                        tasks=", ".join(closed[:5].mapped("name")),
                    )
                )
        return super().write(vals)

    def _qms_is_issuer(self):
        return self.env.su or self._qms_is_sales_manager()

    def _check_issuer_right(self):
        self._qms_check_sales_manager(
            lambda user: self.env._(
                "Only a sales manager or a QMS manager issues sales tasks "
                "(you are %(user)s).",
                user=user.name,
            )
        )

    def _check_assignee_write(self, vals):
        refused = set(vals) - ASSIGNEE_WRITABLE
        if refused:
            raise AccessError(
                self.env._(
                    "A salesperson links order lines to a task and notes on it; "
                    "%(fields)s are set by whoever issued it.",
                    fields=", ".join(
                        sorted(
                            self._fields[name].get_description(self.env)["string"]
                            for name in refused
                            if name in self._fields
                        )
                    ),
                )
            )

    # ------------------------------------------------------------ actions
    def action_done(self):
        """The issuer closes a task at any time; its salesperson once the
        quantity is delivered."""
        for task in self:
            if task.state != "open":
                raise UserError(
                    self.env._("Task %(task)s is not open.", task=task.name)
                )
            if not task._qms_is_issuer():
                if task.user_id != self.env.user:
                    raise AccessError(
                        self.env._(
                            "Task %(task)s is %(user)s's: only they or a sales "
                            "manager mark it done.",
                            task=task.name,
                            user=task.user_id.name or task.team_id.name,
                        )
                    )
                if task.progress < 100:
                    raise UserError(
                        self.env._(
                            "Task %(task)s: %(delivered)s of %(quantity)s delivered; "
                            "a sales manager closes it early.",
                            task=task.name,
                            delivered=task.delivered_qty,
                            quantity=task.quantity,
                        )
                    )
        self._qms_system_write(
            {"state": "done", "done_on": fields.Date.context_today(self)}
        )
        return True

    def action_cancel(self):
        self._check_issuer_right()
        if self.filtered(lambda t: t.state != "open"):
            raise UserError(self.env._("Only open tasks are cancelled."))
        self._qms_system_write({"state": "cancelled"})
        return True

    def action_reopen(self):
        self._check_issuer_right()
        self._qms_system_write({"state": "open", "done_on": False})
        return True
