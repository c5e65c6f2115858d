from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# fields a user may fill in on a pending amendment round; every other change
# goes through the round's and lines' actions
CUSTOMER_CONFIRMATION_FIELDS = {
    "customer_confirmed_by",
    "customer_confirmed_on",
    "customer_confirmation_method",
    "customer_confirmation_note",
}


class QmsContractReview(models.Model):
    """One contract review round (合同评审) of a sale order."""

    _name = "qms.contract.review"
    _description = "Contract Review Round"
    _inherit = ["mail.thread", "qms.audit.mixin"]
    _order = "order_id, revision desc"
    _rec_name = "name"

    # ------------------------------------------------------------ fields
    name = fields.Char(compute="_compute_name", store=True)
    order_id = fields.Many2one(
        "sale.order", required=True, index=True, ondelete="restrict", readonly=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(
        related="order_id.partner_id", store=True, string="Customer"
    )
    salesperson_id = fields.Many2one(
        related="order_id.user_id", store=True, string="Salesperson"
    )
    revision = fields.Integer(required=True, readonly=True)
    kind = fields.Selection(
        [("initial", "Initial review"), ("amendment", "Amendment")],
        required=True,
        default="initial",
        readonly=True,
    )
    state = fields.Selection(
        [
            ("pending", "Under Review"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="pending",
        index=True,
        readonly=True,
        tracking=True,
    )
    contract_type = fields.Selection(
        [("general", "General contract"), ("special", "Special contract")],
        readonly=True,
        help="Classification of the order when the round was requested.",
    )
    special_reason_ids = fields.Many2many(
        "qms.special.reason", string="Special Reasons", readonly=True
    )
    # the order's classification facts when the round was requested; the words
    # are rendered in the reader's language
    special_reason_facts = fields.Json(string="Classification Facts", readonly=True)
    special_reason_detail = fields.Text(
        string="Classification Details", compute="_compute_special_reason_detail"
    )
    line_ids = fields.One2many(
        "qms.contract.review.line", "review_id", string="Department Reviews"
    )
    requested_by = fields.Many2one("res.users", readonly=True)
    requested_on = fields.Datetime(readonly=True)
    decided_on = fields.Datetime(readonly=True)
    cancel_reason = fields.Char(readonly=True)
    amount_total = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
        help="The order's total when the round was requested.",
    )
    currency_id = fields.Many2one(related="order_id.currency_id")
    # amendments
    change_ids = fields.One2many(
        "qms.contract.review.change", "review_id", string="Changes"
    )
    change_summary = fields.Text(compute="_compute_change_summary", store=True)
    customer_confirmed_by = fields.Char(
        string="Confirmed by (customer)",
        help="Who confirmed the amendment on the customer's side.",
    )
    customer_confirmed_on = fields.Datetime(string="Customer Confirmed on")
    customer_confirmation_method = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "E-mail"),
            ("fax", "Fax"),
            ("visit", "Visit / meeting"),
            ("signed", "Signed document"),
            ("other", "Other"),
        ],
        string="Confirmed how",
    )
    customer_confirmation_note = fields.Char(string="Confirmation Note")
    customer_confirmed = fields.Boolean(compute="_compute_customer_confirmed")
    missing_department_names = fields.Char(
        compute="_compute_missing_department_names",
        string="Departments Still to Approve",
    )
    rejection_summary = fields.Text(
        compute="_compute_rejection_summary",
        help="Who rejected the round, when and why.",
    )

    # ------------------------------------------------------------ computes
    @api.depends("order_id.name", "revision", "kind")
    def _compute_name(self):
        for review in self:
            review.name = f"{review.order_id.name or ''}/R{review.revision}"

    @api.depends("change_ids.description", "change_ids.before", "change_ids.after")
    def _compute_change_summary(self):
        for review in self:
            review.change_summary = "\n".join(
                f"{c.description}: {c.before or '-'} → {c.after or '-'}"
                for c in review.change_ids
            )

    @api.depends(
        "customer_confirmed_by", "customer_confirmed_on", "customer_confirmation_method"
    )
    def _compute_customer_confirmed(self):
        for review in self:
            review.customer_confirmed = bool(
                review.customer_confirmed_by
                and review.customer_confirmed_on
                and review.customer_confirmation_method
            )

    @api.depends("line_ids.state")
    def _compute_missing_department_names(self):
        # a rejected or cancelled round waits for nobody: its undecided lines
        # are closed
        for review in self:
            review.missing_department_names = ", ".join(
                review.line_ids.filtered(lambda x: x.state == "pending").mapped(
                    "department_id.name"
                )
            )

    @api.depends("special_reason_facts")
    @api.depends_context("lang")
    def _compute_special_reason_detail(self):
        Reason = self.env["qms.special.reason"]
        for review in self:
            review.special_reason_detail = Reason._qms_render_facts(
                review.special_reason_facts
            )

    @api.depends("state", "line_ids.state", "line_ids.comment")
    @api.depends_context("lang", "tz")
    def _compute_rejection_summary(self):
        for review in self:
            rejected = review.line_ids.filtered(lambda x: x.state == "rejected")
            review.rejection_summary = (
                "\n".join(line._qms_decision_summary() for line in rejected)
                if review.state == "rejected"
                else False
            )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._qms_check_input(vals)
        # a round records the amount it was requested for (rounds created from
        # data files or by other addons without one take the order's)
        orders = self.env["sale.order"].browse(
            [vals["order_id"] for vals in vals_list if vals.get("order_id")]
        )
        amounts = {order.id: order.amount_total for order in orders.sudo()}
        for vals in vals_list:
            if not vals.get("amount_total") and vals.get("order_id") in amounts:
                vals["amount_total"] = amounts[vals["order_id"]]
        return super().create(vals_list)

    def write(self, vals):
        if not self._qms_is_system_write():
            self._check_user_write(vals)
        return super().write(vals)

    def _check_user_write(self, vals):
        forbidden = set(vals) - CUSTOMER_CONFIRMATION_FIELDS
        if forbidden:
            raise AccessError(
                self.env._(
                    "Contract review rounds change only through their actions; "
                    "you cannot write %(fields)s.",
                    fields=", ".join(sorted(forbidden)),
                )
            )
        for review in self:
            if review.state != "pending" or review.kind != "amendment":
                raise UserError(
                    self.env._(
                        "The customer's confirmation is recorded only on a pending "
                        "amendment round; %(round)s is read-only.",
                        round=review.name,
                    )
                )
            review.order_id.check_access("write")

    # ------------------------------------------------------------ business
    def _refresh_state(self):
        """Approve or reject the round from its lines (called as superuser)."""
        for review in self.filtered(lambda r: r.state == "pending"):
            states = set(review.line_ids.mapped("state"))
            if "rejected" in states:
                review._qms_system_write(
                    {"state": "rejected", "decided_on": fields.Datetime.now()}
                )
                review._close_undecided_lines()
                review._notify_rejection()
            elif states == {"approved"}:
                review._qms_system_write(
                    {"state": "approved", "decided_on": fields.Datetime.now()}
                )
                review.order_id.message_post(
                    body=self.env._(
                        "Contract review %(round)s approved by every department.",
                        round=review.name,
                    )
                )

    def _schedule_final_activities(self):
        """Ask the lines that became decidable (the final signature)."""
        self.filtered(lambda r: r.state == "pending").line_ids._schedule_activities()

    def _close_undecided_lines(self):
        """The lines nobody decided before the round was rejected or cancelled
        are closed by it: nobody waits for them any more."""
        undecided = self.line_ids.filtered(lambda x: x.state == "pending")
        if undecided:
            undecided._qms_system_write({"state": "closed"})
            undecided.activity_ids.unlink()

    def _notify_rejection(self):
        for review in self:
            rejected = review.line_ids.filtered(lambda x: x.state == "rejected")
            body = self.env._(
                "Contract review %(round)s rejected by %(departments)s: %(comment)s",
                round=review.name,
                departments=", ".join(rejected.mapped("department_id.name")),
                comment="; ".join(rejected.mapped("comment")),
            )
            salesperson = review.order_id.user_id.partner_id
            review.order_id.message_post(
                body=body,
                partner_ids=salesperson.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            review.line_ids.activity_ids.unlink()

    def _cancel(self, reason):
        """Cancel pending or approved rounds, with a log line on the order."""
        for review in self.filtered(lambda r: r.state in ("pending", "approved")):
            review._qms_system_write(
                {
                    "state": "cancelled",
                    "cancel_reason": reason,
                    "decided_on": fields.Datetime.now(),
                }
            )
            review.line_ids.activity_ids.unlink()
            review._close_undecided_lines()
            message = self.env._(
                "Contract review %(round)s cancelled: %(reason)s",
                round=review.name,
                reason=reason,
            )
            review.message_post(body=message)
            review.order_id.message_post(body=message)

    @api.readonly
    def action_print(self):
        self._qms_check_readable()
        return self.env["qms.report.print.wizard"]._open(
            "sales_qms.action_report_contract_review_round", self
        )
