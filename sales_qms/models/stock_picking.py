import hashlib

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_repr

VALIDATING_KEY = "sales_qms_validating_picking_ids"
# the checks a button_validate call has already passed: {(check, model, id)}
CHECKED_KEY = "sales_qms_validation_checked"


def unchecked(records, check):
    """The records that the button_validate call under way has not passed
    through ``check`` yet: all of them outside such a call."""
    passed = records.env.cr.cache.get(CHECKED_KEY)
    if passed is None:
        return records
    return records.filtered(lambda r: (check, r._name, r.id) not in passed)


def mark_checked(records, check):
    """``records`` passed ``check`` in the button_validate call under way."""
    passed = records.env.cr.cache.get(CHECKED_KEY)
    if passed is not None:
        passed.update((check, r._name, r.id) for r in records)


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "qms.system.fields.mixin"]
    _qms_system_fields = ("qms_inspection_id",)

    qms_inspection_required = fields.Boolean(
        related="picking_type_id.qms_inspection_required",
        string="Inspection Required",
    )
    qms_inspection_id = fields.Many2one(
        "qms.delivery.inspection",
        string="Pre-delivery Inspection",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    qms_release_ids = fields.One2many(
        "qms.delivery.release", "picking_id", string="Releases", copy=False
    )
    # every inspection points to its picking: depending on this side spares the
    # search for the pickings of an inspection whose result changes
    qms_inspection_ids = fields.One2many(
        "qms.delivery.inspection", "picking_id", string="Inspections", copy=False
    )
    qms_inspection_state = fields.Selection(
        [
            ("not_required", "Not Required"),
            ("pending", "Pending"),
            ("passed", "Passed"),
            ("failed", "Failed"),
            ("released", "Released"),
        ],
        string="Inspection Status",
        compute="_compute_qms_inspection_state",
        store=True,
        index=True,
    )
    # the checklist and the signatures, editable from the transfer form; writing
    # them goes through the inspection, its rules and its recording of the signer
    qms_inspection_line_ids = fields.One2many(
        related="qms_inspection_id.line_ids", readonly=False
    )
    qms_inspection_result = fields.Selection(related="qms_inspection_id.result")
    qms_keeper_signature = fields.Image(
        related="qms_inspection_id.keeper_signature", readonly=False
    )
    qms_keeper_id = fields.Many2one(related="qms_inspection_id.keeper_id")
    qms_keeper_signed_on = fields.Datetime(related="qms_inspection_id.keeper_signed_on")
    qms_inspector_signature = fields.Image(
        related="qms_inspection_id.inspector_signature", readonly=False
    )
    qms_inspector_id = fields.Many2one(related="qms_inspection_id.inspector_id")
    qms_inspector_signed_on = fields.Datetime(
        related="qms_inspection_id.inspector_signed_on"
    )
    qms_signer_name = fields.Char(related="qms_inspection_id.signer_name")
    qms_emergency_release = fields.Boolean(
        string="Emergency Release",
        compute="_compute_qms_release_marks",
        compute_sudo=True,
        help="Released before inspection because of urgency (紧急放行).",
    )
    qms_concession = fields.Boolean(
        string="Concession", compute="_compute_qms_release_marks", compute_sudo=True
    )
    qms_blocked_reason = fields.Text(
        string="Why It Cannot Be Validated",
        compute="_compute_qms_blocked_reason",
        help="What keeps this delivery from leaving (pre-delivery inspection, "
        "contract amendment), as Validate would say it.",
    )

    # ------------------------------------------------------------------ computes
    # picking_type_id.qms_inspection_required is no dependency: switching it on
    # a type recomputes the type's open transfers only (stock.picking.type's
    # write), not every transfer of its history
    @api.depends(
        "picking_type_id",
        "qms_inspection_id",
        "qms_inspection_ids.result",
        "qms_inspection_ids.is_complete",
        "qms_release_ids.state",
    )
    def _compute_qms_inspection_state(self):
        for picking in self:
            inspection = picking.qms_inspection_id
            if not inspection and not picking.picking_type_id.qms_inspection_required:
                picking.qms_inspection_state = "not_required"
            elif inspection.is_complete:
                picking.qms_inspection_state = "passed"
            elif "approved" in picking.qms_release_ids.mapped("state"):
                picking.qms_inspection_state = "released"
            elif inspection.result == "failed":
                picking.qms_inspection_state = "failed"
            else:
                picking.qms_inspection_state = "pending"

    @api.depends_context("lang")
    @api.depends("state", "qms_inspection_state", "move_line_ids.quantity")
    def _compute_qms_blocked_reason(self):
        pickings = self.filtered(
            lambda p: p.id and p.state not in ("draft", "done", "cancel")
        )
        issues = pickings._origin._qms_delivery_issues()
        for picking in self:
            reasons = list(issues.get(picking._origin, []))
            if picking in pickings:
                reasons += picking._origin._qms_amendment_issues()
            picking.qms_blocked_reason = "\n".join(reasons) or False

    @api.depends("qms_release_ids.state", "qms_release_ids.kind")
    def _compute_qms_release_marks(self):
        for picking in self:
            kinds = picking.qms_release_ids.filtered(
                lambda r: r.state == "approved"
            ).mapped("kind")
            picking.qms_emergency_release = "emergency" in kinds
            picking.qms_concession = "concession" in kinds

    # ------------------------------------------------------------------ core hooks
    def _pre_action_done_hook(self):
        # refuse before any wizard (backorder, expiry) asks the user something
        self._qms_check_deliverable()
        return super()._pre_action_done_hook()

    def _create_backorder(self, backorder_moves=None):
        backorders = super()._create_backorder(backorder_moves=backorder_moves)
        backorders._qms_ensure_inspection()
        return backorders

    # ------------------------------------------------------------------ inspection
    def _qms_ensure_inspection(self):
        """Give every confirmed picking of an inspected type its inspection."""
        pickings = self.filtered(
            lambda p: (
                p.picking_type_id.qms_inspection_required
                and not p.qms_inspection_id
                and p.state not in ("draft", "done", "cancel")
            )
        )
        if not pickings:
            return self.env["qms.delivery.inspection"]
        # whoever confirms the transfer (a salesperson confirming an order, a
        # warehouse user) needs no Sales QMS rights for its inspection to exist
        inspections = (
            self.env["qms.delivery.inspection"]
            .sudo()
            .create([p._qms_prepare_inspection_vals() for p in pickings.sudo()])
        )
        for picking, inspection in zip(pickings, inspections, strict=True):
            picking._qms_system_write({"qms_inspection_id": inspection.id})
        return inspections

    def _qms_prepare_inspection_vals(self):
        self.ensure_one()
        # items are copied with every translation of their template item (see
        # qms.delivery.inspection.line.create): each reader reads their language
        items = (
            self.env["qms.inspection.template"]
            .with_context(lang="en_US")
            ._get_template_items(self.move_ids.product_id, self.company_id)
        )
        return {
            "picking_id": self.id,
            "line_ids": [
                fields.Command.create(
                    {"sequence": seq, "name": name, "template_line_id": item_id}
                )
                for seq, (item_id, name) in enumerate(items, start=1)
            ],
        }

    def _qms_content_lines(self):
        return self.move_line_ids.filtered(lambda ml: ml.quantity > 0)

    def _qms_content_hash(self):
        """Fingerprint of what leaves: product, lot, unit and quantity per line."""
        self.ensure_one()
        content = sorted(
            (
                ml.product_id.id,
                ml.lot_id.name or ml.lot_name or "",
                ml.product_uom_id.id,
                float_repr(ml.quantity, 6),
            )
            for ml in self._qms_content_lines()
        )
        return hashlib.sha1(repr(content).encode()).hexdigest()

    def _qms_on_content_change(self):
        """Clear the signatures of pickings whose signed content changed."""
        validating = self.env.cr.cache.get(VALIDATING_KEY, set())
        for picking in self.sudo():
            inspection = picking.qms_inspection_id
            if (
                not inspection
                or picking.id in validating
                or picking.state in ("done", "cancel")
                or not (inspection.keeper_id or inspection.inspector_id)
            ):
                continue
            if inspection.signed_content_hash != picking._qms_content_hash():
                inspection._clear_signatures(
                    self.env._(
                        "the products, lots or quantities of %s changed", picking.name
                    )
                )

    # ------------------------------------------------------------------ releases
    def _qms_released_lots(self):
        """Lots covered by an approved release of these pickings (the lot status
        capability lets them through)."""
        lots = self.env["stock.lot"]
        for release in self.qms_release_ids.filtered(lambda r: r.state == "approved"):
            lots |= release._covered_lots()
        return lots

    def _qms_is_released(self):
        self.ensure_one()
        releases = self.qms_release_ids.filtered(lambda r: r.state == "approved")
        if not releases:
            return False
        if any(not r.lot_ids for r in releases):
            return True
        return not (self.move_line_ids.lot_id - releases.lot_ids)

    # ------------------------------------------------------------------ validation
    def _qms_current_inspection(self):
        """The inspection a decision reads. Users cannot write the stored link (a
        system field); an inspection is trusted only if it is this transfer's own."""
        self.ensure_one()
        inspection = self.sudo().qms_inspection_id
        return (
            inspection if inspection.picking_id == self._origin else inspection.browse()
        )

    def _qms_delivery_issues(self):
        """What keeps each picking from leaving: {picking: [reason, ...]}."""
        issues = {}
        # read as the system: the rule holds whatever the user may read
        for picking in self.sudo().filtered("picking_type_id.qms_inspection_required"):
            if picking._qms_is_released():
                continue
            inspection = picking._qms_current_inspection()
            reasons = []
            if not inspection:
                reasons.append(self.env._("it has no pre-delivery inspection"))
            else:
                if inspection.result == "failed":
                    reasons.append(
                        self.env._(
                            "the inspection failed (a concession approved by a QMS "
                            "manager with the customer's consent is needed)"
                        )
                    )
                elif inspection.result != "passed":
                    reasons.append(self.env._("the checklist is not completed"))
                if not inspection.keeper_id:
                    reasons.append(self.env._("the warehouse keeper has not signed"))
                if not inspection.inspector_id:
                    reasons.append(self.env._("the QC inspector has not signed"))
                if (
                    inspection.keeper_id or inspection.inspector_id
                ) and inspection.signed_content_hash != picking._qms_content_hash():
                    reasons.append(
                        self.env._("the goods changed after the inspection was signed")
                    )
            if reasons:
                issues[picking] = reasons
        return issues

    def _qms_check_deliverable(self):
        todo = unchecked(self, "deliverable")
        issues = todo._qms_delivery_issues()
        if not issues:
            mark_checked(todo, "deliverable")
            return
        lines = [
            self.env._("%(picking)s: %(reasons)s", picking=p.name, reasons="; ".join(r))
            for p, r in issues.items()
        ]
        raise UserError(
            self.env._(
                "These transfers cannot leave before their pre-delivery inspection is "
                "passed and signed by the warehouse keeper and the QC inspector, or a "
                "QMS manager approved a release:\n%s",
                "\n".join(lines),
            )
        )

    # ------------------------------------------------------------------ actions
    def action_qms_open_inspection(self):
        self._qms_check_readable()
        self.ensure_one()
        self._qms_ensure_inspection()
        if not self.qms_inspection_id:
            raise UserError(
                self.env._(
                    "The transfer %s has no pre-delivery inspection: confirm it first, "
                    "or its operation type does not require one.",
                    self.name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.delivery.inspection",
            "res_id": self.qms_inspection_id.id,
            "views": [(False, "form")],
        }

    def action_qms_all_pass(self):
        self._qms_check_readable()
        self.ensure_one()
        return self._qms_current_inspection().with_env(self.env).action_all_pass()

    @api.readonly
    def action_qms_request_release(self):
        self._qms_check_readable()
        self.ensure_one()
        kind = self.env.context.get("qms_release_kind", "emergency")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request a Release"),
            "res_model": "qms.delivery.release",
            "views": [(False, "form")],
            "context": {
                "default_picking_id": self.id,
                "default_kind": kind,
                "default_consent_partner_id": self.partner_id.id
                if kind == "concession"
                else False,
            },
        }

    @api.readonly
    def action_qms_view_releases(self):
        self._qms_check_readable()
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Releases"),
            "res_model": "qms.delivery.release",
            "views": [(False, "list"), (False, "form")],
            "domain": [("picking_id", "=", self.id)],
            "context": {"default_picking_id": self.id},
        }

    # ------------------------------------------------------------------ contract review
    def _qms_amendment_issues(self):
        """[reason] when the order's amendment is not approved yet."""
        self.ensure_one()
        order = self.sudo().sale_id
        if self.picking_type_code != "outgoing" or not order:
            return []
        review = order._qms_current_review()
        if review.kind == "amendment" and review.state != "approved":
            return [
                self.env._(
                    "%(picking)s cannot be validated: the amendment of "
                    "%(order)s (%(round)s) is not approved yet. Still missing: "
                    "%(departments)s.",
                    picking=self.name,
                    order=order.name,
                    round=review.name,
                    departments=review.missing_department_names
                    or self.env._("customer confirmation"),
                )
            ]
        return []

    def _qms_check_amendment_review(self):
        """An amended contract is delivered only once the amendment is approved."""
        todo = unchecked(self, "amendment")
        for picking in todo:
            issues = picking._qms_amendment_issues()
            if issues:
                raise UserError(issues[0])
        mark_checked(todo, "amendment")

    def button_validate(self):
        # the checks guard button_validate, the pre-action hook (before core's
        # wizards ask anything) and _action_done (which every path reaches);
        # within one button_validate call they are called one inside the other
        # with nothing but core's own processing between: a check passed once
        # is not run again in the same call. Any other path checks in full.
        cache = self.env.cr.cache
        outer = CHECKED_KEY not in cache
        if outer:
            cache[CHECKED_KEY] = set()
        try:
            self._qms_check_amendment_review()
            return super().button_validate()
        finally:
            if outer:
                cache.pop(CHECKED_KEY, None)

    def _action_done(self):
        self._qms_check_amendment_review()
        return super()._action_done()
