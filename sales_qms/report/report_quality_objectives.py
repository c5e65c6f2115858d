from datetime import date

from odoo import api, fields, models
from odoo.exceptions import AccessError

MONTHS = range(1, 13)


class ReportQualityObjectives(models.AbstractModel):
    """Quality Objectives Statistics (质量目标统计表) for a year: each
    objective's frozen values month by month, against its target, and the
    indicator computed over the year."""

    _name = "report.sales_qms.report_quality_objectives"
    _description = "Quality Objectives Statistics"

    @api.model
    def _get_report_values(self, docids, data=None):
        data = data or {}
        today = fields.Date.context_today(self)
        year = int(data.get("year") or today.year)
        company = self.env["res.company"].browse(
            data.get("company_id") or self.env.company.id
        )
        if company not in self.env.user.company_ids and not self.env.su:
            raise AccessError(
                self.env._("You cannot print the statistics of another company.")
            )
        return {
            "doc_ids": docids,
            "doc_model": "qms.objective.report.wizard",
            "docs": self.env["qms.objective.report.wizard"].browse(docids),
            "company": company,
            "year": year,
            "print_date": today,
            "months": list(MONTHS),
            **self._compute_rows(company, year, today),
        }

    @api.model
    def _compute_rows(self, company, year, today):
        start, end = date(year, 1, 1), date(year, 12, 31)
        Value = self.env["qms.objective.value"]
        values = Value.search_fetch(
            [
                ("company_id", "=", company.id),
                ("state", "=", "current"),
                ("period_start", ">=", start),
                ("period_end", "<=", end),
            ],
            ["objective_id", "period_end", "value", "has_value", "met"],
        )
        objectives = (
            self.env["qms.objective"]
            .with_context(active_test=False)
            .search(
                [
                    ("company_id", "=", company.id),
                    "|",
                    ("active", "=", True),
                    ("id", "in", values.objective_id.ids),
                ]
            )
        )
        year_end = min(end, today)
        annual = {}
        if year_end >= start:
            Indicator = self.env["qms.indicator"]
            period = Indicator._qms_period(company.id, start, year_end)
            annual = objectives.indicator_id._qms_values(period)
        units = dict(
            self.env["qms.indicator"]._fields["unit"]._description_selection(self.env)
        )
        fmt = self.env["qms.management.review"]._qms_format_value
        rows = []
        for objective in objectives:
            cells = dict.fromkeys(MONTHS)
            measured = met = 0
            for value in values.filtered(lambda v, o=objective: v.objective_id == o):
                cells[value.period_end.month] = {
                    "text": fmt(
                        value.value if value.has_value else False, objective.unit
                    ),
                    "met": value.met,
                    "has_value": value.has_value,
                }
                measured += value.has_value
                met += value.met
            figure = annual.get(objective.indicator_id, False)
            annual_met = figure is not False and (
                figure >= objective.target
                if objective.direction == "higher"
                else figure <= objective.target
            )
            rows.append(
                {
                    "objective": objective,
                    "unit": units.get(objective.unit, ""),
                    "target": objective.target_label,
                    "cells": cells,
                    "measured": measured,
                    "met": met,
                    "annual": fmt(figure, objective.unit),
                    "annual_met": annual_met,
                    "annual_has_value": figure is not False,
                }
            )
        return {"rows": rows, "year_end": year_end}
