from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .qms_management_review import MAIL_FIELDS

# what the owner of a decision records
PROGRESS_FIELDS = {"result"}
# what a QMS manager may still re-plan once the review is approved (tracked)
REPLAN_FIELDS = {"owner_id", "due_date"}


class QmsManagementReviewAction(models.Model):
    """A decision of a management review (ISO 9001 9.3.3): an improvement, a
    change to the QMS or a resource need, with an owner and a due date,
    followed up to its closure."""

    _name = "qms.management.review.action"
    _description = "Management Review Decision"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.system.fields.mixin"]
    _order = "review_id desc, due_date, id"
    _rec_name = "description"
    _check_company_auto = True
    _qms_system_fields = ("done_date", "state", "done_by")

    review_id = fields.Many2one(
        "qms.management.review",
        string="Management Review",
        required=True,
        ondelete="restrict",
        index=True,
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    review_state = fields.Selection(related="review_id.state", string="Review Status")
    review_date = fields.Date(related="review_id.date", store=True)
    description = fields.Text(required=True, tracking=True)
    kind = fields.Selection(
        [
            ("improvement", "Improvement"),
            ("change", "Change to the QMS"),
            ("resource", "Resource need"),
        ],
        required=True,
        default="improvement",
        tracking=True,
    )
    owner_id = fields.Many2one("res.users", required=True, tracking=True)
    due_date = fields.Date(required=True, tracking=True)
    done_date = fields.Date(string="Done On", readonly=True, copy=False)
    done_by = fields.Many2one("res.users", readonly=True, copy=False)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done")],
        required=True,
        default="open",
        readonly=True,
        index=True,
        tracking=True,
    )
    result = fields.Text(
        help="What was done and the evidence of its effectiveness; needed to close."
    )
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue", string="Overdue"
    )

    @api.depends("due_date", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = action.state == "open" and action.due_date < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Overdue."))
        domain = [
            ("state", "=", "open"),
            ("due_date", "<", fields.Date.context_today(self)),
        ]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions._qms_check_review_open()
        return actions

    def write(self, vals):
        self._qms_check_input(vals)
        if not self._qms_is_system_write():
            self._qms_check_user_write(vals)
        res = super().write(vals)
        if "owner_id" in vals or "due_date" in vals:
            self.filtered(lambda a: a.review_state == "approved")._qms_schedule()
        return res

    def _qms_check_user_write(self, vals):
        fnames = set(vals) - MAIL_FIELDS
        if not fnames:
            return
        if "review_id" in fnames and any(
            a.review_id.id != vals["review_id"] for a in self
        ):
            raise UserError(
                self.env._("A decision stays with the review that took it.")
            )
        is_manager = self.env.user.has_group("sales_qms.group_qms_manager")
        for action in self:
            decided = action.review_id.state == "approved"
            if decided and fnames - PROGRESS_FIELDS - REPLAN_FIELDS:
                raise UserError(
                    self.env._(
                        "The decision %(decision)s was approved with review %(review)s: "
                        "only its result, owner and due date can change.",
                        decision=action.description,
                        review=action.review_id.name,
                    )
                )
            if not is_manager:
                if fnames - PROGRESS_FIELDS or action.owner_id != self.env.user:
                    raise AccessError(
                        self.env._(
                            "Only a QMS manager changes the decisions of a management "
                            "review; their owner records the result."
                        )
                    )
            if action.state == "done":
                raise UserError(
                    self.env._(
                        "The decision %(decision)s is done: it is kept as it was closed.",
                        decision=action.description,
                    )
                )

    def _qms_check_review_open(self):
        decided = self.filtered(lambda a: a.review_id.state == "approved")
        if decided:
            raise UserError(
                self.env._(
                    "Management review %(review)s is approved: no decision can be "
                    "added or removed.",
                    review=decided[0].review_id.name,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        self._qms_check_review_open()

    # ------------------------------------------------------------ actions
    def action_done(self):
        """The owner (or a QMS manager) closes the decision, its result written."""
        is_manager = self.env.user.has_group("sales_qms.group_qms_manager")
        for action in self:
            if not (self.env.su or is_manager or action.owner_id == self.env.user):
                raise AccessError(
                    self.env._(
                        "Only %(owner)s (the owner) or a QMS manager can close the "
                        "decision %(decision)s.",
                        owner=action.owner_id.name,
                        decision=action.description,
                    )
                )
            action.check_access("read")
            if action.review_id.state != "approved":
                raise UserError(
                    self.env._(
                        "The decision %(decision)s is closed once its review is "
                        "approved.",
                        decision=action.description,
                    )
                )
            if action.state == "done":
                continue
            if not (action.result or "").strip():
                raise UserError(
                    self.env._(
                        "The decision %(decision)s cannot be closed. Still missing: "
                        "its result.",
                        decision=action.description,
                    )
                )
            action._qms_system_write(
                {
                    "state": "done",
                    "done_date": fields.Date.context_today(action),
                    "done_by": self.env.user.id,
                }
            )
            action.sudo().activity_feedback(
                ["mail.mail_activity_data_todo"], feedback=action.result
            )
        return True

    def _qms_schedule(self):
        """One to-do for the owner of each open decision, due on its date."""
        for action in self.filtered(lambda a: a.state == "open").sudo():
            action.activity_unlink(["mail.mail_activity_data_todo"])
            action.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=action.owner_id.id,
                date_deadline=action.due_date,
                summary=self.env._("Management review decision"),
                note=action.description,
            )
