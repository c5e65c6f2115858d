from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class QmsContractReviewLine(models.Model):
    """One department's decision in a contract review round."""

    _name = "qms.contract.review.line"
    _description = "Contract Review Line"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.audit.mixin"]
    _order = "review_id desc, is_final, sequence, id"
    _rec_name = "department_id"

    # ------------------------------------------------------------ fields
    review_id = fields.Many2one(
        "qms.contract.review",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    order_id = fields.Many2one(
        related="review_id.order_id", store=True, index=True, string="Order"
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    review_state = fields.Selection(
        related="review_id.state", store=True, string="Round Status"
    )
    review_kind = fields.Selection(related="review_id.kind", store=True)
    partner_id = fields.Many2one(related="review_id.partner_id", string="Customer")
    department_id = fields.Many2one(
        "qms.department", required=True, readonly=True, index=True, ondelete="restrict"
    )
    sequence = fields.Integer(readonly=True)
    is_final = fields.Boolean(readonly=True)
    checklist = fields.Text(related="department_id.checklist")
    reviewer_ids = fields.Many2many(
        "res.users",
        "qms_review_line_user_rel",
        "line_id",
        "user_id",
        string="Reviewers",
        readonly=True,
    )
    state = fields.Selection(
        [
            ("pending", "To Review"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("closed", "Closed"),
        ],
        required=True,
        default="pending",
        readonly=True,
        index=True,
        help="Closed: not decided before the round was rejected or cancelled; "
        "nobody waits for it any more.",
    )
    comment = fields.Text()
    decided_by = fields.Many2one("res.users", readonly=True)
    decided_on = fields.Datetime(readonly=True)
    deadline = fields.Date(readonly=True)
    waiting = fields.Boolean(
        compute="_compute_waiting",
        store=True,
        index=True,
        help="The line can be decided now: pending, in a pending round and, for "
        "the final signature, every other department has approved.",
    )
    decision_hours = fields.Float(
        compute="_compute_decision_hours",
        store=True,
        aggregator="avg",
        string="Cycle Time (h)",
    )
    rejected_count = fields.Integer(
        compute="_compute_decision_hours", store=True, string="Rejections"
    )
    rejection_rate = fields.Float(
        compute="_compute_decision_hours",
        store=True,
        aggregator="avg",
        string="Rejection Rate (%)",
        help="Averaged over decided lines: the share of rejections.",
    )
    can_decide = fields.Boolean(compute="_compute_can_decide")
    requirement_ids = fields.Many2many(
        "qms.customer.requirement",
        string="Customer Requirements",
        compute="_compute_requirement_ids",
        compute_sudo=True,
        help="The customer requirements of the categories this department reviews.",
    )
    blocked_reason = fields.Char(
        string="Why Not Now",
        compute="_compute_can_decide",
        help="Why the current user cannot decide this line now.",
    )
    # what the reviewer signs: the order, its lines and the round around it
    salesperson_id = fields.Many2one(related="review_id.salesperson_id")
    amount_total = fields.Monetary(
        related="review_id.amount_total", string="Amount", currency_field="currency_id"
    )
    currency_id = fields.Many2one(related="review_id.currency_id")
    contract_type = fields.Selection(related="review_id.contract_type")
    special_reason_ids = fields.Many2many(
        related="review_id.special_reason_ids", string="Special Reasons"
    )
    special_reason_detail = fields.Text(related="review_id.special_reason_detail")
    change_ids = fields.One2many(related="review_id.change_ids")
    customer_confirmed = fields.Boolean(related="review_id.customer_confirmed")
    customer_confirmed_by = fields.Char(related="review_id.customer_confirmed_by")
    customer_confirmed_on = fields.Datetime(related="review_id.customer_confirmed_on")
    customer_confirmation_method = fields.Selection(
        related="review_id.customer_confirmation_method"
    )
    round_line_ids = fields.One2many(
        related="review_id.line_ids", string="Decisions in This Round"
    )
    order_line_ids = fields.One2many(
        related="order_id.order_line", string="Order Lines"
    )
    order_client_ref = fields.Char(related="order_id.client_order_ref")
    order_commitment_date = fields.Datetime(related="order_id.commitment_date")
    order_payment_term_id = fields.Many2one(related="order_id.payment_term_id")
    order_shipping_partner_id = fields.Many2one(
        related="order_id.partner_shipping_id", string="Delivery Address"
    )
    order_note = fields.Html(related="order_id.note", string="Terms and Conditions")
    show_margin = fields.Boolean(related="department_id.show_margin")
    order_margin = fields.Monetary(
        compute="_compute_order_margin", currency_field="currency_id", string="Margin"
    )
    order_margin_percent = fields.Float(
        compute="_compute_order_margin", string="Margin (%)"
    )

    # ------------------------------------------------------------ computes
    @api.depends("state", "review_id.state", "review_id.line_ids.state", "is_final")
    def _compute_waiting(self):
        for line in self:
            line.waiting = (
                line.state == "pending"
                and line.review_id.state == "pending"
                and (
                    not line.is_final
                    or all(
                        other.state == "approved"
                        for other in line.review_id.line_ids
                        if not other.is_final
                    )
                )
            )

    @api.depends("decided_on", "state")
    def _compute_decision_hours(self):
        for line in self:
            start = line.review_id.requested_on or line.create_date
            line.decision_hours = (
                (line.decided_on - start).total_seconds() / 3600.0
                if line.decided_on and start
                else 0.0
            )
            line.rejected_count = 1 if line.state == "rejected" else 0
            line.rejection_rate = 100.0 if line.state == "rejected" else 0.0

    @api.depends(
        "order_id.qms_requirement_ids.category",
        "department_id.requirement_category_ids",
    )
    def _compute_requirement_ids(self):
        for line in self:
            codes = set(line.department_id.requirement_category_ids.mapped("code"))
            line.requirement_ids = line.order_id._qms_requirements_for_categories(codes)

    @api.depends_context("uid")
    @api.depends("waiting", "reviewer_ids", "state", "review_id.state")
    def _compute_can_decide(self):
        for line in self:
            error = line._decision_error(self.env.user)
            if not error and not line.waiting:
                error = line._waiting_error()
            line.can_decide = line.waiting and not error
            line.blocked_reason = error if line.state == "pending" else False

    @api.depends("order_id.margin", "order_id.margin_percent", "department_id")
    def _compute_order_margin(self):
        # margins only for the departments that judge prices (sales, finance,
        # the general manager): the others sign without them
        for line in self:
            allowed = line.department_id.show_margin
            order = line.sudo().order_id
            line.order_margin = order.margin if allowed else 0.0
            line.order_margin_percent = order.margin_percent if allowed else 0.0

    def _waiting_error(self):
        """Why a pending line of a pending round cannot be decided yet."""
        self.ensure_one()
        missing = self.review_id.line_ids.filtered(
            lambda x: not x.is_final and x.state != "approved"
        )
        if self.is_final and missing:
            return self.env._(
                "%(department)s signs last: %(missing)s must approve first.",
                department=self.department_id.name,
                missing=", ".join(missing.mapped("department_id.name")),
            )
        return False

    def _qms_decision_summary(self):
        """'Finance (Ma Li, 2026-12-01 10:00): the comment', in the reader's
        language and time zone."""
        self.ensure_one()
        when = (
            fields.Datetime.context_timestamp(self, self.decided_on).strftime(
                "%Y-%m-%d %H:%M"
            )
            if self.decided_on
            else ""
        )
        who = ", ".join(filter(None, [self.decided_by.name, when]))
        comment = (self.comment or "").strip()
        head = f"{self.department_id.name} ({who})" if who else self.department_id.name
        return f"{head}: {comment}" if comment else head

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Review lines are created only by requesting a contract review."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self._qms_is_system_write():
            self._check_user_write(vals)
        return super().write(vals)

    def _check_user_write(self, vals):
        forbidden = set(vals) - {"comment"}
        if forbidden:
            raise AccessError(
                self.env._(
                    "Review lines change only through Approve and Reject; you "
                    "cannot write %(fields)s.",
                    fields=", ".join(sorted(forbidden)),
                )
            )
        for line in self:
            if line.state != "pending" or line.review_id.state != "pending":
                raise UserError(
                    self.env._(
                        "The review of %(department)s in %(round)s is decided or "
                        "closed and is read-only.",
                        department=line.department_id.name,
                        round=line.review_id.name,
                    )
                )
            if self.env.user not in line.reviewer_ids:
                raise AccessError(
                    self.env._(
                        "Only the reviewers of %(department)s can comment on its "
                        "review.",
                        department=line.department_id.name,
                    )
                )

    # ------------------------------------------------------------ checks
    def _decision_error(self, user):
        """Why `user` cannot decide this line now, or False."""
        self.ensure_one()
        if self.state != "pending" or self.review_id.state != "pending":
            if self.review_id.state == "rejected" and self.state != "rejected":
                return self.env._(
                    "%(round)s was rejected by %(departments)s: nobody decides "
                    "it any more. A new review is requested after the quotation "
                    "is corrected.",
                    round=self.review_id.name,
                    departments=", ".join(
                        self.review_id.line_ids.filtered(
                            lambda x: x.state == "rejected"
                        ).mapped("department_id.name")
                    ),
                )
            return self.env._(
                "The review of %(department)s in %(round)s is already decided or "
                "closed.",
                department=self.department_id.name,
                round=self.review_id.name,
            )
        if user not in self.reviewer_ids:
            return self.env._(
                "You are not a reviewer of %(department)s for %(round)s.",
                department=self.department_id.name,
                round=self.review_id.name,
            )
        order = self.review_id.order_id
        if order.company_id.qms_review_segregation and user in (
            order.user_id | order.create_uid
        ):
            return self.env._(
                "Segregation of duties: the salesperson or creator of %(order)s "
                "cannot review it.",
                order=order.name,
            )
        return False

    def _check_can_decide(self):
        # decisions on one round run one after the other: each reads the other
        # lines (the final signature, the round's state) and must see them
        self.sudo().review_id._qms_serialize()
        for line in self:
            error = line.sudo()._decision_error(self.env.user)
            if error:
                raise AccessError(error)
            error = line.sudo()._waiting_error()
            if error:
                raise UserError(error)

    def _check_customer_confirmation(self):
        """An amendment is approved only after the customer confirmed it."""
        for line in self:
            review = line.review_id
            if review.kind != "amendment" or review.customer_confirmed:
                continue
            others = review.line_ids - line
            if all(x.state == "approved" for x in others):
                raise UserError(
                    self.env._(
                        "Record the customer's confirmation of amendment %(round)s "
                        "(who, when, how) before its last approval.",
                        round=review.name,
                    )
                )

    # ------------------------------------------------------------ actions
    def action_open_review(self):
        """From a list: open the line with everything the reviewer signs (the
        order, its lines, the reasons, the other decisions) before deciding."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Review %(round)s", round=self.review_id.name),
            "res_model": self._name,
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def action_approve(self):
        self._check_can_decide()
        self._check_customer_confirmation()
        self._decide("approved")
        return True

    def action_reject(self):
        for line in self:
            if not (line.comment or "").strip():
                raise UserError(
                    self.env._(
                        "Write in the comment why %(department)s rejects the contract.",
                        department=line.department_id.name,
                    )
                )
        self._check_can_decide()
        self._decide("rejected")
        return True

    def _decide(self, state):
        user = self.env.user
        now = fields.Datetime.now()
        for line in self.sudo():
            line._qms_system_write(
                {"state": state, "decided_by": user.id, "decided_on": now}
            )
            line.activity_ids.unlink()
            if state == "approved":
                body = self.env._(
                    "%(department)s approved by %(user)s.",
                    department=line.department_id.name,
                    user=user.name,
                )
            else:
                body = self.env._(
                    "%(department)s rejected by %(user)s: %(comment)s",
                    department=line.department_id.name,
                    user=user.name,
                    comment=line.comment,
                )
            line.review_id.message_post(body=body)
            line.review_id._refresh_state()
            line.review_id._schedule_final_activities()

    # ------------------------------------------------------------ reminders
    def _schedule_activities(self):
        """One activity per reviewer of the lines that can be decided now."""
        activity_type = self.env.ref(
            "sales_qms.mail_activity_type_contract_review", raise_if_not_found=False
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for line in self.filtered("waiting"):
            if line.activity_ids:
                continue
            for user in line.reviewer_ids:
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": line.id,
                        "activity_type_id": activity_type.id
                        if activity_type
                        else False,
                        "summary": self.env._(
                            "Contract review %(round)s: %(department)s",
                            round=line.review_id.name,
                            department=line.department_id.name,
                        ),
                        "user_id": user.id,
                        "date_deadline": line.deadline
                        or fields.Date.context_today(line),
                    }
                )
        if vals_list:
            self.env["mail.activity"].sudo().create(vals_list)

    @api.model
    def _cron_remind_overdue(self):
        overdue = self.sudo().search(
            [("waiting", "=", True), ("deadline", "<", fields.Date.today())]
        )
        for review, lines in overdue.grouped("review_id").items():
            reviewers = lines.reviewer_ids.partner_id
            review.message_post(
                body=self.env._(
                    "Reminder: the review of %(departments)s is overdue.",
                    departments=", ".join(lines.mapped("department_id.name")),
                ),
                partner_ids=reviewers.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True

    @api.model
    def _prepare_line_vals(self, review, department, sequence):
        today = fields.Date.context_today(self)
        return {
            "review_id": review.id,
            "department_id": department.id,
            "sequence": sequence,
            "is_final": department.is_final,
            "reviewer_ids": [fields.Command.set(department.user_ids.ids)],
            "deadline": today + timedelta(days=department.deadline_days or 0),
        }
