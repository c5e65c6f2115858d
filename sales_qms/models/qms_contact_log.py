from odoo import api, fields, models

from .qms_claim import CONTACT_CHANNELS


class QmsContactLog(models.Model):
    """Customer service's log of every call, fax, mail, letter, visit and portal
    message received or sent (服务电话记录/传真记录/收件/发件记录)."""

    _name = "qms.contact.log"
    _inherit = ["qms.audit.mixin"]
    _description = "Customer Contact Log"
    _order = "date desc, id desc"
    _rec_name = "summary"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    direction = fields.Selection(
        [("in", "Received"), ("out", "Sent")], required=True, default="in"
    )
    channel = fields.Selection(CONTACT_CHANNELS, required=True, default="phone")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    summary = fields.Char(required=True)
    body = fields.Text(string="Details")
    claim_id = fields.Many2one("qms.claim", index="btree_not_null")
    sale_order_id = fields.Many2one(
        "sale.order", string="Sales Order", index="btree_not_null"
    )
    visit_id = fields.Many2one(
        "qms.followup.visit", string="Follow-up Visit", index="btree_not_null"
    )
    customer_property_id = fields.Many2one(
        "qms.customer.property", index="btree_not_null"
    )
    technical_change_id = fields.Many2one(
        "qms.technical.change", index="btree_not_null"
    )
    user_id = fields.Many2one(
        "res.users", string="Logged by", default=lambda self: self.env.user, index=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.onchange("claim_id")
    def _onchange_claim_id(self):
        if self.claim_id:
            self.partner_id = self.claim_id.partner_id
            self.sale_order_id = self.claim_id.sale_order_id
