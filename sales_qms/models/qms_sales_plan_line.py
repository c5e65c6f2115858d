from odoo import api, fields, models
from odoo.exceptions import UserError


class QmsSalesPlanLine(models.Model):
    """One product of a sales plan: demand, stock and what is short."""

    _name = "qms.sales.plan.line"
    _description = "Sales Plan Line"
    _inherit = ["qms.system.fields.mixin"]
    _order = "plan_id, shortfall_qty desc, id"
    _check_company_auto = True
    _qms_system_fields = ("contract_qty", "quotation_qty", "available_qty")

    plan_id = fields.Many2one(
        "qms.sales.plan", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, precompute=True
    )
    product_id = fields.Many2one(
        "product.product", required=True, check_company=True, index=True
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    contract_qty = fields.Float(
        string="Contracts",
        digits="Product Unit of Measure",
        readonly=True,
        help="Still to deliver on confirmed orders whose commitment (or expected) "
        "date falls in the period.",
    )
    quotation_qty = fields.Float(
        string="Quotations",
        digits="Product Unit of Measure",
        readonly=True,
        help="Asked by open quotations for delivery in the period.",
    )
    planned_qty = fields.Float(
        string="Planned",
        digits="Product Unit of Measure",
        help="Contracts and quotations; the sales department may change it.",
    )
    planned_manual = fields.Boolean(
        string="Planned by Hand",
        readonly=True,
        help="The planned quantity was changed by hand: recomputing keeps it.",
    )
    available_qty = fields.Float(
        string="Available",
        digits="Product Unit of Measure",
        readonly=True,
        help="On hand when the plan was computed, plus receipts expected by the "
        "end of the period.",
    )
    shortfall_qty = fields.Float(
        string="Shortfall",
        digits="Product Unit of Measure",
        compute="_compute_shortfall_qty",
        store=True,
    )
    task_ids = fields.One2many("qms.sales.task", "plan_line_id", string="Tasks")
    note = fields.Char()

    _sql_constraints = [
        (
            "product_plan_uniq",
            "unique(plan_id, product_id)",
            "A product appears once in a sales plan.",
        ),
    ]

    @api.depends("planned_qty", "available_qty")
    def _compute_shortfall_qty(self):
        for line in self:
            line.shortfall_qty = max(line.planned_qty - line.available_qty, 0.0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._qms_check_input(vals)
        lines = super().create(vals_list)
        if not self._qms_is_system_write():
            lines.plan_id._check_planner_right()
            lines.plan_id._check_draft({"line_ids"})
        return lines

    def write(self, vals):
        self._qms_check_input(vals)
        if not self._qms_is_system_write():
            self.plan_id._check_planner_right()
            self.plan_id._check_draft(set(vals) - {"task_ids"})
            if "plan_id" in vals and any(
                line.plan_id.id != vals["plan_id"] for line in self
            ):
                raise UserError(self.env._("A plan line stays in its plan."))
            if "planned_qty" in vals:
                vals = {**vals, "planned_manual": True}
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved_plan(self):
        if not self._qms_is_system_write():
            self.plan_id._check_draft({"unlink"})

    @api.depends("plan_id.name", "product_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                f"{line.plan_id.name} · {line.product_id.display_name or ''}"
            )
