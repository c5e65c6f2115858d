from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools.sql import index_exists


class QmsObjectiveValue(models.Model):
    """The value of an objective for one period, as measured on the day
    (``computed_on``): an audit record. Measuring again writes a new value
    with its reason; the old one stays, superseded."""

    _name = "qms.objective.value"
    _description = "Quality Objective Value"
    _inherit = ["qms.audit.mixin"]
    _order = "period_start desc, id desc"
    _rec_name = "period_label"
    # everything is recorded by measuring (qms.objective.action_measure)
    _qms_system_fields = (
        "objective_id",
        "period_start",
        "period_end",
        "period_label",
        "value",
        "has_value",
        "target",
        "direction",
        "met",
        "computed_on",
        "computed_by",
        "reason",
        "supersedes_id",
        "state",
    )

    objective_id = fields.Many2one(
        "qms.objective", required=True, ondelete="restrict", index=True, readonly=True
    )
    indicator_id = fields.Many2one(
        related="objective_id.indicator_id", store=True, index=True
    )
    company_id = fields.Many2one(
        related="objective_id.company_id", store=True, index=True
    )
    unit = fields.Selection(related="indicator_id.unit")
    period_start = fields.Date(required=True, readonly=True, index=True)
    period_end = fields.Date(required=True, readonly=True)
    period_label = fields.Char(string="Period", required=True, readonly=True)
    value = fields.Float(readonly=True, digits=(16, 2), aggregator="avg")
    has_value = fields.Boolean(
        string="Measured",
        readonly=True,
        help="False when there was nothing to measure in the period (no records).",
    )
    target = fields.Float(
        readonly=True, digits=(16, 2), aggregator="avg", help="Target on the day."
    )
    direction = fields.Selection(
        [("higher", "Higher is better"), ("lower", "Lower is better")], readonly=True
    )
    met = fields.Boolean(readonly=True)
    computed_on = fields.Datetime(string="Measured On", readonly=True)
    computed_by = fields.Many2one("res.users", string="Measured By", readonly=True)
    reason = fields.Text(
        readonly=True,
        help="Why the period was measured again, or where the value came from.",
    )
    supersedes_id = fields.Many2one(
        "qms.objective.value",
        readonly=True,
        index="btree_not_null",
    )
    state = fields.Selection(
        [("current", "Current"), ("superseded", "Superseded")],
        required=True,
        default="current",
        readonly=True,
        index=True,
    )
    result = fields.Selection(
        [("met", "Met"), ("missed", "Missed"), ("no_data", "No data")],
        compute="_compute_result",
        search="_search_result",
    )

    def init(self):
        res = super().init()
        # one current value per objective and period (a partial unique index,
        # which create_unique_index cannot express)
        if not index_exists(self.env.cr, "qms_objective_value_current_uniq"):
            self.env.cr.execute(
                """
                CREATE UNIQUE INDEX qms_objective_value_current_uniq
                    ON qms_objective_value (objective_id, period_start, period_end)
                 WHERE state = 'current'
                """
            )
        return res

    @api.depends("met", "has_value")
    def _compute_result(self):
        for value in self:
            value.result = (
                "met" if value.met else ("missed" if value.has_value else "no_data")
            )

    def _search_result(self, operator, value):
        domains = {
            "met": [("met", "=", True)],
            "missed": [("met", "=", False), ("has_value", "=", True)],
            "no_data": [("has_value", "=", False)],
        }
        if operator == "=" and value in domains:
            return domains[value]
        if operator == "in" and isinstance(value, (list, tuple)):
            return expression.OR([domains[k] for k in value if k in domains]) or [
                ("id", "=", 0)
            ]
        return [("id", "=", 0)]

    @api.depends("objective_id", "period_label")
    def _compute_display_name(self):
        for value in self:
            value.display_name = (
                f"{value.indicator_id.name or ''} {value.period_label or ''}".strip()
            )

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self._qms_is_system_write():
            raise AccessError(self._qms_frozen_message())
        return super().create(vals_list)

    def write(self, vals):
        if not self._qms_is_system_write():
            raise AccessError(self._qms_frozen_message())
        return super().write(vals)

    def _qms_frozen_message(self):
        return self.env._(
            "Objective values are recorded by measuring the objective "
            "(action_measure) and then frozen: to correct one, measure the period "
            "again with a reason."
        )

    # ------------------------------------------------------------ navigation
    def action_view_records(self):
        """The records behind this value, as they are now."""
        self.ensure_one()
        return self.indicator_id.action_view_records(
            self.company_id.id, self.period_start, self.period_end
        )
