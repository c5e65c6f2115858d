from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class ReportServiceMonthly(models.AbstractModel):
    """Figures of the monthly service report, each from one grouped query."""

    _name = "report.sales_qms.report_service_monthly"
    _description = "Monthly Service Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        company, date_from, date_to = self._qms_period(data or {})
        return {
            "doc_ids": docids,
            "doc_model": "qms.service.report.wizard",
            "docs": self.env["qms.service.report.wizard"].browse(docids),
            "company": company,
            "date_from": date_from,
            "date_to": date_to,
            "print_date": fields.Date.context_today(self),
            **self._compute_figures(company, date_from, date_to),
        }

    @api.model
    @api.readonly
    def get_figures(self, date_from=None, date_to=None, company_id=None):
        """The figures of the monthly service report, as numbers: for
        integrators and dashboards. Dates as "YYYY-MM-DD" (default: this month
        so far). Whoever may print the report may read them. Read-only: the web
        client's calls (/web/dataset/call_kw) run on a database replica when
        one is configured."""
        self.env["qms.service.report.wizard"].check_access("read")
        company, start, end = self._qms_period(
            {"date_from": date_from, "date_to": date_to, "company_id": company_id}
        )
        return {
            "company_id": company.id,
            "date_from": fields.Date.to_string(start),
            "date_to": fields.Date.to_string(end),
            **self._compute_figures(company, start, end),
        }

    @api.model
    def _qms_period(self, data):
        """(company, first day, last day) of the report; the user must be able
        to read the company."""
        today = fields.Date.context_today(self)
        date_from = fields.Date.to_date(data.get("date_from")) or today.replace(day=1)
        date_to = fields.Date.to_date(data.get("date_to")) or today
        company = self.env["res.company"].browse(
            data.get("company_id") or self.env.company.id
        )
        company.check_access("read")
        return company, date_from, date_to

    @api.model
    def _compute_figures(self, company, date_from, date_to):
        start = fields.Datetime.to_datetime(date_from)
        end = fields.Datetime.to_datetime(date_to + timedelta(days=1))
        Claim = self.env["qms.claim"].sudo()
        # the raw SQL below reads what the ORM may not have written yet
        Claim.flush_model()
        self.env["qms.claim.action"].flush_model()
        type_labels = dict(Claim._fields["claim_type"]._description_selection(self.env))
        severity_labels = dict(
            Claim._fields["severity"]._description_selection(self.env)
        )
        by_type = {}
        for claim_type, severity, count in Claim._read_group(
            [
                ("company_id", "=", company.id),
                ("date", ">=", start),
                ("date", "<", end),
            ],
            ["claim_type", "severity"],
            ["__count"],
        ):
            row = by_type.setdefault(
                claim_type,
                {"label": type_labels[claim_type], "total": 0}
                | dict.fromkeys(severity_labels, 0),
            )
            row[severity] = count
            row["total"] += count
        Claim.flush_model(["company_id", "date", "date_resolved", "deadline", "stage"])
        end_date = date_to + timedelta(days=1)
        [(resolved, avg_days, late_resolved, late_open, open_claims)] = (
            self.env.execute_query(
                SQL(
                    """
            SELECT count(*) FILTER (WHERE date_resolved >= %(start)s
                                      AND date_resolved < %(end)s),
                   avg(EXTRACT(EPOCH FROM date_resolved - date) / 86400.0)
                       FILTER (WHERE date_resolved >= %(start)s
                                 AND date_resolved < %(end)s),
                   count(*) FILTER (WHERE date_resolved >= %(start)s
                                      AND date_resolved < %(end)s
                                      AND date_resolved::date > deadline),
                   count(*) FILTER (WHERE date < %(end)s
                                      AND stage <> 'rejected'
                                      AND deadline < %(end_date)s
                                      AND (date_resolved IS NULL
                                           OR date_resolved >= %(end)s)),
                   count(*) FILTER (WHERE date < %(end)s
                                      AND stage IN ('new', 'investigating', 'action'))
              FROM qms_claim
             WHERE company_id = %(company)s
                    """,
                    start=start,
                    end=end,
                    end_date=end_date,
                    company=company.id,
                )
            )
        )
        visits = (
            self.env["qms.followup.visit"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "done"),
                    ("date_done", ">=", date_from),
                    ("date_done", "<=", date_to),
                ],
                [],
                [
                    "__count",
                    "score_quality:avg",
                    "score_delivery:avg",
                    "score_service:avg",
                    "score_average:avg",
                ],
            )[0]
        )
        visits_due = (
            self.env["qms.followup.visit"]
            .sudo()
            .search_count(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "planned"),
                    ("scheduled_date", "<=", date_to),
                ]
            )
        )
        dept_labels = dict(
            Claim._fields["responsible_department"]._description_selection(self.env)
        )
        open_actions = [
            {
                "department": dept_labels.get(dept, "") if dept else "",
                "count": count,
                "overdue": overdue,
            }
            for dept, count, overdue in self._open_action_rows(company, date_to)
        ]
        return {
            "claims_by_type": list(by_type.values()),
            "severity_labels": severity_labels,
            "claims_received": sum(r["total"] for r in by_type.values()),
            "claims_resolved": resolved,
            "resolution_days": avg_days or 0.0,
            "sla_breached_resolved": late_resolved,
            "sla_breached_open": late_open,
            "open_claims": open_claims,
            "visits_done": visits[0],
            "score_quality": visits[1] or 0.0,
            "score_delivery": visits[2] or 0.0,
            "score_service": visits[3] or 0.0,
            "score_average": visits[4] or 0.0,
            "visits_due": visits_due,
            "open_actions": open_actions,
            "open_action_total": sum(r["count"] for r in open_actions),
        }

    @api.model
    def _open_action_rows(self, company, date_to):
        self.env["qms.claim.action"].flush_model(
            ["company_id", "done_date", "due_date", "responsible_department"]
        )
        return self.env.execute_query(
            SQL(
                """
            SELECT responsible_department, count(*),
                   count(*) FILTER (WHERE due_date < %(end)s)
              FROM qms_claim_action
             WHERE company_id = %(company)s AND done_date IS NULL
             GROUP BY responsible_department
             ORDER BY responsible_department NULLS LAST
                """,
                company=company.id,
                end=date_to + timedelta(days=1),
            )
        )
