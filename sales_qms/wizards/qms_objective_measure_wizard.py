from odoo import api, fields, models


class QmsObjectiveMeasureWizard(models.TransientModel):
    """Measure objectives on demand over a period, with the reason when a
    period already measured is measured again."""

    _name = "qms.objective.measure.wizard"
    _inherit = ["qms.input.mixin"]
    _description = "Measure Quality Objectives"

    objective_ids = fields.Many2many(
        "qms.objective", string="Objectives", required=True
    )
    date_from = fields.Date(
        required=True, default=lambda self: self._default_dates()[0]
    )
    date_to = fields.Date(required=True, default=lambda self: self._default_dates()[1])
    reason = fields.Text(
        help="Needed to measure again a period already measured: the old value "
        "is kept, superseded by the new one."
    )

    @api.model
    def _default_dates(self):
        first = fields.Date.context_today(self).replace(day=1)
        end = fields.Date.subtract(first, days=1)
        return end.replace(day=1), end

    def action_measure(self):
        self.ensure_one()
        ids = self.objective_ids.action_measure(
            self.date_from, self.date_to, reason=self.reason or None
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_objective_value_action"
        )
        action["domain"] = [("id", "in", ids)]
        action["context"] = {}
        return action
