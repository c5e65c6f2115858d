from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

SCORE_FIELDS = ("score_quality", "score_delivery", "score_service")


class QmsFollowupVisit(models.Model):
    """A follow-up (回访) after a delivery: the customer is asked about quality,
    delivery and service, each scored 1 to 5; a problem raised becomes a claim."""

    _name = "qms.followup.visit"
    _description = "Follow-up Visit"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.system.fields.mixin"]
    _order = "scheduled_date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True
    )
    sale_order_id = fields.Many2one(
        "sale.order", string="Sales Order", index="btree_not_null"
    )
    picking_id = fields.Many2one(
        "stock.picking", string="Delivery", index="btree_not_null"
    )
    scheduled_date = fields.Date(
        required=True, default=fields.Date.context_today, index=True, tracking=True
    )
    date_done = fields.Date(string="Done On", readonly=True, copy=False)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        required=True,
        default="planned",
        index=True,
        tracking=True,
    )
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("visit", "On-site visit"),
            ("survey", "Survey"),
            ("email", "Email"),
        ],
        default="phone",
        required=True,
    )
    score_quality = fields.Integer(
        string="Quality Score", aggregator="avg", help="1 (poor) to 5 (excellent)"
    )
    score_delivery = fields.Integer(string="Delivery Score", aggregator="avg")
    score_service = fields.Integer(string="Service Score", aggregator="avg")
    score_average = fields.Float(
        compute="_compute_score_average", store=True, aggregator="avg", digits=(3, 2)
    )
    comments = fields.Text()
    claim_ids = fields.One2many("qms.claim", "visit_id", string="Claims")
    claim_count = fields.Integer(compute="_compute_claim_count")
    user_id = fields.Many2one(
        "res.users",
        string="Assigned to",
        index=True,
        default=lambda self: self.env.user,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "picking_unique",
            "UNIQUE(picking_id)",
            "A delivery has one follow-up visit.",
        ),
    ]

    @api.depends("partner_id", "scheduled_date")
    def _compute_name(self):
        for visit in self:
            visit.name = f"{visit.partner_id.display_name or ''} {visit.scheduled_date or ''}".strip()

    @api.depends(*SCORE_FIELDS)
    def _compute_score_average(self):
        for visit in self:
            scores = [visit[f] for f in SCORE_FIELDS if visit[f]]
            visit.score_average = sum(scores) / len(scores) if scores else 0.0

    def _compute_claim_count(self):
        counts = dict(
            self.env["qms.claim"]._read_group(
                [("visit_id", "in", self.ids)], ["visit_id"], ["__count"]
            )
        )
        for visit in self:
            visit.claim_count = counts.get(visit, 0)

    @api.constrains(*SCORE_FIELDS, "state")
    def _check_scores(self):
        for visit in self:
            for fname in SCORE_FIELDS:
                score = visit[fname]
                if score and not 1 <= score <= 5:
                    raise ValidationError(
                        self.env._(
                            "%(score)s must be between 1 and 5.",
                            score=visit._fields[fname].get_description(self.env)[
                                "string"
                            ],
                        )
                    )
            if visit.state == "done":
                missing = [
                    visit._fields[f].get_description(self.env)["string"]
                    for f in SCORE_FIELDS
                    if not visit[f]
                ]
                if missing:
                    raise ValidationError(
                        self.env._(
                            "The visit cannot be done without the scores: %(missing)s.",
                            missing=", ".join(missing),
                        )
                    )

    def write(self, vals):
        if set(vals) - {"claim_ids", "message_main_attachment_id", "activity_ids"}:
            done = self.filtered(lambda v: v.state == "done")
            if done:
                raise UserError(
                    self.env._(
                        "Visit %(visit)s is done: its outcome is kept as recorded.",
                        visit=done[0].name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(v.state == "done" for v in self):
            raise UserError(self.env._("A done visit is kept: it cannot be deleted."))

    # ------------------------------------------------------------ actions
    def action_done(self):
        for visit in self.filtered(lambda v: v.state == "planned"):
            visit.write(
                {"state": "done", "date_done": fields.Date.context_today(visit)}
            )
            visit.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_cancel(self):
        self.filtered(lambda v: v.state == "planned").write({"state": "cancelled"})
        return True

    def action_create_claim(self):
        """The problem raised on the visit becomes a claim, linked back."""
        self.ensure_one()
        claim = self.env["qms.claim"].create(self._prepare_claim_vals())
        return {
            "type": "ir.actions.act_window",
            "res_model": "qms.claim",
            "res_id": claim.id,
            "view_mode": "form",
        }

    def _prepare_claim_vals(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "sale_order_id": self.sale_order_id.id,
            "picking_id": self.picking_id.id,
            "channel": "visit",
            "visit_id": self.id,
            "description": self.comments,
            "company_id": self.company_id.id,
        }

    @api.readonly
    def action_view_claims(self):
        self._qms_check_readable()
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Claims"),
            "res_model": "qms.claim",
            "view_mode": "list,form",
            "domain": [("visit_id", "=", self.id)],
            "context": {"default_visit_id": self.id},
        }

    # ------------------------------------------------------------ scheduling
    @api.model
    def _cron_schedule_visits(self):
        """Plan a visit for each delivery to a customer done since the feature
        was on, N days (company setting) after it was done."""
        visits = self.browse()
        for company in self.env["res.company"].search(
            [("qms_followup_visit_auto", "=", True)]
        ):
            pickings = self.env["stock.picking"].search(
                self._followup_picking_domain(company), limit=1000
            )
            planned = set(
                self.search([("picking_id", "in", pickings.ids)]).picking_id.ids
            )
            todo = pickings.filtered(lambda p, planned=planned: p.id not in planned)
            if todo:
                visits |= self.create(
                    [self._prepare_followup_vals(p, company) for p in todo]
                )
        for visit in visits:
            visit.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=visit.scheduled_date,
                summary=self.env._("Follow-up visit"),
                user_id=visit.user_id.id,
            )
        return visits

    @api.model
    def _followup_picking_domain(self, company):
        horizon = fields.Datetime.now() - timedelta(
            days=company.qms_followup_visit_days + 60
        )
        return [
            ("company_id", "=", company.id),
            ("state", "=", "done"),
            ("picking_type_code", "=", "outgoing"),
            ("location_dest_id.usage", "=", "customer"),
            ("date_done", ">=", horizon),
            ("partner_id", "!=", False),
            ("partner_id.commercial_partner_id.qms_no_followup_visit", "=", False),
        ]

    @api.model
    def _prepare_followup_vals(self, picking, company):
        order = picking.sale_id
        user = (
            order.user_id
            or picking.partner_id.commercial_partner_id.user_id
            or company.qms_claim_service_user_id
            or self.env.user
        )
        return {
            "partner_id": picking.partner_id.id,
            "sale_order_id": order.id,
            "picking_id": picking.id,
            "scheduled_date": picking.date_done.date()
            + timedelta(days=company.qms_followup_visit_days),
            "user_id": user.id,
            "company_id": company.id,
        }
