import json
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

FREQUENCIES = [("month", "Monthly"), ("quarter", "Quarterly"), ("year", "Yearly")]
# months of the trend shown on the dashboard
TREND_MONTHS = 12


def period_of(frequency, day):
    """(first day, last day) of the month, quarter or year holding ``day``."""
    if frequency == "month":
        start = day.replace(day=1)
        return start, start + relativedelta(months=1, days=-1)
    if frequency == "quarter":
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return start, start + relativedelta(months=3, days=-1)
    return date(day.year, 1, 1), date(day.year, 12, 31)


def period_label(frequency, start):
    if frequency == "month":
        return start.strftime("%Y-%m")
    if frequency == "quarter":
        return f"{start.year} Q{(start.month - 1) // 3 + 1}"
    return str(start.year)


class QmsObjective(models.Model):
    """A quality objective (ISO 9001 6.2): an indicator, a target, a
    frequency and an owner. Its values are measured from the records by a
    monthly job or on demand, then frozen."""

    _name = "qms.objective"
    _description = "Quality Objective"
    _inherit = ["mail.thread", "mail.activity.mixin", "qms.system.fields.mixin"]
    _order = "company_id, sequence, id"
    _check_company_auto = True

    # ------------------------------------------------------------ fields
    indicator_id = fields.Many2one(
        "qms.indicator", required=True, ondelete="restrict", index=True, tracking=True
    )
    name = fields.Char(related="indicator_id.name", string="Objective")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    sequence = fields.Integer(default=10)
    target = fields.Float(required=True, tracking=True, digits=(16, 2))
    unit = fields.Selection(related="indicator_id.unit")
    direction = fields.Selection(related="indicator_id.direction")
    frequency = fields.Selection(
        FREQUENCIES, required=True, default="month", tracking=True
    )
    owner_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        help="Who answers for the objective; may measure it on demand.",
    )
    active = fields.Boolean(default=True, tracking=True)
    plan = fields.Text(
        help="What will be done to reach the target, with which resources, by "
        "when, and how the results are evaluated (ISO 9001 6.2.2).",
    )
    value_ids = fields.One2many(
        "qms.objective.value", "objective_id", string="Measured Values"
    )
    last_value_id = fields.Many2one(
        "qms.objective.value",
        compute="_compute_last_value_id",
        store=True,
    )
    last_value = fields.Float(related="last_value_id.value", string="Last Measured")
    last_has_value = fields.Boolean(related="last_value_id.has_value")
    last_met = fields.Boolean(
        related="last_value_id.met", store=True, string="Last Met"
    )
    last_period = fields.Char(related="last_value_id.period_label")
    trend_graph = fields.Text(compute="_compute_trend", string="Trend")
    trend_met_count = fields.Integer(compute="_compute_trend", string="Periods Met")
    trend_count = fields.Integer(compute="_compute_trend", string="Periods Measured")
    target_label = fields.Char(compute="_compute_target_label")

    # ------------------------------------------------------------ computes
    @api.depends("value_ids.state", "value_ids.period_end")
    def _compute_last_value_id(self):
        for objective in self:
            current = objective.value_ids.filtered(lambda v: v.state == "current")
            objective.last_value_id = current.sorted("period_end")[-1:]

    @api.depends("target", "indicator_id.unit", "indicator_id.direction")
    @api.depends_context("lang")
    def _compute_target_label(self):
        units = dict(
            self.env["qms.indicator"]._fields["unit"]._description_selection(self.env)
        )
        for objective in self:
            sign = "≥" if objective.direction == "higher" else "≤"
            objective.target_label = (
                f"{sign} {objective.target:g} {units.get(objective.unit, '')}".strip()
            )

    def _compute_trend(self):
        """The current values of the last 12 months (one query for all)."""
        today = fields.Date.context_today(self)
        horizon = today.replace(day=1) - relativedelta(months=TREND_MONTHS)
        values = self.env["qms.objective.value"].search_fetch(
            [
                ("objective_id", "in", self.ids),
                ("state", "=", "current"),
                ("period_start", ">=", horizon),
            ],
            [
                "objective_id",
                "period_start",
                "period_label",
                "value",
                "has_value",
                "met",
            ],
            order="period_start",
        )
        by_objective = defaultdict(list)
        for value in values:
            by_objective[value.objective_id.id].append(value)
        for objective in self:
            rows = by_objective.get(objective._origin.id or objective.id, [])
            objective.trend_count = sum(1 for v in rows if v.has_value)
            objective.trend_met_count = sum(1 for v in rows if v.met)
            objective.trend_graph = json.dumps(
                [
                    {
                        "key": objective.indicator_id.name or "",
                        "values": [
                            {
                                "label": v.period_label,
                                "value": v.value if v.has_value else 0,
                                # the widget colours 'future' and 'past' bars
                                # apart: met, missed; no data is grey
                                "type": "future"
                                if v.met
                                else ("past" if v.has_value else ""),
                            }
                            for v in rows
                        ],
                        "is_sample_data": not rows,
                    }
                ]
            )

    @api.depends("indicator_id.name", "target", "frequency")
    def _compute_display_name(self):
        for objective in self:
            objective.display_name = (
                f"{objective.indicator_id.name or ''} ({objective.target_label})"
            )

    # ------------------------------------------------------------ constraints
    @api.constrains("indicator_id", "company_id", "frequency", "active")
    def _check_unique(self):
        for objective in self.filtered("active"):
            twins = self.search_count(
                [
                    ("id", "!=", objective.id),
                    ("indicator_id", "=", objective.indicator_id.id),
                    ("company_id", "=", objective.company_id.id),
                    ("frequency", "=", objective.frequency),
                ]
            )
            if twins:
                raise ValidationError(
                    self.env._(
                        "%(company)s already has an active %(frequency)s objective "
                        "for %(indicator)s: change its target instead.",
                        company=objective.company_id.name,
                        frequency=dict(FREQUENCIES)[objective.frequency].lower(),
                        indicator=objective.indicator_id.name,
                    )
                )

    # ------------------------------------------------------------ CRUD
    def write(self, vals):
        self._qms_check_input(vals)
        frozen = {"indicator_id", "company_id", "frequency"} & set(vals)
        for objective in self.filtered("value_ids") if frozen else ():
            for fname in frozen:
                old = objective[fname]
                old = old.id if isinstance(old, models.BaseModel) else old
                if old != vals[fname]:
                    raise UserError(
                        self.env._(
                            "Objective %(objective)s has measured values: its "
                            "indicator, company and frequency stay as they were "
                            "measured. Archive it and create a new objective instead.",
                            objective=objective.display_name,
                        )
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_measured(self):
        if self.sudo().value_ids:
            raise UserError(
                self.env._(
                    "An objective with measured values is kept: archive it instead."
                )
            )

    # ------------------------------------------------------------ measuring
    def _qms_today(self):
        self.ensure_one()
        tz = pytz.timezone(self.company_id.partner_id.tz or "UTC")
        return datetime.now(pytz.utc).astimezone(tz).date()

    def _qms_last_complete_period(self):
        self.ensure_one()
        current_start, _end = period_of(self.frequency, self._qms_today())
        return period_of(self.frequency, current_start - timedelta(days=1))

    def _qms_periods(self, date_from, date_to):
        """The periods of the objective's frequency overlapping the dates."""
        self.ensure_one()
        periods = []
        start, end = period_of(self.frequency, date_from)
        while start <= date_to:
            periods.append((start, end))
            start, end = period_of(self.frequency, end + timedelta(days=1))
        return periods

    def _qms_check_can_measure(self):
        if self.env.su or self.env.user.has_group("sales_qms.group_qms_manager"):
            return
        others = self.filtered(lambda o: o.owner_id != self.env.user)
        if others:
            raise AccessError(
                self.env._(
                    "Only the owner of objective %(objective)s or a QMS manager can "
                    "measure it.",
                    objective=others[0].display_name,
                )
            )

    def action_measure(self, date_from=None, date_to=None, reason=None):
        """Measure these objectives over each of their periods (month, quarter
        or year) overlapping [date_from, date_to]; without dates, their last
        complete period. The values are frozen: a period already measured is
        left as it is unless a ``reason`` is given, which records a new value
        and keeps the old one as superseded. Returns the ids of the new values."""
        self._qms_check_can_measure()
        if reason is not None and not isinstance(reason, str):
            raise ValidationError(self.env._("The reason must be a text."))
        self.env["qms.objective.value"]._qms_check_input({"reason": reason})
        reason = (reason or "").strip()
        try:
            date_from = fields.Date.to_date(date_from)
            date_to = fields.Date.to_date(date_to)
        except (ValueError, TypeError) as error:
            raise ValidationError(
                self.env._("The period must be given as two dates (YYYY-MM-DD).")
            ) from error
        if bool(date_from) != bool(date_to) or (date_from and date_to < date_from):
            raise ValidationError(
                self.env._("Give both dates of the period, the first first.")
            )
        current = self._qms_current_values()
        todo, kept = [], []
        for objective in self:
            if not objective.active:
                raise UserError(
                    self.env._(
                        "Objective %(objective)s is archived: it is no longer measured.",
                        objective=objective.display_name,
                    )
                )
            periods = (
                objective._qms_periods(date_from, date_to)
                if date_from
                else [objective._qms_last_complete_period()]
            )
            today = objective._qms_today()
            for start, end in periods:
                if end >= today:
                    raise UserError(
                        self.env._(
                            "Objective %(objective)s: the period %(start)s – %(end)s "
                            "is not over yet; it is measured once it has ended.",
                            objective=objective.display_name,
                            start=start,
                            end=end,
                        )
                    )
                old = current.get((objective.id, start, end))
                if old and not reason:
                    kept.append(old)
                    continue
                todo.append((objective, start, end, old))
        if not todo and kept:
            raise UserError(
                self.env._(
                    "%(periods)s: already measured (the values are frozen). Give a "
                    "reason to measure again; the old value is kept.",
                    periods=", ".join(v.display_name for v in kept[:5]),
                )
            )
        return self._qms_record_measures(todo, reason).ids

    def _qms_current_values(self):
        values = (
            self.env["qms.objective.value"]
            .sudo()
            .search([("objective_id", "in", self.ids), ("state", "=", "current")])
        )
        return {(v.objective_id.id, v.period_start, v.period_end): v for v in values}

    def _qms_record_measures(self, todo, reason):
        """Compute each (objective, start, end) once per company and period,
        then record the values (superseding the old ones)."""
        Indicator = self.env["qms.indicator"]
        groups = defaultdict(list)
        for objective, start, end, old in todo:
            groups[(objective.company_id.id, start, end)].append((objective, old))
        vals_list, olds = [], self.env["qms.objective.value"]
        for (company_id, start, end), items in groups.items():
            indicators = Indicator.browse({o.indicator_id.id for o, _old in items})
            period = Indicator._qms_period(company_id, start, end)
            figures = indicators._qms_values(period)
            for objective, old in items:
                figure = figures[objective.indicator_id]
                vals_list.append(
                    objective._prepare_value_vals(start, end, figure, old, reason)
                )
                olds |= old or olds.browse()
        if olds:
            olds._qms_system_write({"state": "superseded"})
            # before the new current values (unique current value per period)
            olds.flush_recordset(["state"])
        values = self.env["qms.objective.value"]._qms_system_create(vals_list)
        for objective, _start, _end, old in todo:
            if old:
                objective.message_post(
                    body=self.env._(
                        "%(period)s measured again by %(user)s: %(reason)s "
                        "(the previous value is kept as superseded).",
                        period=old.period_label,
                        user=self.env.user.name,
                        reason=reason,
                    )
                )
        return values

    def _prepare_value_vals(self, start, end, figure, old, reason):
        self.ensure_one()
        has_value = figure is not False
        # the value as stored and shown (2 decimals) decides whether it is met
        value = round(figure, 2) if has_value else 0.0
        met = has_value and (
            value >= self.target if self.direction == "higher" else value <= self.target
        )
        return {
            "objective_id": self.id,
            "period_start": start,
            "period_end": end,
            "period_label": period_label(self.frequency, start),
            "value": value,
            "has_value": has_value,
            "target": self.target,
            "direction": self.direction,
            "met": met,
            "computed_on": fields.Datetime.now(),
            "computed_by": self.env.user.id,
            "reason": reason or False,
            "supersedes_id": old.id if old else False,
            "state": "current",
        }

    @api.model
    def _cron_measure(self):
        """Monthly: measure each active objective's last complete period, if
        it has not been measured yet."""
        objectives = self.sudo().search([])
        current = objectives._qms_current_values()
        todo = []
        for objective in objectives:
            start, end = objective._qms_last_complete_period()
            if (objective.id, start, end) not in current:
                todo.append((objective, start, end, False))
        return objectives._qms_record_measures(todo, "")

    def _qms_record_values(self, values, note):
        """Record values measured outside Odoo (paper statistics tables,
        migration, demo data) as ``[(period_start, value or False), ...]``.

        Server-side only: private (no RPC) and refused unless running as
        superuser; each value says where it came from."""
        self.ensure_one()
        if not self.env.su:
            raise AccessError(
                self.env._("Only the system can record values measured elsewhere.")
            )
        current = self._qms_current_values()
        todo_vals = []
        for day, figure in values:
            start, end = period_of(self.frequency, fields.Date.to_date(day))
            if (self.id, start, end) in current:
                continue
            vals = self._prepare_value_vals(start, end, figure, False, note)
            todo_vals.append(vals)
        return self.env["qms.objective.value"]._qms_system_create(todo_vals)

    # ------------------------------------------------------------ navigation
    def action_view_values(self):
        self._qms_check_readable()
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_objective_value_action"
        )
        action["domain"] = [("objective_id", "=", self.id)]
        action["context"] = {"search_default_current": 1}
        return action

    def action_view_trend(self):
        self._qms_check_readable()
        action = self.action_view_values()
        action["views"] = [(False, "graph"), (False, "list"), (False, "pivot")]
        action["view_mode"] = "graph,list,pivot"
        return action

    def action_view_last_records(self):
        """The records behind the last value (one click from the dashboard)."""
        self.ensure_one()
        if not self.last_value_id:
            raise UserError(
                self.env._(
                    "Objective %(objective)s has not been measured yet.",
                    objective=self.display_name,
                )
            )
        return self.last_value_id.action_view_records()

    def action_open_measure_wizard(self):
        self._qms_check_readable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Measure Objectives"),
            "res_model": "qms.objective.measure.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_objective_ids": self.ids},
        }
