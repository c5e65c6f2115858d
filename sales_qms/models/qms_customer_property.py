from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

PROPERTY_KINDS = [
    ("material", "Material"),
    ("sample", "Sample"),
    ("drawing", "Drawing"),
    ("tooling", "Tooling"),
    ("packaging", "Packaging"),
    ("data", "Personal data"),
    ("other", "Other"),
]
PROPERTY_STATES = [
    ("received", "Received"),
    ("in_use", "In Use"),
    ("returned", "Returned"),
    ("consumed", "Consumed"),
    ("lost", "Lost"),
    ("damaged", "Damaged"),
]
DECISIONS = [
    ("replace", "Replace it"),
    ("repair", "Repair it"),
    ("return_as_is", "Return it as it is"),
    ("compensate", "Compensate"),
    ("dispose", "Dispose of it"),
    ("other", "Other"),
]
# which status may follow which
TRANSITIONS = {
    "received": {"in_use", "returned", "consumed", "lost", "damaged"},
    "in_use": {"returned", "consumed", "lost", "damaged"},
    "damaged": {"returned", "consumed"},
}
# recorded by the report of a problem and the hand-over: never written by users
EVENT_FIELDS = (
    "state",
    "user_id",
    "verified_by",
    "verified_on",
    "problem_reported_by",
    "problem_reported_on",
    "problem_kind",
    "problem_description",
    "decision_requested",
    "returned_to",
    "returned_on",
    "returned_by",
    "return_signature",
)


class QmsCustomerProperty(models.Model):
    """Property of the customer in the company's care (顾客财产, ISO 9001 8.5.3):
    identified, verified, protected; loss or damage reported to the customer;
    handed back against a signature."""

    _name = "qms.customer.property"
    _description = "Customer Property"
    _inherit = [
        "qms.sequence.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "qms.audit.mixin",
    ]
    _qms_sequence_code = "qms.customer.property"
    _qms_sequence_field = "reference"
    _qms_system_fields = EVENT_FIELDS
    _order = "received_on desc, id desc"

    name = fields.Char(required=True, tracking=True)
    reference = fields.Char(
        string="Number", required=True, readonly=True, copy=False, default="/"
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Owner",
        required=True,
        index=True,
        tracking=True,
        help="The customer who owns it.",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    kind = fields.Selection(PROPERTY_KINDS, required=True, default="material")
    description = fields.Text()
    quantity = fields.Float(digits="Product Unit of Measure", default=1.0)
    product_id = fields.Many2one(
        "product.product",
        help="When the property is in stock: received with the customer as owner.",
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        domain="[('product_id', '=', product_id)]",
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Receipt",
        help="The receipt that brought it in, with the customer as owner.",
    )
    received_on = fields.Date(
        required=True, default=fields.Date.context_today, tracking=True
    )
    condition_on_receipt = fields.Text(string="Condition on Receipt")
    location = fields.Char(
        string="Kept at", help="Where it is kept and how it is protected."
    )
    state = fields.Selection(
        PROPERTY_STATES,
        default="received",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    sale_order_id = fields.Many2one("sale.order", string="Sales Order", index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Registered by",
        default=lambda self: self.env.user,
        readonly=True,
    )
    verified_by = fields.Many2one("res.users", readonly=True)
    verified_on = fields.Datetime(readonly=True)
    problem_kind = fields.Selection(
        [("lost", "Lost"), ("damaged", "Damaged")], readonly=True
    )
    problem_description = fields.Text(readonly=True)
    decision_requested = fields.Selection(
        DECISIONS, string="Decision Asked for", readonly=True
    )
    problem_reported_by = fields.Many2one("res.users", readonly=True)
    problem_reported_on = fields.Datetime(readonly=True)
    returned_to = fields.Char(
        string="Received back by", readonly=True, help="The customer's person."
    )
    returned_on = fields.Datetime(string="Handed back on", readonly=True)
    returned_by = fields.Many2one("res.users", string="Handed back by", readonly=True)
    return_signature = fields.Image(
        string="Receiver's Signature", readonly=True, max_width=600, max_height=300
    )
    contact_log_ids = fields.One2many(
        "qms.contact.log", "customer_property_id", string="Contact Log Entries"
    )

    # ------------------------------------------------------------ constraints
    @api.constrains("product_id", "lot_id")
    def _check_lot_product(self):
        for prop in self:
            if prop.lot_id and prop.lot_id.product_id != prop.product_id:
                raise ValidationError(
                    self.env._(
                        "The lot %(lot)s is not of %(product)s.",
                        lot=prop.lot_id.name,
                        product=prop.product_id.display_name or "-",
                    )
                )

    @api.onchange("lot_id")
    def _onchange_lot_id(self):
        if self.lot_id:
            self.product_id = self.lot_id.product_id

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._qms_check_input(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._qms_check_input(vals)
        if not self._qms_is_system_write():
            closed = self.filtered(
                lambda p: p.state in ("returned", "consumed", "lost")
            )
            if closed and set(vals) - {"description", "location"}:
                raise UserError(
                    self.env._(
                        "%(records)s: returned, consumed or lost property is kept as "
                        "recorded.",
                        records=", ".join(closed.mapped("display_name")),
                    )
                )
        return super().write(vals)

    @api.depends("reference", "name")
    def _compute_display_name(self):
        for prop in self:
            prop.display_name = f"[{prop.reference}] {prop.name}"

    # ------------------------------------------------------------ status
    def _qms_move_to(self, state, vals=None):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for prop in self:
            if state not in TRANSITIONS.get(prop.state, ()):
                raise UserError(
                    self.env._(
                        "%(property)s is %(state)s: it cannot become %(new)s.",
                        property=prop.display_name,
                        state=labels[prop.state],
                        new=labels[state],
                    )
                )
        self._qms_system_write({"state": state, **(vals or {})})

    def action_verify(self):
        """Identified and verified on receipt (ISO 9001 8.5.3)."""
        for prop in self:
            prop.check_access("write")
            if prop.state != "received":
                raise UserError(
                    self.env._(
                        "%(property)s is verified when it is received.",
                        property=prop.display_name,
                    )
                )
        self._qms_system_write(
            {"verified_by": self.env.uid, "verified_on": fields.Datetime.now()}
        )
        return True

    def action_use(self):
        self.check_access("write")
        self._qms_move_to("in_use")
        return True

    def action_consume(self):
        self.check_access("write")
        self._qms_move_to("consumed")
        return True

    def action_report_problem(self, kind=None, description=None, decision=None):
        """Record the loss or damage and tell the customer (a mail from the
        record, logged in the contact log), asking for their decision. Called
        without values (the button), opens the form that asks for them."""
        self._qms_check_readable()
        if not kind:
            return self._qms_wizard_action("problem")
        self.check_access("write")
        self._qms_check_input(
            {
                "problem_kind": kind,
                "problem_description": description,
                "decision_requested": decision,
            }
        )
        kinds = dict(self._fields["problem_kind"]._description_selection(self.env))
        decisions = dict(
            self._fields["decision_requested"]._description_selection(self.env)
        )
        if kind not in kinds:
            raise UserError(self.env._("Say whether the property is lost or damaged."))
        missing = []
        if not (description or "").strip():
            missing.append(self.env._("what happened"))
        if decision not in decisions:
            missing.append(self.env._("the decision asked of the customer"))
        if missing:
            raise UserError(
                self.env._(
                    "A loss or damage is reported with: %(missing)s.",
                    missing=", ".join(missing),
                )
            )
        now = fields.Datetime.now()
        for prop in self:
            prop._qms_move_to(
                kind,
                {
                    "problem_kind": kind,
                    "problem_description": description,
                    "decision_requested": decision,
                    "problem_reported_by": self.env.uid,
                    "problem_reported_on": now,
                },
            )
            prop._qms_notify_problem()
        return True

    def _qms_notify_problem(self):
        self.ensure_one()
        owner = self.partner_id
        lang = owner.lang or self.env.lang
        # the mail tells the customer about their property and its order, which
        # the reporting user need not be allowed to read
        prop = self.sudo().with_context(lang=lang)
        kinds = dict(prop._fields["problem_kind"]._description_selection(prop.env))
        decisions = dict(
            prop._fields["decision_requested"]._description_selection(prop.env)
        )
        subject = prop.env._(
            "Your property %(property)s: %(problem)s",
            property=prop.display_name,
            problem=kinds[prop.problem_kind],
        )
        body = self.env["ir.qweb"]._render(
            "sales_qms.customer_property_problem_mail",
            {
                "prop": prop,
                "problem": kinds[prop.problem_kind],
                "decision": decisions[prop.decision_requested],
            },
            lang=lang,
        )
        message = prop.message_post(
            subject=subject,
            body=body,
            partner_ids=owner.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.env["qms.contact.log"].sudo().create(
            {
                "partner_id": owner.id,
                "direction": "out",
                "channel": "email",
                "summary": subject,
                "body": prop.problem_description,
                "sale_order_id": prop.sale_order_id.id,
                "customer_property_id": prop.id,
                "user_id": self.env.uid,
                "company_id": prop.company_id.id,
            }
        )
        return message

    def action_return(self, received_by=None, signature=None):
        """Hand the property back to the customer: who received it, when, with
        their signature. Called without values (the button), opens the form
        that asks for them."""
        self._qms_check_readable()
        if not received_by and not signature:
            return self._qms_wizard_action("return")
        self.check_access("write")
        self._qms_check_input(
            {"returned_to": received_by, "return_signature": signature}
        )
        missing = []
        if not (received_by or "").strip():
            missing.append(self.env._("who received it"))
        if not signature:
            missing.append(self.env._("the receiver's signature"))
        if missing:
            raise UserError(
                self.env._(
                    "A hand-over is recorded with: %(missing)s.",
                    missing=", ".join(missing),
                )
            )
        self._qms_check_input(
            {"returned_to": received_by, "return_signature": signature}
        )
        now = fields.Datetime.now()
        for prop in self:
            prop._qms_move_to(
                "returned",
                {
                    "returned_to": received_by,
                    "returned_on": now,
                    "returned_by": self.env.uid,
                    "return_signature": signature,
                },
            )
            prop.message_post(
                body=self.env._("Handed back to %(person)s.", person=received_by)
            )
        return True

    def _qms_wizard_action(self, mode):
        titles = {
            "problem": self.env._("Report Loss or Damage"),
            "return": self.env._("Hand Back to the Customer"),
        }
        return {
            "type": "ir.actions.act_window",
            "name": titles[mode],
            "res_model": "qms.customer.property.wizard",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_property_ids": self.ids,
                "default_mode": mode,
            },
        }
