from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class QmsClaim(models.Model):
    """Claims and the service process: a claim may need a service (a repair),
    and a service done badly may cause a claim, which counts in the
    technician's evaluation."""

    _inherit = "qms.claim"  # pylint: disable=consider-merging-classes-inherited

    service_request_ids = fields.One2many(
        "qms.service.request", "claim_id", string="Service Requests"
    )
    service_request_count = fields.Integer(compute="_compute_service_request_count")
    caused_by_request_id = fields.Many2one(
        "qms.service.request",
        string="Caused by Service",
        index="btree_not_null",
        tracking=True,
        help="The service request whose work the customer complains about.",
    )
    installed_product_ids = fields.One2many(
        "qms.installed.product", "claim_id", string="Replacement Units"
    )

    @api.depends("service_request_ids")
    def _compute_service_request_count(self):
        counts = dict(
            self.env["qms.service.request"]._read_group(
                [("claim_id", "in", self.ids)], ["claim_id"], ["__count"]
            )
        )
        for claim in self:
            claim.service_request_count = counts.get(claim, 0)

    def action_create_service_request(self):
        """A service (repair by default) for the claimed products."""
        self.ensure_one()
        if not self.env.user.has_group("sales_qms.group_qms_customer_service"):
            raise AccessError(
                self.env._(
                    "Only customer service files service requests (group Sales QMS "
                    "/ Customer Service)."
                )
            )
        if self.stage in ("closed", "rejected"):
            raise UserError(self.env._("Claim %(claim)s is decided.", claim=self.name))
        request = self.env["qms.service.request"].create(
            self._prepare_service_request_vals()
        )
        self.message_post(
            body=self.env._("Service request %(request)s filed.", request=request.name)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.service.request",
            "res_id": request.id,
            "views": [(False, "form")],
        }

    def _prepare_service_request_vals(self):
        self.ensure_one()
        units = self.env["qms.installed.product"].search(
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("lot_id", "in", self.line_ids.lot_id.ids),
                ("state", "in", ("delivered", "installed")),
            ]
        )
        repair = self.env["qms.service.type"].search(
            [
                ("code", "=", "repair"),
                ("company_id", "in", (False, self.company_id.id)),
            ],
            limit=1,
        )
        line = self.line_ids[:1]
        return {
            "partner_id": self.partner_id.id,
            "claim_id": self.id,
            "channel": "claim",
            "service_type_id": repair.id,
            "installed_product_ids": [(6, 0, units.ids)],
            "product_id": line.product_id.id if not units else False,
            "lot_id": line.lot_id.id if not units else False,
            "description": self.env._("From claim %(claim)s", claim=self.name),
            "company_id": self.company_id.id,
        }

    def action_view_service_requests(self):
        self._qms_check_readable()
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_service_request_action"
        )
        action["domain"] = [("claim_id", "=", self.id)]
        action["context"] = {"default_claim_id": self.id}
        return action
