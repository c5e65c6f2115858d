from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .qms_claim import CONTACT_CHANNELS

RESPONSES = [
    ("pending", "Pending"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected"),
]


class QmsTechnicalChangeLine(models.Model):
    """One customer affected by a technical change: what concerns them, when they
    were told, and their answer."""

    _name = "qms.technical.change.line"
    _description = "Technical Change: Affected Customer"
    _inherit = ["mail.thread", "portal.mixin", "qms.system.fields.mixin"]
    _qms_system_fields = (
        "change_id",
        "partner_id",
        "sale_order_ids",
        "last_delivery_date",
        "notified_on",
        "acknowledged_on",
        "acknowledged_by",
        "response",
        "response_channel",
        "response_note",
        "recorded_by",
    )
    _order = "change_id desc, id"
    _rec_name = "partner_id"

    change_id = fields.Many2one(
        "qms.technical.change",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, readonly=True
    )
    company_id = fields.Many2one(
        related="change_id.company_id", store=True, index=True, string="Company"
    )
    change_state = fields.Selection(
        related="change_id.state", store=True, index=True, string="Change Status"
    )
    effective_date = fields.Date(related="change_id.effective_date", store=True)
    sale_order_ids = fields.Many2many(
        "sale.order",
        "qms_technical_change_line_order_rel",
        "line_id",
        "order_id",
        string="Open Orders",
        readonly=True,
    )
    last_delivery_date = fields.Datetime(string="Last Delivery", readonly=True)
    picking_ids = fields.Many2many(
        "stock.picking",
        string="Deliveries",
        compute="_compute_picking_ids",
        compute_sudo=True,
        help="The deliveries of the products to this customer in the look-back months.",
    )
    notified_on = fields.Datetime(readonly=True)
    acknowledged_on = fields.Datetime(readonly=True)
    acknowledged_by = fields.Char(
        readonly=True, help="Who answered on the customer's side."
    )
    response = fields.Selection(
        RESPONSES, default="pending", required=True, readonly=True, index=True
    )
    response_channel = fields.Selection(
        CONTACT_CHANNELS, string="Answered through", readonly=True
    )
    response_note = fields.Text(readonly=True)
    recorded_by = fields.Many2one("res.users", readonly=True)

    _sql_constraints = [
        (
            "change_partner_uniq",
            "unique(change_id, partner_id)",
            "A customer is affected once by a technical change.",
        ),
    ]

    # ------------------------------------------------------------ computes
    @api.depends("partner_id", "change_id.product_ids", "change_id.lookback_months")
    def _compute_picking_ids(self):
        for line in self:
            change = line.change_id
            if not change or not line.partner_id:
                line.picking_ids = False
                continue
            line.picking_ids = self.env["stock.picking"].search(
                [
                    ("state", "=", "done"),
                    ("company_id", "=", change.company_id.id),
                    ("partner_id", "child_of", line.partner_id.id),
                    ("location_dest_id.usage", "=", "customer"),
                    ("move_ids.product_id", "in", change.product_ids.ids),
                    ("date_done", ">=", change._qms_lookback_start()),
                ],
                order="date_done desc",
            )

    def _compute_access_url(self):  # pylint: disable=missing-return
        super()._compute_access_url()
        for line in self:
            line.access_url = f"/my/technical_changes/{line.id}"

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Affected customers are found by the technical change (Find "
                    "Affected Customers), not entered."
                )
            )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_notified(self):
        notified = self.filtered("notified_on")
        if notified:
            raise UserError(
                self.env._(
                    "%(customers)s were notified of the change: their lines are kept.",
                    customers=", ".join(notified.partner_id.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------ notice
    def _qms_send_notice(self):
        """Mail the notice with its PDF and the acknowledgement link; log it."""
        report = self.env.ref("sales_qms.action_report_technical_change_notice")
        now = fields.Datetime.now()
        for record in self.sudo():
            partner = record.partner_id
            lang = partner.lang or self.env.lang
            line = record.with_context(lang=lang)
            line._portal_ensure_token()
            attachments = []
            # data files (the demo) are loaded without the web server that
            # serves the report's style sheets: they send the notice without it
            if not self.env.context.get("qms_notice_without_pdf"):
                pdf, _fmt = report._render_qweb_pdf(report.report_name, line.ids)
                attachments = [(f"{line.change_id.name.replace('/', '-')}.pdf", pdf)]
            subject = line.env._(
                "Technical change notice %(number)s: %(subject)s",
                number=line.change_id.name,
                subject=line.change_id.title,
            )
            body = self.env["ir.qweb"]._render(
                "sales_qms.technical_change_notice_mail",
                {"line": line, "url": line.get_base_url() + line.get_portal_url()},
                lang=lang,
            )
            line.message_post(
                subject=subject,
                body=body,
                partner_ids=partner.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                attachments=attachments,
            )
            line._qms_system_write({"notified_on": now})
            self.env["qms.contact.log"].sudo().create(
                {
                    "partner_id": partner.id,
                    "direction": "out",
                    "channel": "email",
                    "summary": subject,
                    "body": line.change_id.description,
                    "technical_change_id": line.change_id.id,
                    "user_id": self.env.uid,
                    "company_id": line.company_id.id,
                }
            )
            if not partner.email:
                line.change_id.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=(partner.user_id or self.env.user).id,
                    summary=self.env._(
                        "Tell %(customer)s of the change by phone (no e-mail address)",
                        customer=partner.name,
                    ),
                )

    # ------------------------------------------------------------ responses
    def action_record_response(
        self, response=None, acknowledged_by=None, channel=None, note=None
    ):
        """Record the customer's answer received by phone, mail, fax or visit.
        Called without values (the button), opens the form that asks for them."""
        self._qms_check_readable()
        if not response:
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Record the Customer's Answer"),
                "res_model": "qms.technical.change.response.wizard",
                "views": [(False, "form")],
                "target": "new",
                "context": {"default_line_ids": self.ids},
            }
        self.check_access("write")
        self.change_id.check_access("write")
        self._qms_check_input(
            {
                "acknowledged_by": acknowledged_by,
                "response_channel": channel,
                "response_note": note,
            }
        )
        channels = dict(
            self._fields["response_channel"]._description_selection(self.env)
        )
        if response not in ("accepted", "rejected"):
            raise UserError(self.env._("The answer is Accepted or Rejected."))
        missing = []
        if not (acknowledged_by or "").strip():
            missing.append(self.env._("who answered"))
        if channel not in channels:
            missing.append(self.env._("how the answer was received"))
        if missing:
            raise UserError(
                self.env._(
                    "An answer is recorded with: %(missing)s.",
                    missing=", ".join(missing),
                )
            )
        self._qms_check_input(
            {"acknowledged_by": acknowledged_by, "response_note": note}
        )
        self._qms_respond(response, acknowledged_by, channel, note)
        return True

    def _qms_respond(self, response, acknowledged_by, channel, note=None):
        for line in self:
            if line.change_state != "notified" or not line.notified_on:
                raise UserError(
                    self.env._(
                        "%(change)s is not awaiting answers from %(customer)s.",
                        change=line.change_id.name,
                        customer=line.partner_id.display_name,
                    )
                )
        now = fields.Datetime.now()
        labels = dict(self._fields["response"]._description_selection(self.env))
        for line in self:
            line._qms_system_write(
                {
                    "response": response,
                    "acknowledged_on": now,
                    "acknowledged_by": acknowledged_by,
                    "response_channel": channel,
                    "response_note": note or False,
                    "recorded_by": self.env.uid,
                }
            )
            summary = self.env._(
                "%(change)s: %(response)s by %(person)s",
                change=line.change_id.name,
                response=labels[response],
                person=acknowledged_by,
            )
            line.sudo().message_post(body=summary)
            line.change_id.sudo().message_post(
                body=self.env._(
                    "%(customer)s: %(summary)s",
                    customer=line.partner_id.display_name,
                    summary=summary,
                )
            )
            self.env["qms.contact.log"].sudo().create(
                {
                    "partner_id": line.partner_id.id,
                    "direction": "in",
                    "channel": channel,
                    "summary": summary,
                    "body": note or False,
                    "technical_change_id": line.change_id.id,
                    "user_id": self.env.uid,
                    "company_id": line.company_id.id,
                }
            )

    def _qms_portal_respond(self, response, name, note=None):
        """The customer's answer through the portal link (sudo, token checked by
        the controller)."""
        self.ensure_one()
        if self.response != "pending":
            raise UserError(
                self.env._("Your answer to this change is already recorded.")
            )
        if response not in ("accepted", "rejected"):
            raise UserError(self.env._("The answer is Accepted or Rejected."))
        if not (name or "").strip():
            raise UserError(self.env._("Give your name."))
        self._qms_check_input({"acknowledged_by": name, "response_note": note})
        self._qms_respond(response, name.strip(), "portal", note)
        return True
