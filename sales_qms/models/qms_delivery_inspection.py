from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression

SIGNER_ROLES = {
    # role: group the signer must hold
    "keeper": "sales_qms.group_qms_warehouse_keeper",
    "inspector": "sales_qms.group_qms_inspector",
}
LOCKED_FIELDS = {"line_ids", "keeper_signature", "inspector_signature"}


class QmsDeliveryInspection(models.Model):
    _name = "qms.delivery.inspection"
    _description = "Pre-delivery Inspection"
    _inherit = [
        "qms.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "qms.audit.mixin",
    ]
    _qms_sequence_code = "qms.delivery.inspection"
    _order = "id desc"
    _rec_name = "name"
    # recorded by the system when a signature is written
    _qms_system_fields = (
        "keeper_id",
        "keeper_signed_on",
        "inspector_id",
        "inspector_signed_on",
        "signed_content_hash",
        "failed_on",
    )

    # ------------------------------------------------------------------ fields
    name = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Transfer",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    # computed before the INSERT (precompute): no UPDATE after it when a
    # delivery is confirmed
    company_id = fields.Many2one(
        related="picking_id.company_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(related="picking_id.partner_id")
    picking_state = fields.Selection(
        related="picking_id.state", string="Transfer Status"
    )
    line_ids = fields.One2many(
        "qms.delivery.inspection.line", "inspection_id", string="Checklist"
    )
    result = fields.Selection(
        [("pending", "Pending"), ("passed", "Passed"), ("failed", "Failed")],
        compute="_compute_result",
        store=True,
        precompute=True,
        index=True,
        tracking=True,
    )
    keeper_signature = fields.Image(
        string="Warehouse Keeper Signature", copy=False, attachment=True
    )
    keeper_id = fields.Many2one("res.users", string="Warehouse Keeper", readonly=True)
    keeper_signed_on = fields.Datetime(string="Keeper Signed", readonly=True)
    inspector_signature = fields.Image(
        string="QC Inspector Signature", copy=False, attachment=True
    )
    inspector_id = fields.Many2one("res.users", string="QC Inspector", readonly=True)
    inspector_signed_on = fields.Datetime(string="Inspector Signed", readonly=True)
    signed_content_hash = fields.Char(
        readonly=True,
        copy=False,
        help="Fingerprint of the products, lots and quantities that were signed for.",
    )
    failed_on = fields.Datetime(
        string="First Failed On",
        readonly=True,
        copy=False,
        help="When an item of the checklist first failed: an inspection that "
        "failed once does not count as passed first time (quality objectives).",
    )
    is_complete = fields.Boolean(
        string="Signed Off",
        compute="_compute_is_complete",
        store=True,
        precompute=True,
        help="Passed and signed by the warehouse keeper and the QC inspector.",
    )
    release_ids = fields.One2many(related="picking_id.qms_release_ids")
    to_sign = fields.Boolean(
        string="Waiting for My Signature",
        compute="_compute_to_sign",
        search="_search_to_sign",
        help="The delivery is open, not released, and the signature of your role "
        "(warehouse keeper, QC inspector) is missing.",
    )
    signer_name = fields.Char(
        compute="_compute_signer_name",
        help="Name the signature widget writes: the signature is always the "
        "current user's.",
    )

    _sql_constraints = [
        (
            "picking_uniq",
            "unique(picking_id)",
            "A transfer has one pre-delivery inspection.",
        )
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("line_ids.result")
    def _compute_result(self):
        for inspection in self:
            results = inspection.line_ids.mapped("result")
            if "fail" in results:
                inspection.result = "failed"
            elif not results or not all(results):
                inspection.result = "pending"
            else:
                inspection.result = "passed"

    @api.model
    def _to_sign_domain(self):
        """Inspections that wait for the current user's signature: for a keeper
        the keeper's, for an inspector the inspector's, for others any."""
        user = self.env.user
        missing = []
        if user.has_group(SIGNER_ROLES["keeper"]):
            missing.append([("keeper_id", "=", False)])
        if user.has_group(SIGNER_ROLES["inspector"]):
            missing.append([("inspector_id", "=", False)])
        if not missing:
            missing = [[("keeper_id", "=", False)], [("inspector_id", "=", False)]]
        return expression.AND(
            [
                [
                    ("picking_id.state", "not in", ("done", "cancel")),
                    ("picking_id.qms_inspection_state", "!=", "released"),
                ],
                expression.OR(missing),
            ]
        )

    @api.depends_context("uid")
    @api.depends("keeper_id", "inspector_id", "picking_id.state")
    def _compute_to_sign(self):
        waiting = self.filtered_domain(self._to_sign_domain())
        for inspection in self:
            inspection.to_sign = inspection in waiting

    def _search_to_sign(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Unsupported search on 'Waiting for My Signature'.")
            )
        domain = self._to_sign_domain()
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    @api.depends_context("uid")
    def _compute_signer_name(self):
        self.signer_name = self.env.user.name

    @api.depends("result", "keeper_id", "inspector_id")
    def _compute_is_complete(self):
        for inspection in self:
            inspection.is_complete = bool(
                inspection.result == "passed"
                and inspection.keeper_id
                and inspection.inspector_id
            )

    def init(self):
        res = super().init()
        # inspections that failed before the first-failure stamp existed
        self.env.cr.execute(
            """
            UPDATE qms_delivery_inspection SET failed_on = write_date
             WHERE result = 'failed' AND failed_on IS NULL
            """
        )
        return res

    def _qms_stamp_failed(self):
        """Record when the checklist first failed (system field)."""
        failed = self.filtered(lambda i: i.result == "failed" and not i.failed_on)
        if failed:
            failed._qms_system_write({"failed_on": fields.Datetime.now()})

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if any(vals.get(role + "_signature") for role in SIGNER_ROLES):
                raise UserError(
                    self.env._("Fill in the checklist before signing the inspection.")
                )
        return super().create(vals_list)

    def write(self, vals):
        if self._qms_is_system_write():
            # the system recording a signature, its withdrawal or a clearing
            return super().write(vals)
        if {"picking_id", "name"} & vals.keys():
            raise UserError(
                self.env._(
                    "An inspection stays with the transfer and the number it was "
                    "created with."
                )
            )
        if LOCKED_FIELDS & vals.keys():
            self._check_editable()
        # the caller's dict stays as it is: after a serialization failure Odoo
        # replays the call with the same arguments, signatures included
        vals = dict(vals)
        signatures = {
            role: vals.pop(role + "_signature")
            for role in SIGNER_ROLES
            if role + "_signature" in vals
        }
        res = super().write(vals) if vals else True
        for role, signature in signatures.items():
            for inspection in self:
                if signature:
                    inspection._sign(role, signature)
                else:
                    inspection._withdraw_signature(role)
        return res

    def _check_editable(self):
        for inspection in self:
            picking = inspection.picking_id
            if (
                picking.state == "done"
                and picking.qms_emergency_release
                and not inspection.is_complete
            ):
                # released before inspection: completed afterwards, then frozen
                continue
            if picking.state in ("done", "cancel"):
                raise UserError(
                    self.env._(
                        "The inspection %(inspection)s belongs to the transfer %(picking)s, "
                        "which is done or cancelled: it can no longer be changed.",
                        inspection=inspection.name,
                        picking=inspection.picking_id.name,
                    )
                )

    # ------------------------------------------------------------------ signing
    def _role_label(self, role):
        return {
            "keeper": self.env._("warehouse keeper"),
            "inspector": self.env._("QC inspector"),
        }[role]

    def _check_can_sign(self, role):
        self.ensure_one()
        user = self.env.user
        if not user.has_group(SIGNER_ROLES[role]):
            raise AccessError(
                self.env._(
                    "%(user)s cannot sign the inspection %(inspection)s as %(role)s: "
                    "only members of the group %(group)s can.",
                    user=user.name,
                    inspection=self.name,
                    role=self._role_label(role),
                    group=self.env.ref(SIGNER_ROLES[role]).name,
                )
            )
        other = "inspector" if role == "keeper" else "keeper"
        if self[f"{other}_id"] == user:
            raise UserError(
                self.env._(
                    "%(user)s already signed the inspection %(inspection)s as %(role)s: "
                    "the warehouse keeper and the QC inspector must be two different people.",
                    user=user.name,
                    inspection=self.name,
                    role=self._role_label(other),
                )
            )
        unanswered = self.line_ids.filtered(lambda line: not line.result)
        if unanswered or not self.line_ids:
            raise UserError(
                self.env._(
                    "The inspection %(inspection)s cannot be signed before every checklist "
                    "item is answered. Unanswered: %(items)s",
                    inspection=self.name,
                    items=", ".join(unanswered.mapped("name")) or "-",
                )
            )
        if not self.picking_id._qms_content_lines():
            raise UserError(
                self.env._(
                    "The transfer %s has no quantities to inspect yet: reserve or enter "
                    "the quantities before signing.",
                    self.picking_id.name,
                )
            )

    def _sign(self, role, signature):
        self.ensure_one()
        self._check_can_sign(role)
        content_hash = self.picking_id._qms_content_hash()
        other = "inspector" if role == "keeper" else "keeper"
        vals = {
            role + "_signature": signature,
            role + "_id": self.env.user.id,
            role + "_signed_on": fields.Datetime.now(),
            "signed_content_hash": content_hash,
        }
        if (
            self[f"{other}_id"]
            and self.signed_content_hash
            and self.signed_content_hash != content_hash
        ):
            # the first signature was given for other goods than the second one
            vals.update(self._cleared_signature_vals(other))
        res = self._qms_system_write(vals)
        self.message_post(
            body=self.env._(
                "Signed as %(role)s by %(user)s.",
                role=self._role_label(role),
                user=self.env.user.name,
            )
        )
        if self.is_complete and self.activity_ids:
            # the reminders of an emergency release are answered
            self.sudo().activity_ids.action_feedback(
                feedback=self.env._("Inspection completed and signed.")
            )
        return res

    def _withdraw_signature(self, role):
        self.ensure_one()
        if not self[role + "_id"]:
            return
        if self[role + "_id"] != self.env.user and not self.env.user.has_group(
            "sales_qms.group_qms_manager"
        ):
            raise AccessError(
                self.env._(
                    "Only %(user)s or a QMS manager can withdraw the %(role)s signature "
                    "of the inspection %(inspection)s.",
                    user=self[role + "_id"].name,
                    role=self._role_label(role),
                    inspection=self.name,
                )
            )
        self._qms_system_write(self._cleared_signature_vals(role))
        self.message_post(
            body=self.env._(
                "The %(role)s signature was withdrawn by %(user)s.",
                role=self._role_label(role),
                user=self.env.user.name,
            )
        )

    @api.model
    def _cleared_signature_vals(self, role):
        return {
            role + "_signature": False,
            role + "_id": False,
            role + "_signed_on": False,
        }

    def _clear_signatures(self, reason):
        """Drop both signatures (system side) and say why in the chatter."""
        signed = self.filtered(lambda i: i.keeper_id or i.inspector_id)
        if not signed:
            return
        vals = {
            **self._cleared_signature_vals("keeper"),
            **self._cleared_signature_vals("inspector"),
            "signed_content_hash": False,
        }
        signed._qms_system_write(vals)
        for inspection in signed:
            body = self.env._(
                "Signatures cleared: %(reason)s. The warehouse keeper and the QC "
                "inspector must sign again.",
                reason=reason,
            )
            inspection.sudo().message_post(body=body)
            inspection.picking_id.sudo().message_post(body=body)

    # ------------------------------------------------------------------ actions
    @api.readonly
    def action_open_picking(self):
        self._qms_check_readable()
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.picking",
            "res_id": self.picking_id.id,
            "views": [(False, "form")],
        }

    @api.readonly
    def action_print(self):
        self._qms_check_readable()
        return self.env["qms.report.print.wizard"]._open(
            "sales_qms.action_report_delivery_inspection", self.picking_id
        )

    def action_all_pass(self):
        """Answer every unanswered item 'Pass' (the answered ones keep their
        answer), as the user: the checklist rules apply."""
        self.line_ids.filtered(lambda line: not line.result).write({"result": "pass"})
        return True

    def _check_checklist_open(self):
        """The checklist is what was signed for: frozen once someone signed."""
        self._check_editable()
        for inspection in self:
            if inspection.keeper_id or inspection.inspector_id:
                raise UserError(
                    self.env._(
                        "The checklist of the inspection %s is signed: the signers must "
                        "withdraw their signatures before it can be changed.",
                        inspection.name,
                    )
                )
