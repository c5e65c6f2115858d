from odoo import api, fields, models
from odoo.exceptions import UserError

ORAL_CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("fax", "Fax"),
    ("visit", "Visit"),
    ("instant_message", "Instant message"),
    ("other", "Other"),
]
ORAL_FIELDS = (
    "qms_oral_confirmed_by",
    "qms_oral_confirmed_on",
    "qms_oral_confirmation_channel",
)


# one file per capability extending sale.order (STYLE.md), not one merged class
class SaleOrder(models.Model):
    """Customer requirements written into the contract review record, and the
    confirmation of an oral order (与产品有关要求的确定)."""

    _inherit = "sale.order"  # pylint: disable=consider-merging-classes-inherited

    qms_requirement_ids = fields.One2many(
        "qms.customer.requirement",
        "order_id",
        string="Customer Requirements",
        copy=True,
    )
    qms_order_origin = fields.Selection(
        [("written", "Written"), ("oral", "Oral")],
        string="Order Received",
        default="written",
        required=True,
        tracking=True,
        help="An oral order (口头订单) is confirmed with the customer before it is "
        "accepted.",
    )
    qms_oral_confirmed_by = fields.Many2one(
        "res.partner",
        string="Oral Order Confirmed by",
        help="The customer's contact who confirmed the oral order.",
    )
    qms_oral_confirmed_on = fields.Datetime(string="Oral Order Confirmed on")
    qms_oral_confirmation_channel = fields.Selection(
        ORAL_CHANNELS, string="Oral Order Confirmed through"
    )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state") == "sale" and vals.get("qms_order_origin") == "oral":
                missing = [f for f in ORAL_FIELDS if not vals.get(f)]
                if missing:
                    raise UserError(self._qms_oral_error_text(missing))
        return super().create(vals_list)

    def write(self, vals):
        self._qms_check_input(vals)
        if vals.get("state") == "sale":
            # the hard check: every path to a confirmed order ends in this write
            for order in self.filtered(lambda o: o.state in ("draft", "sent")):
                error = order._qms_oral_order_error(vals)
                if error:
                    raise UserError(error)
        return super().write(vals)

    # ------------------------------------------------------------ rules
    def _qms_oral_error_text(self, missing, name=None):
        labels = ", ".join(
            self._fields[f].get_description(self.env)["string"] for f in missing
        )
        return self.env._(
            "%(order)s is an oral order: it is accepted only after the customer "
            "confirmed it. Record first: %(missing)s.",
            order=name or self.env._("The order"),
            missing=labels,
        )

    def _qms_oral_order_error(self, vals=None):
        """Why this oral order cannot be accepted yet, or False."""
        self.ensure_one()
        vals = vals or {}
        # an order received orally stays so for this check even if the same
        # write calls it written
        if "oral" not in (self.qms_order_origin, vals.get("qms_order_origin")):
            return False
        missing = [f for f in ORAL_FIELDS if not vals.get(f, self[f])]
        if not missing:
            return False
        return self._qms_oral_error_text(missing, self.name)

    def _confirmation_error_message(self):
        return super()._confirmation_error_message() or self._qms_oral_order_error()

    def _qms_unresolved_requirements(self):
        self.ensure_one()
        return self.qms_requirement_ids.filtered(
            lambda r: r.differs_from_offer and not (r.resolution or "").strip()
        )

    def action_qms_request_review(self):
        for order in self:
            unresolved = order._qms_unresolved_requirements()
            if unresolved:
                raise UserError(
                    self.env._(
                        "Requirements of %(order)s differ from the earlier quotation "
                        "or tender and are not resolved yet: %(requirements)s. Record "
                        "their resolution before requesting the review.",
                        order=order.name,
                        requirements="; ".join(
                            r.description.splitlines()[0] for r in unresolved
                        ),
                    )
                )
        return super().action_qms_request_review()

    def _qms_on_requirements_change(self, changes):
        """A requirement was added, changed or removed: a reviewed quotation is
        reviewed again, a confirmed order opens an amendment round."""
        for order in self:
            if order.state in ("draft", "sent"):
                order._qms_invalidate(self.env._("customer requirements"))
            elif order.state == "sale":
                order._qms_open_amendment(changes)

    # ------------------------------------------------------------ review lines
    def _qms_requirements_for_categories(self, codes):
        self.ensure_one()
        return self.qms_requirement_ids.filtered(lambda r: r.category in codes)
