from odoo import api, fields, models


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "qms.input.mixin"]

    # after-sales
    qms_no_followup_visit = fields.Boolean(
        string="No Follow-up Visits",
        help="This customer asked not to be visited or called after deliveries.",
    )
    # lot status and recall scope
    qms_lot_count = fields.Integer(
        string="Lots Received",
        compute="_compute_qms_lot_count",
        groups="sales_qms.group_qms_user,stock.group_stock_user",
    )

    def _compute_qms_lot_count(self):
        commercial = self.commercial_partner_id
        groups = self.env["qms.recall.scope"]._read_group(
            [("partner_id", "in", commercial.ids)],
            ["partner_id"],
            ["lot_id:count_distinct"],
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.qms_lot_count = counts.get(partner.commercial_partner_id.id, 0)

    @api.readonly
    def action_qms_received_lots(self):
        """The lots this customer received, one row per delivery."""
        self._qms_check_readable()
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_recall_scope_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_by_lot": 1}
        action["name"] = self.env._(
            "Lots received by %(partner)s",
            partner=self.commercial_partner_id.display_name,
        )
        return action

    # customer due diligence and customer property (issue 12)
    qms_due_diligence_ids = fields.One2many(
        "qms.due.diligence", "partner_id", string="Due Diligences"
    )
    qms_due_diligence_state = fields.Selection(
        [
            ("none", "Not evaluated"),
            ("pending", "Under evaluation"),
            ("valid", "Valid"),
            ("expired", "Expired"),
            ("rejected", "Rejected"),
        ],
        string="Due Diligence",
        compute="_compute_qms_due_diligence",
        compute_sudo=True,
    )
    qms_due_diligence_valid_until = fields.Date(
        string="Due Diligence Valid until",
        compute="_compute_qms_due_diligence",
        compute_sudo=True,
    )
    # the gate on quotations: per company (context) and day (context key
    # qms_due_diligence_day), computed for every partner being read at once
    qms_due_diligence_valid = fields.Boolean(
        string="Valid Due Diligence",
        compute="_compute_qms_due_diligence_valid",
        compute_sudo=True,
    )
    qms_customer_property_count = fields.Integer(
        string="Customer Property",
        compute="_compute_qms_customer_property_count",
        groups="sales_qms.group_qms_user,sales_team.group_sale_salesman",
    )

    def _compute_qms_due_diligence(self):
        today = fields.Date.context_today(self)
        company = self.env.company
        dds = self.env["qms.due.diligence"].search(
            [
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("company_id", "=", company.id),
            ],
            order="id desc",
        )
        for partner in self:
            own = dds.filtered(
                lambda d, p=partner: d.partner_id == p.commercial_partner_id
            )
            valid = own.filtered(
                lambda d: d.state == "approved" and d.valid_until >= today
            )[:1]
            latest = own[:1]
            partner.qms_due_diligence_valid_until = valid.valid_until
            if valid:
                partner.qms_due_diligence_state = "valid"
            elif not latest:
                partner.qms_due_diligence_state = "none"
            elif latest.state in ("draft", "submitted"):
                partner.qms_due_diligence_state = "pending"
            elif latest.state == "rejected":
                partner.qms_due_diligence_state = "rejected"
            else:
                partner.qms_due_diligence_state = "expired"

    @api.depends_context("company", "qms_due_diligence_day")
    @api.depends(
        "commercial_partner_id.qms_due_diligence_ids.state",
        "commercial_partner_id.qms_due_diligence_ids.valid_until",
        "commercial_partner_id.qms_due_diligence_ids.company_id",
    )
    def _compute_qms_due_diligence_valid(self):
        day = self.env.context.get("qms_due_diligence_day") or fields.Date.today()
        found = self.env["qms.due.diligence"]._read_group(
            [
                ("company_id", "=", self.env.company.id),
                ("partner_id", "in", self.commercial_partner_id.ids),
                ("state", "=", "approved"),
                ("valid_until", ">=", day),
            ],
            ["partner_id"],
        )
        valid = {partner.id for (partner,) in found}
        for partner in self:
            partner.qms_due_diligence_valid = partner.commercial_partner_id.id in valid

    def _compute_qms_customer_property_count(self):
        groups = self.env["qms.customer.property"]._read_group(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
            ["commercial_partner_id"],
            ["__count"],
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.qms_customer_property_count = counts.get(
                partner.commercial_partner_id.id, 0
            )

    def action_qms_due_diligence(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_due_diligence_action"
        )
        action["domain"] = [("partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action

    def action_qms_customer_property(self):
        self.ensure_one()
        partner = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_customer_property_action"
        )
        action["domain"] = [("commercial_partner_id", "=", partner.id)]
        action["context"] = {"default_partner_id": partner.id}
        return action
