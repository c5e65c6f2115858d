from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL


class ReportServiceMonthly(models.AbstractModel):
    """The monthly service report (客户服务月报) also counts the service
    requests of the month (服务月报): by type, and per technician."""

    _inherit = "report.sales_qms.report_service_monthly"

    @api.model
    def _compute_figures(self, company, date_from, date_to):
        figures = super()._compute_figures(company, date_from, date_to)
        figures.update(self._compute_service_figures(company, date_from, date_to))
        return figures

    @api.model
    def _compute_service_figures(self, company, date_from, date_to):
        Request = self.env["qms.service.request"].sudo()
        Request.flush_model()
        start = fields.Datetime.to_datetime(date_from)
        end = fields.Datetime.to_datetime(date_to + timedelta(days=1))
        self.env.cr.execute(
            SQL(
                """
                SELECT r.service_type_id,
                       count(*) FILTER (WHERE r.date_request >= %(start)s),
                       count(*) FILTER (WHERE r.date_done >= %(start)s
                                          AND r.date_done < %(end)s),
                       count(*) FILTER (WHERE r.date_done >= %(start)s
                                          AND r.date_done < %(end)s
                                          AND r.date_done <= r.deadline),
                       avg(r.resolution_hours) FILTER (WHERE r.date_done >= %(start)s
                                                         AND r.date_done < %(end)s),
                       count(*) FILTER (WHERE r.state <> 'cancelled'
                                          AND (r.date_done IS NULL
                                               OR r.date_done >= %(end)s))
                  FROM qms_service_request r
                 WHERE r.company_id = %(company)s
                   AND r.date_request < %(end)s
                   AND (r.date_done IS NULL OR r.date_done >= %(start)s)
                 GROUP BY r.service_type_id
                """,
                start=start,
                end=end,
                company=company.id,
            )
        )
        rows = self.env.cr.fetchall()
        types = self.env["qms.service.type"].sudo().browse([row[0] for row in rows])
        names = {t.id: t.name for t in types}
        by_type = [
            {
                "label": names.get(type_id, ""),
                "received": received,
                "done": done,
                "on_time_rate": 100.0 * on_time / done if done else 0.0,
                "resolution_hours": float(resolution or 0.0),
                "open": still_open,
            }
            for type_id, received, done, on_time, resolution, still_open in rows
        ]
        by_type.sort(key=lambda row: row["label"])
        stats = (
            self.env["qms.service.evaluation"]
            .sudo()
            ._statistics(company, date_from, date_to)
        )
        users = self.env["res.users"].sudo().browse(list(stats))
        technicians = sorted(
            ({"name": user.name, **stats[user.id]} for user in users),
            key=lambda row: row["name"],
        )
        done = sum(row["done"] for row in by_type)
        return {
            "service_by_type": by_type,
            "service_received": sum(row["received"] for row in by_type),
            "service_done": done,
            "service_on_time_rate": (
                sum(row["on_time_rate"] * row["done"] for row in by_type) / done
                if done
                else 0.0
            ),
            "service_open": sum(row["open"] for row in by_type),
            "service_technicians": technicians,
        }
