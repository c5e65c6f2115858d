from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class QmsDeliveryRelease(models.Model):
    _name = "qms.delivery.release"
    _description = "Delivery Release (Emergency Release or Concession)"
    _inherit = [
        "qms.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "qms.audit.mixin",
    ]
    _qms_sequence_code = "qms.delivery.release"
    # recorded by the system when the release is requested and decided
    _qms_system_fields = ("requested_by", "requested_on", "approver_id", "approved_on")
    _order = "id desc"

    # ------------------------------------------------------------------ fields
    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Transfer",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('qms_inspection_id', '!=', False), ('state', 'not in', ('done', 'cancel'))]",
    )
    company_id = fields.Many2one(
        related="picking_id.company_id", store=True, index=True
    )
    partner_id = fields.Many2one(related="picking_id.partner_id")
    inspection_id = fields.Many2one(related="picking_id.qms_inspection_id")
    inspection_result = fields.Selection(related="picking_id.qms_inspection_id.result")
    kind = fields.Selection(
        [("emergency", "Emergency Release"), ("concession", "Concession")],
        required=True,
        default="emergency",
        tracking=True,
        help="Emergency release (紧急放行): the goods leave before the inspection is "
        "completed, because of urgency. Concession (让步接收): goods that failed "
        "the inspection are delivered with the customer's consent.",
    )
    reason = fields.Text(required=True)
    lot_ids = fields.Many2many(
        "stock.lot",
        string="Lots",
        help="Lots this release covers; empty means every lot of the transfer.",
    )
    picking_lot_ids = fields.Many2many(
        "stock.lot", compute="_compute_picking_lot_ids", string="Lots of the Transfer"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("requested", "Requested"),
            ("approved", "Approved"),
            ("refused", "Refused"),
        ],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    requested_by = fields.Many2one("res.users", readonly=True, tracking=True)
    requested_on = fields.Datetime(readonly=True)
    approver_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    approved_on = fields.Datetime(string="Decided On", readonly=True)
    consent_partner_id = fields.Many2one(
        "res.partner",
        string="Customer Contact",
        help="The customer's person who agreed to the concession.",
    )
    consent_date = fields.Date()
    consent_document = fields.Binary(attachment=True)
    consent_filename = fields.Char()

    # ------------------------------------------------------------------ computes
    @api.depends("picking_id.move_line_ids.lot_id")
    def _compute_picking_lot_ids(self):
        for release in self:
            release.picking_lot_ids = release.picking_id.move_line_ids.lot_id

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "draft") != "draft":
                raise UserError(self.env._("A release is created as a draft."))
        return super().create(vals_list)

    def write(self, vals):
        if self._qms_is_system_write():
            # the system recording a request, an approval or a refusal
            return super().write(vals)
        if "state" in vals:
            raise UserError(
                self.env._(
                    "Use the Request, Approve and Refuse buttons to change the status "
                    "of a release."
                )
            )
        self._check_draft()
        return super().write(vals)

    def _check_draft(self):
        for release in self:
            if release.state != "draft":
                raise UserError(
                    self.env._(
                        "The release %(release)s is %(state)s: it can no longer be changed.",
                        release=release.name,
                        state=dict(
                            release._fields["state"]._description_selection(self.env)
                        )[release.state],
                    )
                )

    def _set_state(self, vals):
        return self._qms_system_write(vals)

    # ------------------------------------------------------------------ checks
    def _check_requestable(self):
        for release in self:
            release._check_draft()
            picking = release.picking_id
            if picking.state in ("done", "cancel") or not picking.qms_inspection_id:
                raise UserError(
                    self.env._(
                        "A release is asked for a transfer that awaits its pre-delivery "
                        "inspection; %s does not.",
                        picking.name,
                    )
                )
            if not (release.reason or "").strip():
                raise UserError(self.env._("State the reason for the release."))
            if release.kind == "concession":
                release._check_concession()
            elif picking.qms_inspection_id.result == "failed":
                raise UserError(
                    self.env._(
                        "The goods of %s failed their inspection: they can only leave "
                        "by a concession with the customer's consent, not by an "
                        "emergency release.",
                        picking.name,
                    )
                )

    def _check_concession(self):
        self.ensure_one()
        if self.picking_id.qms_inspection_id.result != "failed":
            raise UserError(
                self.env._(
                    "A concession is only possible for goods that failed their "
                    "inspection; the inspection of %s has not failed.",
                    self.picking_id.name,
                )
            )
        missing = [
            label
            for field, label in (
                ("consent_partner_id", self.env._("customer contact")),
                ("consent_date", self.env._("consent date")),
                ("consent_document", self.env._("consent document")),
            )
            if not self[field]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "A concession needs the customer's recorded consent. Missing: %s",
                    ", ".join(missing),
                )
            )

    def _check_decider(self):
        user = self.env.user
        if not user.has_group("sales_qms.group_qms_manager"):
            raise AccessError(
                self.env._(
                    "Only a QMS manager can approve or refuse a delivery release; "
                    "%s is not one.",
                    user.name,
                )
            )
        for release in self:
            if release.state != "requested":
                raise UserError(
                    self.env._(
                        "The release %s has not been requested or is already decided.",
                        release.name,
                    )
                )
            if release.requested_by == user:
                raise UserError(
                    self.env._(
                        "%(user)s requested the release %(release)s and cannot approve "
                        "or refuse it: another QMS manager must decide.",
                        user=user.name,
                        release=release.name,
                    )
                )

    # ------------------------------------------------------------------ actions
    def action_request(self):
        self._check_requestable()
        self._set_state(
            {
                "state": "requested",
                "requested_by": self.env.user.id,
                "requested_on": fields.Datetime.now(),
            }
        )
        return True

    def action_approve(self):
        self._check_decider()
        for release in self.filtered(lambda r: r.kind == "concession"):
            release._check_concession()
        self._set_state(
            {
                "state": "approved",
                "approver_id": self.env.user.id,
                "approved_on": fields.Datetime.now(),
            }
        )
        self.filtered(lambda r: r.kind == "emergency")._remind_inspectors()
        return True

    def action_refuse(self):
        self._check_decider()
        self._set_state(
            {
                "state": "refused",
                "approver_id": self.env.user.id,
                "approved_on": fields.Datetime.now(),
            }
        )
        return True

    # ------------------------------------------------------------------ business
    def _covered_lots(self):
        """Lots of the transfer this approved release lets through."""
        self.ensure_one()
        return self.lot_ids or self.picking_id.move_line_ids.lot_id

    def _get_inspectors_to_remind(self, company):
        group = self.env.ref("sales_qms.group_qms_inspector")
        users = group.sudo().users.filtered(
            lambda u: company in u.company_ids and not u.share
        )
        # managers hold the inspector role too; remind the inspectors proper first
        inspectors = users.filtered(
            lambda u: not u.has_group("sales_qms.group_qms_manager")
        )
        return inspectors or users

    def _remind_inspectors(self):
        for release in self:
            inspection = release.picking_id.qms_inspection_id.sudo()
            if not inspection or inspection.is_complete:
                continue
            for user in self._get_inspectors_to_remind(release.company_id):
                inspection.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._(
                        "Complete the inspection after emergency release"
                    ),
                    note=self.env._(
                        "The transfer %(picking)s was released before inspection "
                        "(%(release)s). Complete and sign the pre-delivery inspection.",
                        picking=release.picking_id.name,
                        release=release.name,
                    ),
                    user_id=user.id,
                )
