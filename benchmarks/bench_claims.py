"""Benchmark: the claim list with its counters and the monthly service report
on 100,000 claims.

    PYTHONPATH=/opt/odoo/18.0 /var/cache/sales_qms/venv/bin/python \
        benchmarks/bench_claims.py -c /var/cache/sales_qms/odoo-<hash>.conf -d <db>

The claims (and half as many actions, a tenth as many visits) are inserted with
one SQL statement each inside a transaction that is rolled back at the end: the
database is left as it was. Prints wall time and query count per operation.
"""

import argparse
import time

import odoo
from odoo.tools import config

LIST_FIELDS = [
    "name",
    "date",
    "partner_id",
    "claim_type",
    "severity",
    "sale_order_id",
    "user_id",
    "deadline",
    "is_overdue",
    "open_action_count",
    "stage",
]


def insert_data(env, n_claims):
    cr = env.cr
    company = env.company.id
    cr.execute(
        "SELECT array_agg(id) FROM res_partner WHERE is_company AND active LIMIT 1"
    )
    partners = cr.fetchone()[0]
    user = env.ref("sales_qms.user_service_demo", raise_if_not_found=False) or env.user
    cr.execute(
        """
        INSERT INTO qms_claim (name, date, partner_id, commercial_partner_id,
            claim_type, channel, severity, stage, deadline, date_resolved,
            company_id, user_id, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH/' || g,
               d,
               p, p,
               (ARRAY['complaint','return','exchange','repair','compensation'])[1 + g %% 5],
               (ARRAY['phone','fax','email','letter','visit','portal'])[1 + g %% 6],
               (ARRAY['minor','major','critical'])[1 + g %% 3],
               (ARRAY['new','investigating','action','resolved','closed','rejected'])[1 + g %% 6],
               (d + interval '7 days')::date,
               CASE WHEN g %% 6 IN (3, 4) THEN d + (g %% 11) * interval '1 day' END,
               %(company)s, %(user)s, 1, 1, now(), now()
          FROM (SELECT g, now() - (g %% 730) * interval '1 day' AS d,
                       (%(partners)s::int[])[1 + g %% cardinality(%(partners)s::int[])] AS p
                  FROM generate_series(1, %(n)s) g) s
        """,
        {"company": company, "user": user.id, "partners": partners, "n": n_claims},
    )
    cr.execute(
        """
        INSERT INTO qms_claim_action (claim_id, kind, description, owner_id,
            due_date, done_date, is_done, company_id, create_uid, write_uid,
            create_date, write_date)
        SELECT id, 'corrective', 'bench action', %(user)s, deadline,
               CASE WHEN stage IN ('resolved', 'closed') THEN deadline END,
               stage IN ('resolved', 'closed'), company_id, 1, 1, now(), now()
          FROM qms_claim WHERE name LIKE 'BENCH/%%' AND id %% 2 = 0
        """,
        {"user": user.id},
    )
    cr.execute(
        """
        INSERT INTO qms_followup_visit (name, partner_id, commercial_partner_id,
            scheduled_date, date_done, state, channel, score_quality,
            score_delivery, score_service, score_average, user_id, company_id,
            create_uid, write_uid, create_date, write_date)
        SELECT 'bench', partner_id, partner_id, date::date, date::date, 'done',
               'phone', 1 + id %% 5, 1 + id %% 4, 2 + id %% 4,
               ((1 + id %% 5) + (1 + id %% 4) + (2 + id %% 4)) / 3.0,
               %(user)s, company_id, 1, 1, now(), now()
          FROM qms_claim WHERE name LIKE 'BENCH/%%' AND id %% 10 = 0
        """,
        {"user": user.id},
    )
    cr.execute("ANALYZE qms_claim, qms_claim_action, qms_followup_visit")
    env.invalidate_all()
    return user


def measure(env, label, func):
    env.invalidate_all()
    env.registry.clear_cache()
    func()  # warm the ORM caches, as a running server has them
    env.invalidate_all()
    start_q = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    queries = env.cr.sql_log_count - start_q
    print(f"{label:<48} {elapsed * 1000:9.1f} ms {queries:5d} queries")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("-n", "--claims", type=int, default=100_000)
    args = parser.parse_args()

    config.parse_config(["-c", args.config, "-d", args.database])
    odoo.netsvc.init_logger()
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        try:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            start = time.perf_counter()
            user = insert_data(env, args.claims)
            print(
                f"inserted {args.claims} claims in "
                f"{time.perf_counter() - start:.1f} s (rolled back at the end)"
            )
            uenv = odoo.api.Environment(cr, user.id, {"lang": "zh_CN"})
            Claim = uenv["qms.claim"]
            spec = {
                name: ({"fields": {"display_name": {}}} if name.endswith("_id") else {})
                for name in LIST_FIELDS
            }
            measure(
                uenv,
                "claim list: first page (80 rows)",
                lambda: Claim.web_search_read(
                    [("stage", "in", ("new", "investigating", "action"))],
                    spec,
                    limit=80,
                    count_limit=10001,
                ),
            )
            measure(
                uenv,
                "claim list: counters (open, overdue, mine)",
                lambda: (
                    Claim.search_count(
                        [("stage", "in", ("new", "investigating", "action"))]
                    ),
                    Claim.search_count([("is_overdue", "=", True)]),
                    Claim.search_count([("user_id", "=", user.id)]),
                ),
            )
            measure(
                uenv,
                "claim kanban: read_group by stage",
                lambda: Claim.web_read_group([], ["stage"], ["stage"]),
            )
            measure(
                uenv,
                "claim pivot: type x severity",
                lambda: Claim.read_group(
                    [], ["__count"], ["claim_type", "severity"], lazy=False
                ),
            )
            today = odoo.fields.Date.context_today(Claim)
            data = {
                "date_from": str(today.replace(day=1)),
                "date_to": str(today),
                "company_id": uenv.company.id,
            }
            Report = uenv["report.sales_qms.report_service_monthly"]
            values = measure(
                uenv,
                "monthly service report: figures",
                lambda: Report._get_report_values([], data),
            )
            print(
                f"  received {values['claims_received']}, resolved "
                f"{values['claims_resolved']}, SLA breaches "
                f"{values['sla_breached_resolved']} + {values['sla_breached_open']}, "
                f"visits {values['visits_done']}, open actions "
                f"{values['open_action_total']}"
            )
            measure(
                uenv,
                "monthly service report: QWeb HTML",
                lambda: uenv["ir.actions.report"]._render_qweb_html(
                    "sales_qms.action_report_service_monthly", [], data=data
                ),
            )
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
