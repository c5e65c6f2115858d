from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

# header fields whose change on a quotation voids its contract review
QMS_COMMERCIAL_FIELDS = (
    "partner_id",
    "partner_invoice_id",
    "partner_shipping_id",
    "pricelist_id",
    "payment_term_id",
    "validity_date",
    "commitment_date",
)
# header fields whose change on a confirmed order opens an amendment round
QMS_PROTECTED_FIELDS = ("commitment_date", "payment_term_id", "partner_shipping_id")


# one file per capability extending sale.order (STYLE.md), not one merged class
class SaleOrder(models.Model):
    """Contract review: every department signs before the order is confirmed;
    amendments of a confirmed order are reviewed again."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    qms_review_ids = fields.One2many(
        "qms.contract.review", "order_id", string="Contract Reviews", copy=False
    )
    qms_review_id = fields.Many2one(
        "qms.contract.review",
        string="Current Review",
        compute="_compute_qms_review_state",
        store=True,
    )
    qms_review_state = fields.Selection(
        [
            ("none", "Not requested"),
            ("pending", "Under Review"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        string="Contract Review",
        compute="_compute_qms_review_state",
        store=True,
        index=True,
        copy=False,
    )
    qms_review_required = fields.Boolean(related="company_id.qms_review_required")
    qms_review_kind = fields.Selection(related="qms_review_id.kind")
    qms_review_rejection = fields.Text(
        related="qms_review_id.rejection_summary", string="Review Rejection"
    )
    qms_review_missing = fields.Char(
        related="qms_review_id.missing_department_names",
        string="Review Still Waiting For",
    )
    qms_review_count = fields.Integer(
        string="Review Count", compute="_compute_qms_review_count"
    )

    # ------------------------------------------------------------ computes
    @api.depends("qms_review_ids.state", "qms_review_ids.revision")
    def _compute_qms_review_state(self):
        for order in self:
            review = order.qms_review_ids.sorted("revision", reverse=True)[:1]
            order.qms_review_id = review
            order.qms_review_state = (
                review.state
                if review and review.state in ("pending", "approved", "rejected")
                else "none"
            )

    def _qms_current_review(self):
        """The round a decision reads. Users cannot write the stored link (it is
        a system field); a round is trusted only if it is this order's own."""
        self.ensure_one()
        review = self.sudo().qms_review_id
        return review if review.order_id == self._origin else review.browse()

    def _compute_qms_review_count(self):
        counts = dict(
            self.env["qms.contract.review"]
            .sudo()
            ._read_group([("order_id", "in", self.ids)], ["order_id"], ["__count"])
        )
        for order in self:
            order.qms_review_count = counts.get(order._origin, 0)

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("state") == "sale" for vals in vals_list):
            companies = self.env["res.company"].browse(
                [v.get("company_id") or self.env.company.id for v in vals_list]
            )
            if any(companies.mapped("qms_review_required")):
                raise UserError(
                    self.env._(
                        "An order cannot be created as confirmed: its contract "
                        "review must be approved first."
                    )
                )
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("state") == "sale":
            # the hard check: no path to a confirmed order skips the review
            self.filtered(lambda o: o.state in ("draft", "sent"))._qms_check_review()
        watched = [f for f in QMS_COMMERCIAL_FIELDS if f in vals]
        before = {}
        if watched:
            before = {
                order: {f: order[f] for f in watched}
                for order in self
                if order.state in ("draft", "sent", "sale")
            }
        res = super().write(vals)
        if before:
            self._qms_track_header_changes(before)
        return res

    def _qms_track_header_changes(self, before):
        for order, old_values in before.items():
            changes = [
                (order._fields[f], old, order[f])
                for f, old in old_values.items()
                if old != order[f]
            ]
            if not changes:
                continue
            if order.state in ("draft", "sent"):
                order._qms_invalidate(
                    ", ".join(
                        field.get_description(self.env)["string"]
                        for field, _o, _n in changes
                    )
                )
            elif order.state == "sale":
                protected = [c for c in changes if c[0].name in QMS_PROTECTED_FIELDS]
                if protected:
                    order._qms_open_amendment(
                        [
                            {
                                "description": field.get_description(self.env)[
                                    "string"
                                ],
                                "kind": "field",
                                "field_ref": f"{field.model_name}.{field.name}",
                                "before": self._qms_display(old),
                                "after": self._qms_display(new),
                            }
                            for field, old, new in protected
                        ]
                    )

    @api.model
    def _qms_display(self, value):
        if isinstance(value, models.BaseModel):
            return ", ".join(value.sudo().mapped("display_name"))
        if value is False or value is None:
            return ""
        return str(value)

    # ------------------------------------------------------------ review rounds
    def _qms_invalidate(self, what):
        """A quotation's commercial content changed: void its live review."""
        for order in self:
            live = order.sudo().qms_review_ids.filtered(
                lambda r: r.state in ("pending", "approved")
            )
            if live:
                live._cancel(
                    self.env._("commercial content changed (%(what)s)", what=what)
                )
            if order.qms_downgraded:
                order._qms_system_write({"qms_downgraded": False})
                order.message_post(
                    body=self.env._(
                        "The downgrade to general contract no longer applies: the "
                        "content changed (%(what)s).",
                        what=what,
                    )
                )

    def action_qms_request_review(self):
        for order in self:
            order.check_access("write")
            review = order._qms_current_review()
            if review.state == "pending":
                raise UserError(
                    self.env._(
                        "The contract review %(round)s of %(order)s is still pending.",
                        round=review.name,
                        order=order.name,
                    )
                )
            if order.state in ("draft", "sent"):
                if review.state == "approved":
                    raise UserError(
                        self.env._(
                            "The contract review of %(order)s is already approved.",
                            order=order.name,
                        )
                    )
                order._qms_create_review("initial")
            elif (
                order.state == "sale"
                and review.kind == "amendment"
                and (review.state in ("rejected", "cancelled"))
            ):
                order._qms_create_review("amendment", review.change_ids._qms_facts())
            else:
                raise UserError(
                    self.env._(
                        "A contract review is requested on a quotation; %(order)s "
                        "is not one.",
                        order=order.name,
                    )
                )
        return True

    def _prepare_qms_review_vals(self, kind, changes=None):
        self.ensure_one()
        last = max(self.sudo().qms_review_ids.mapped("revision") or [0])
        return {
            "order_id": self.id,
            "revision": last + 1,
            "kind": kind,
            "contract_type": self.qms_contract_type,
            "special_reason_ids": [fields.Command.set(self.qms_special_reason_ids.ids)],
            "special_reason_facts": self.qms_special_reason_facts,
            "requested_by": self.env.uid,
            "requested_on": fields.Datetime.now(),
            "amount_total": self.amount_total,
            "change_ids": [fields.Command.create(c) for c in changes or []],
        }

    def _qms_create_review(self, kind, changes=None):
        """Open a round with one line per department that reviews this contract."""
        self.ensure_one()
        self._qms_refresh_classification()
        departments = (
            self.env["qms.department"]
            .sudo()
            ._get_review_departments(self.company_id, self.qms_contract_type)
        )
        if not departments:
            raise UserError(self.env._("No contract review department is configured."))
        empty = departments.filtered(lambda d: not d.user_ids)
        if empty:
            raise UserError(
                self.env._(
                    "These departments have no reviewer: %(departments)s. Set their "
                    "reviewers under Sales QMS > Configuration > Departments.",
                    departments=", ".join(empty.mapped("name")),
                )
            )
        Line = self.env["qms.contract.review.line"].sudo()
        review = (
            self.env["qms.contract.review"]
            .sudo()
            .create(self._prepare_qms_review_vals(kind, changes))
        )
        lines = Line.create(
            [
                Line._prepare_line_vals(review, dept, seq)
                for seq, dept in enumerate(departments, start=1)
            ]
        )
        review.message_subscribe(partner_ids=lines.reviewer_ids.partner_id.ids)
        lines._schedule_activities()
        if kind == "amendment":
            body = self.env._(
                "Amendment review %(round)s opened for: %(changes)s",
                round=review.name,
                changes=review.change_summary,
            )
            self.message_post(
                body=body,
                partner_ids=lines.reviewer_ids.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        else:
            self.message_post(
                body=self.env._(
                    "Contract review %(round)s requested (%(type)s) from %(departments)s.",
                    round=review.name,
                    type=dict(
                        self._fields["qms_contract_type"]._description_selection(
                            self.env
                        )
                    ).get(self.qms_contract_type),
                    departments=", ".join(departments.mapped("name")),
                )
            )
        return review

    def _qms_open_amendment(self, changes):
        """Protected content of a confirmed order changed: review it again."""
        for order in self.filtered("company_id.qms_review_required"):
            review = order._qms_current_review()
            if (
                review.kind == "amendment"
                and review.state == "pending"
                and all(x.state == "pending" for x in review.line_ids)
            ):
                review._qms_system_write(
                    {"change_ids": [fields.Command.create(c) for c in changes]}
                )
                order.message_post(
                    body=self.env._(
                        "Amendment review %(round)s now also covers: %(changes)s",
                        round=review.name,
                        changes="; ".join(
                            f"{c['description']}: {c['before'] or '-'} → {c['after'] or '-'}"
                            for c in changes
                        ),
                    )
                )
                continue
            carried = []
            if review.kind == "amendment" and review.state == "pending":
                carried = review.change_ids._qms_facts()
                review._cancel(self.env._("superseded by a further amendment"))
            order._qms_create_review("amendment", carried + changes)

    def _qms_record_paper_review(self, note):
        """Record a contract review done on paper (migration, demo data).

        Server-side only: private (no RPC) and refused unless running as superuser.
        The round is marked approved by each department's first reviewer and the
        chatter says it was recorded from paper.
        """
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Only the server can record a contract review done on paper."
                )
            )
        for order in self:
            review = order._qms_create_review("initial")
            now = fields.Datetime.now()
            for line in review.line_ids:
                line._qms_system_write(
                    {
                        "state": "approved",
                        "decided_by": line.reviewer_ids[:1].id or self.env.uid,
                        "decided_on": now,
                        "comment": note,
                    }
                )
            review.line_ids.activity_ids.unlink()
            review._refresh_state()
            order.message_post(
                body=self.env._(
                    "Contract review %(round)s recorded from paper: %(note)s",
                    round=review.name,
                    note=note,
                )
            )
        return True

    # ------------------------------------------------------------ confirmation
    def _qms_review_error(self):
        """Why this order cannot be confirmed yet, or False."""
        self.ensure_one()
        order = self.sudo()
        if not order.company_id.qms_review_required:
            return False
        review = order._qms_current_review()
        if review.state == "approved":
            return False
        if review.state == "pending":
            return self.env._(
                "%(order)s cannot be confirmed before its contract review %(round)s "
                "is approved. Still missing: %(departments)s.",
                order=order.name,
                round=review.name,
                departments=review.missing_department_names,
            )
        if review.state == "rejected":
            return self.env._(
                "%(order)s cannot be confirmed: its contract review %(round)s was "
                "rejected by %(departments)s. Correct it and request a new review.",
                order=order.name,
                round=review.name,
                departments=", ".join(
                    review.line_ids.filtered(lambda x: x.state == "rejected").mapped(
                        "department_id.name"
                    )
                ),
            )
        departments = (
            self.env["qms.department"]
            .sudo()
            ._get_review_departments(order.company_id, order.qms_contract_type)
        )
        return self.env._(
            "%(order)s cannot be confirmed before its contract review is approved. "
            "Request a review; still missing: %(departments)s.",
            order=order.name,
            departments=", ".join(departments.mapped("name")),
        )

    def _qms_check_review(self):
        for order in self:
            error = order._qms_review_error()
            if error:
                raise UserError(error)

    def _confirmation_error_message(self):
        return super()._confirmation_error_message() or self._qms_review_error()

    def action_quotation_send(self):
        self._qms_check_send()
        return super().action_quotation_send()

    def action_preview_sale_order(self):
        self._qms_check_send()
        return super().action_preview_sale_order()

    def _qms_check_send(self):
        for order in self:
            if (
                order.company_id.qms_review_block_send
                and order.state in ("draft", "sent")
                and order._qms_current_review().state != "approved"
            ):
                raise UserError(
                    self.env._(
                        "%(order)s can be sent to the customer only after its "
                        "contract review is approved.",
                        order=order.name,
                    )
                )

    # ------------------------------------------------------------ buttons
    @api.readonly
    def action_qms_view_reviews(self):
        self._qms_check_readable()
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_contract_review_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_order_id": self.id}
        return action
