from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval


class QmsOverviewTile(models.Model):
    """One queue of the QMS manager's overview: what waits, how many, one click
    to the list. Counted as the user who looks, under their access rules."""

    _name = "qms.overview.tile"
    _inherit = ["qms.system.fields.mixin"]
    _description = "Sales QMS Overview Tile"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Char(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    action_id = fields.Many2one(
        "ir.actions.act_window",
        string="Opens",
        required=True,
        ondelete="cascade",
        help="The list the tile opens, filtered on its domain.",
    )
    res_model = fields.Char(related="action_id.res_model")
    domain = fields.Char(
        default="[]",
        required=True,
        help="Which records wait (may use uid and context_today()).",
    )
    color = fields.Selection(
        [
            ("info", "Information"),
            ("warning", "Needs attention"),
            ("danger", "Late or blocked"),
        ],
        default="info",
        required=True,
    )
    count = fields.Integer(compute="_compute_count")

    def _eval_domain(self):
        self.ensure_one()
        return safe_eval(
            self.domain or "[]",
            {
                "uid": self.env.uid,
                "user": self.env.user,
                "context_today": lambda: fields.Date.context_today(self),
                "datetime": safe_datetime,
            },
        )

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_count(self):
        for tile in self:
            Model = self.env.get(tile.sudo().res_model)
            if Model is None or not Model.has_access("read"):
                tile.count = 0
                continue
            tile.count = Model.search_count(tile._eval_domain())

    def action_open(self):
        self.ensure_one()
        action_ref = self.sudo().action_id
        if not self.env[action_ref.res_model].has_access("read"):
            raise AccessError(
                self.env._("You cannot read the records of %(tile)s.", tile=self.name)
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            action_ref.get_external_id()[action_ref.id]
        )
        action.update(
            {
                "name": self.name,
                "domain": self._eval_domain(),
                # the tile's domain is the filter: no default filter on top
                "context": {"create": False},
            }
        )
        return action

    # ------------------------------------------------------------ landing
    @api.model
    def _qms_home_action(self):
        """Each role lands on its own work: QMS managers on the overview,
        warehouse keepers and QC inspectors on the deliveries to sign, customer
        service on the open claims, department reviewers on the reviews waiting
        for them, everyone else on the review rounds."""
        user = self.env.user
        if user.has_group("sales_qms.group_qms_manager"):
            xmlid = "sales_qms.qms_overview_tile_action"
        elif user.has_group("sales_qms.group_qms_warehouse_keeper") or user.has_group(
            "sales_qms.group_qms_inspector"
        ):
            xmlid = "sales_qms.qms_delivery_inspection_action"
        elif user.has_group("sales_qms.group_qms_customer_service"):
            xmlid = "sales_qms.qms_claim_action_service_home"
        elif (
            self.env["qms.department"]
            .sudo()
            .search_count([("user_ids", "in", user.ids)], limit=1)
        ):
            xmlid = "sales_qms.qms_contract_review_line_action_my"
        else:
            xmlid = "sales_qms.qms_contract_review_action"
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)
