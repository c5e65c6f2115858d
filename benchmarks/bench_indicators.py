"""Benchmark: quality indicators, the quality dashboard and the management
review on a large history.

    PYTHONPATH=/opt/odoo/18.0 /var/cache/sales_qms/venv/bin/python \\
        benchmarks/bench_indicators.py -c /var/cache/sales_qms/odoo-<hash>.conf -d <db>

Works in a copy of the database (dropped at the end; --in-place instead
inserts into the database itself and rolls back). Inserts, with one SQL
statement per table (generate_series), 1,000,000 done
move lines (700,000 delivered to customers in 100,000 deliveries of 100,000
orders, 300,000 received), 100,000 pre-delivery inspections, 2,000 releases,
20,000 contract review rounds with 200,000 department lines, 100,000 claims,
10,000 follow-up visits and 5,000 lot status changes, spread over two years,
commits and vacuums them as a live database would be. Then times, as the QMS
manager, best of 3 with the number of queries:

- every indicator for the company over the last complete year (and each one);
- the dashboard's first paint (the kanban's web_search_read of 16 objectives,
  each with its 12-month trend);
- measuring the 16 objectives for one month (what the monthly job does);
- compiling a management review's inputs for the year;
- its PDF (wkhtmltopdf).
"""

import argparse
import os
import resource
import shutil
import time
from contextlib import closing
from datetime import date

import odoo
import odoo.service.db
from odoo.tools import config

SIZES = {
    "orders": 100_000,
    "move_lines": 1_000_000,
    "rounds": 20_000,
    "claims": 100_000,
    "visits": 10_000,
    "lots": 5_000,
    "releases": 2_000,
}
KANBAN_SPEC = {
    "indicator_id": {"fields": {"display_name": {}}},
    "target_label": {},
    "frequency": {},
    "owner_id": {"fields": {"display_name": {}}},
    "last_value_id": {"fields": {"display_name": {}}},
    "last_value": {},
    "last_has_value": {},
    "last_met": {},
    "last_period": {},
    "unit": {},
    "trend_graph": {},
    "trend_met_count": {},
    "trend_count": {},
}


def insert_data(env, sizes):
    cr = env.cr
    company = env.company.id
    uid = env.uid
    stock = (
        env["stock.warehouse"]
        .search([("company_id", "=", company)], limit=1)
        .lot_stock_id.id
    )
    customers = env.ref("stock.stock_location_customers").id
    suppliers = env.ref("stock.stock_location_suppliers").id
    out_type = (
        env["stock.warehouse"]
        .search([("company_id", "=", company)], limit=1)
        .out_type_id
    )
    units = env.ref("uom.product_uom_unit").id
    cr.execute(
        "SELECT array_agg(id) FROM (SELECT id FROM res_partner "
        "WHERE is_company AND active ORDER BY id LIMIT 50) p"
    )
    partners = cr.fetchone()[0]
    cr.execute(
        "SELECT array_agg(id) FROM (SELECT id FROM product_product "
        "WHERE active ORDER BY id LIMIT 100) p"
    )
    products = cr.fetchone()[0]
    departments = env["qms.department"].search([]).ids
    params = {
        "company": company,
        "uid": uid,
        "stock": stock,
        "customers": customers,
        "suppliers": suppliers,
        "out_type": out_type.id,
        "units": units,
        "partners": partners,
        "products": products,
        "departments": departments,
        **sizes,
    }
    timings = []

    def run(label, query):
        start = time.perf_counter()
        cr.execute(query, params)
        timings.append((label, cr.rowcount, time.perf_counter() - start))

    run(
        "sale orders",
        """
        INSERT INTO sale_order (name, partner_id, partner_invoice_id,
            partner_shipping_id, company_id, picking_policy, date_order, state,
            commitment_date, qms_contract_type, qms_review_state, qms_order_origin,
            create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH/SO/' || g, p, p, p, %(company)s, 'direct', d,
               CASE WHEN g %% 20 = 0 THEN 'cancel' ELSE 'sale' END,
               CASE WHEN g %% 5 <> 0 THEN d + (5 + g %% 10) * interval '1 day' END,
               CASE WHEN g %% 10 = 0 THEN 'special' ELSE 'general' END,
               'approved', 'written', %(uid)s, %(uid)s, now(), now()
          FROM (SELECT g, now() - (g %% 730) * interval '1 day' AS d,
                       (%(partners)s::int[])[1 + g %% cardinality(%(partners)s::int[])] AS p
                  FROM generate_series(1, %(orders)s) g) s
        """,
    )
    run(
        "deliveries",
        """
        INSERT INTO stock_picking (name, location_id, location_dest_id,
            picking_type_id, move_type, state, date_done, scheduled_date,
            sale_id, partner_id, company_id, create_uid, write_uid,
            create_date, write_date)
        SELECT 'BENCH/OUT/' || so.id, %(stock)s, %(customers)s, %(out_type)s,
               'direct', 'done', so.date_order + (so.id %% 20) * interval '1 day',
               so.date_order, so.id, so.partner_id, %(company)s, %(uid)s,
               %(uid)s, now(), now()
          FROM sale_order so
         WHERE so.name LIKE 'BENCH/SO/%%' AND so.state = 'sale'
        """,
    )
    cr.execute(
        "SELECT min(id), max(id) FROM stock_picking WHERE name LIKE 'BENCH/OUT/%%'"
    )
    params["pick_min"], params["pick_max"] = cr.fetchone()
    run(
        "move lines",
        """
        INSERT INTO stock_move_line (company_id, product_id, product_uom_id,
            location_id, location_dest_id, picking_id, date, state, quantity,
            quantity_product_uom, picked, create_uid, write_uid, create_date,
            write_date)
        SELECT %(company)s, (%(products)s::int[])[1 + g %% cardinality(%(products)s::int[])],
               %(units)s,
               CASE WHEN out THEN %(stock)s ELSE %(suppliers)s END,
               CASE WHEN out THEN %(customers)s ELSE %(stock)s END,
               CASE WHEN out THEN p.id END,
               CASE WHEN out THEN p.date_done
                    ELSE now() - (g %% 730) * interval '1 day' END,
               'done', 1 + g %% 10, 1 + g %% 10, true, %(uid)s, %(uid)s,
               now(), now()
          FROM (SELECT g, g %% 10 < 7 AS out,
                       %(pick_min)s + (g / 10) %% (%(pick_max)s - %(pick_min)s + 1) AS pid
                  FROM generate_series(1, %(move_lines)s) g) s
          LEFT JOIN stock_picking p ON p.id = s.pid
        """,
    )
    run(
        "pre-delivery inspections",
        """
        INSERT INTO qms_delivery_inspection (name, picking_id, company_id, result,
            is_complete, failed_on, create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH/INS/' || p.id, p.id, %(company)s,
               CASE WHEN p.id %% 33 = 0 THEN 'failed' ELSE 'passed' END,
               p.id %% 33 <> 0,
               CASE WHEN p.id %% 20 = 0 THEN p.date_done END,
               %(uid)s, %(uid)s, now(), now()
          FROM stock_picking p WHERE p.name LIKE 'BENCH/OUT/%%'
        """,
    )
    run(
        "releases",
        """
        INSERT INTO qms_delivery_release (name, picking_id, company_id, kind,
            reason, state, approved_on, create_uid, write_uid, create_date,
            write_date)
        SELECT 'BENCH/REL/' || p.id, p.id, %(company)s,
               CASE WHEN p.id %% 2 = 0 THEN 'emergency' ELSE 'concession' END,
               'bench', 'approved', p.date_done, %(uid)s, %(uid)s, now(), now()
          FROM stock_picking p WHERE p.name LIKE 'BENCH/OUT/%%'
         ORDER BY md5(p.id::text) LIMIT %(releases)s
        """,
    )
    run(
        "contract review rounds",
        """
        INSERT INTO qms_contract_review (name, order_id, company_id, state, kind,
            revision, requested_on, decided_on, create_uid, write_uid,
            create_date, write_date)
        SELECT so.name || '/R1', so.id, %(company)s,
               CASE WHEN so.id %% 20 = 0 THEN 'pending'
                    WHEN so.id %% 10 = 0 THEN 'rejected' ELSE 'approved' END,
               'initial', 1, so.date_order - interval '3 days',
               CASE WHEN so.id %% 20 <> 0
                    THEN so.date_order - interval '3 days' + (so.id %% 72) * interval '1 hour'
               END,
               %(uid)s, %(uid)s, now(), now()
          FROM sale_order so WHERE so.name LIKE 'BENCH/SO/%%'
         ORDER BY so.id LIMIT %(rounds)s
        """,
    )
    run(
        "contract review lines",
        """
        INSERT INTO qms_contract_review_line (review_id, order_id, company_id,
            department_id, state, decided_on, decision_hours, sequence,
            create_uid, write_uid, create_date, write_date)
        SELECT r.id, r.order_id, %(company)s,
               (%(departments)s::int[])[1 + k %% cardinality(%(departments)s::int[])],
               CASE WHEN r.state = 'rejected' AND k = 0 THEN 'rejected'
                    WHEN r.state = 'pending' THEN 'pending' ELSE 'approved' END,
               CASE WHEN r.state <> 'pending'
                    THEN r.requested_on + ((r.id + k) %% 48) * interval '1 hour' END,
               CASE WHEN r.state <> 'pending' THEN (r.id + k) %% 48 ELSE 0 END,
               k, %(uid)s, %(uid)s, now(), now()
          FROM qms_contract_review r, generate_series(0, 9) k
         WHERE r.name LIKE 'BENCH/SO/%%'
        """,
    )
    run(
        "claims",
        """
        INSERT INTO qms_claim (name, date, partner_id, commercial_partner_id,
            claim_type, channel, severity, stage, deadline, date_resolved,
            date_closed, company_id, user_id, create_uid, write_uid,
            create_date, write_date)
        SELECT 'BENCH/CLM/' || g, d, p, p,
               (ARRAY['complaint','return','exchange','repair','compensation'])[1 + g %% 5],
               'phone', (ARRAY['minor','major','critical'])[1 + g %% 3],
               (ARRAY['new','investigating','action','resolved','closed','rejected'])[1 + g %% 6],
               (d + interval '7 days')::date,
               CASE WHEN g %% 6 IN (3, 4) THEN d + (g %% 11) * interval '1 day' END,
               CASE WHEN g %% 6 = 4 THEN d + (g %% 13) * interval '1 day' END,
               %(company)s, %(uid)s, %(uid)s, %(uid)s, now(), now()
          FROM (SELECT g, now() - (g %% 730) * interval '1 day' AS d,
                       (%(partners)s::int[])[1 + g %% cardinality(%(partners)s::int[])] AS p
                  FROM generate_series(1, %(claims)s) g) s
        """,
    )
    run(
        "claim actions",
        """
        INSERT INTO qms_claim_action (claim_id, kind, description, owner_id,
            due_date, done_date, is_done, company_id, create_uid, write_uid,
            create_date, write_date)
        SELECT id, 'corrective', 'bench action', %(uid)s, deadline,
               CASE WHEN stage IN ('resolved', 'closed') THEN deadline END,
               stage IN ('resolved', 'closed'), company_id, %(uid)s, %(uid)s,
               now(), now()
          FROM qms_claim WHERE name LIKE 'BENCH/CLM/%%' AND id %% 2 = 0
        """,
    )
    run(
        "follow-up visits",
        """
        INSERT INTO qms_followup_visit (name, partner_id, commercial_partner_id,
            scheduled_date, date_done, state, channel, score_quality,
            score_delivery, score_service, score_average, user_id, company_id,
            create_uid, write_uid, create_date, write_date)
        SELECT 'bench', p, p, d::date,
               CASE WHEN g %% 10 <> 0 THEN d::date + g %% 3 END,
               CASE WHEN g %% 10 <> 0 THEN 'done' ELSE 'planned' END, 'phone',
               1 + g %% 5, 1 + g %% 4, 2 + g %% 4,
               ((1 + g %% 5) + (1 + g %% 4) + (2 + g %% 4)) / 3.0,
               %(uid)s, %(company)s, %(uid)s, %(uid)s, now(), now()
          FROM (SELECT g, now() - (g %% 730) * interval '1 day' AS d,
                       (%(partners)s::int[])[1 + g %% cardinality(%(partners)s::int[])] AS p
                  FROM generate_series(1, %(visits)s) g) s
        """,
    )
    run(
        "lots",
        """
        INSERT INTO stock_lot (name, product_id, company_id, qms_status,
            create_uid, write_uid, create_date, write_date)
        SELECT 'BENCH-LOT-' || g,
               (%(products)s::int[])[1 + g %% cardinality(%(products)s::int[])],
               %(company)s, 'nonconforming', %(uid)s, %(uid)s, now(), now()
          FROM generate_series(1, %(lots)s) g
        """,
    )
    run(
        "lot status log",
        """
        INSERT INTO qms_lot_status_log (lot_id, old_status, new_status, reason,
            user_id, date, company_id, create_uid, write_uid, create_date,
            write_date)
        SELECT id, 'qualified', 'nonconforming', 'bench', %(uid)s,
               now() - (id * 7 %% 730) * interval '1 day', %(company)s, %(uid)s,
               %(uid)s, now(), now()
          FROM stock_lot WHERE name LIKE 'BENCH-LOT-%%'
        """,
    )
    run(
        "lot receipts (move lines)",
        """
        INSERT INTO stock_move_line (company_id, product_id, product_uom_id,
            location_id, location_dest_id, lot_id, date, state, quantity,
            quantity_product_uom, picked, create_uid, write_uid, create_date,
            write_date)
        SELECT %(company)s, l.product_id, %(units)s, %(suppliers)s, %(stock)s,
               l.id, now() - interval '800 days', 'done', 100, 100, true,
               %(uid)s, %(uid)s, now(), now()
          FROM stock_lot l WHERE l.name LIKE 'BENCH-LOT-%%'
        """,
    )
    cr.execute(
        "ANALYZE sale_order, stock_picking, stock_move_line, qms_delivery_inspection, "
        "qms_delivery_release, qms_contract_review, qms_contract_review_line, "
        "qms_claim, qms_claim_action, qms_followup_visit, stock_lot, "
        "qms_lot_status_log"
    )
    env.invalidate_all()
    return timings


def backend_cpu(cr):
    """CPU seconds the PostgreSQL backend serving `cr` has used (Linux, the
    server on this machine), or None: the work of the queries whatever the
    load of the machine."""
    try:
        cr.execute("SELECT pg_backend_pid()")
        with open(f"/proc/{cr.fetchone()[0]}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(env, label, func, repeat=3):
    """Best of `repeat` runs, cold ORM cache each time (server caches warm):
    wall time, the number of queries, and the CPU time of Odoo (Python) and of
    the PostgreSQL backend, which do not depend on how loaded the machine is."""
    func()
    best = None
    for _ in range(repeat):
        env.invalidate_all()
        pg = backend_cpu(env.cr)
        count = env.cr.sql_log_count
        cpu = time.process_time()
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu
        queries = env.cr.sql_log_count - count
        pg_after = backend_cpu(env.cr)
        pg = pg_after - pg if pg is not None and pg_after is not None else None
        if best is None or elapsed < best[0]:
            best = (elapsed, queries, cpu, pg)
    pg_text = f", PostgreSQL {best[3] * 1000:.0f} ms" if best[3] is not None else ""
    print(
        f"  {label:<58} {best[0] * 1000:9.1f} ms {best[1]:6d} queries "
        f"(CPU: Odoo {best[2] * 1000:.0f} ms{pg_text})"
    )
    return best, result


def load():
    return "load average {:.1f} {:.1f} {:.1f} on {} cores".format(
        *os.getloadavg(), os.cpu_count()
    )


def prepare(env, sizes):
    """The data, and one objective per indicator with 12 months of values."""
    start = time.perf_counter()
    for label, rows, seconds in insert_data(env, sizes):
        print(f"  inserted {rows:>9,} {label:<28} {seconds:6.1f} s")
    print(f"data ready in {time.perf_counter() - start:.1f} s")
    manager = (
        env.ref("sales_qms.user_qms_manager_demo", raise_if_not_found=False) or env.user
    )
    year = date.today().year - 1
    env["qms.objective"].search([]).active = False
    objectives = env["qms.objective"].create(
        [
            {"indicator_id": i.id, "target": 50.0, "owner_id": manager.id}
            for i in env["qms.indicator"].search([])
        ]
    )
    for objective in objectives:
        objective._qms_record_values(
            [(date(year, m, 1), 40.0 + m * 2) for m in range(1, 13)], "bench"
        )
    return manager, year, objectives


def run_measures(env, manager, year, objectives):
    date_from, date_to = date(year, 1, 1), date(year, 12, 31)
    uenv = odoo.api.Environment(env.cr, manager.id, {"lang": "zh_CN"})
    company = uenv.company.id
    print(f"\nas {manager.name}, company {uenv.company.name}, year {year}; {load()}")
    Ind = uenv["qms.indicator"]
    indicators = Ind.search([])
    period = Ind._qms_period(company, date_from, date_to)
    measure(
        uenv,
        f"all {len(indicators)} indicators, one company, one year",
        lambda: indicators._qms_values(period),
    )
    for indicator in indicators:
        _best, value = measure(
            uenv,
            f"  {indicator.code}",
            lambda i=indicator: i.compute_value(company, date_from, date_to),
            repeat=3,
        )
        print(f"      value {value}")
    Objective = uenv["qms.objective"]
    measure(
        uenv,
        "dashboard first paint (kanban web_search_read, 16 cards)",
        lambda: Objective.web_search_read([], KANBAN_SPEC, limit=80, count_limit=10001),
    )
    measure(
        uenv,
        "objective trends (graph read_group by month, indicator)",
        lambda: uenv["qms.objective.value"].read_group(
            [("state", "=", "current")],
            ["value:avg"],
            ["period_start:month", "indicator_id"],
            lazy=False,
        ),
    )
    december = (date(year, 12, 1), date(year, 12, 31))
    objectives_u = Objective.browse(objectives.ids)
    measure(
        uenv,
        "measure the 16 objectives for one month (monthly job)",
        lambda: objectives_u.action_measure(
            *december, reason=f"bench {time.perf_counter()}"
        ),
        repeat=1,
    )
    review = uenv["qms.management.review"].create(
        {
            "date": date_to,
            "period_start": date_from,
            "period_end": date_to,
            "chair_id": manager.id,
            "participant_ids": [(6, 0, manager.ids)],
        }
    )
    measure(
        uenv,
        "compile a management review's inputs (one year)",
        review.action_compile_inputs,
    )
    Indicator = uenv["qms.indicator"]
    period = Indicator._qms_period(company, date_from, date_to)
    for section in (
        "_qms_input_previous_actions",
        "_qms_input_objectives",
        "_qms_input_departments",
        "_qms_input_nonconformities",
    ):
        args = (
            (period,)
            if section in ("_qms_input_departments", "_qms_input_nonconformities")
            else ()
        )
        measure(uenv, f"  {section}", lambda s=section, a=args: getattr(review, s)(*a))
    for section in (
        "_qms_input_changes",
        "_qms_input_claims_by_type",
        "_qms_input_top_customers",
        "_qms_input_claim_actions",
        "_qms_input_monitoring",
    ):
        measure(uenv, f"  {section}", lambda s=section: getattr(review, s)(period))
    measure(
        uenv,
        "management review form: inputs as HTML",
        lambda: review.read(["inputs_html"]),
    )
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    measure(
        uenv,
        "management review PDF (wkhtmltopdf)",
        lambda: uenv["ir.actions.report"]._render_qweb_pdf(
            "sales_qms.action_report_management_review", review.ids
        ),
        repeat=1,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        "    wkhtmltopdf CPU (2 renderings): "
        f"{after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime:.1f} s"
    )


def drop_database(name):
    """Drop the copy (exp_drop lists only the configured database)."""
    odoo.modules.registry.Registry.delete(name)
    odoo.sql_db.close_db(name)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid != pg_backend_pid()",
            [name],
        )
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    shutil.rmtree(config.filestore(name), ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="insert into the database itself in a transaction rolled back at the "
        "end (no VACUUM: the fresh rows are read from the heap)",
    )
    args = parser.parse_args()
    sizes = {k: max(1, int(v * args.scale)) for k, v in SIZES.items()}

    config.parse_config(["-c", args.config, "-d", args.database])
    odoo.netsvc.init_logger()
    database = args.database
    if not args.in_place:
        # a copy of the database, committed and vacuumed as a live one is
        # (index-only scans), dropped at the end
        database = f"{args.database}_bench_ind"
        drop_database(database)
        odoo.service.db.exp_duplicate_database(args.database, database)
        print(f"working in a copy: {database}")
    try:
        registry = odoo.modules.registry.Registry(database)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            manager, year, objectives = prepare(env, sizes)
            if not args.in_place:
                cr.commit()
                start = time.perf_counter()
                with closing(odoo.sql_db.db_connect(database).cursor()) as vcr:
                    vcr._cnx.autocommit = True
                    vcr.execute("VACUUM ANALYZE")
                print(f"committed and vacuumed in {time.perf_counter() - start:.1f} s")
            try:
                run_measures(env, manager, year, objectives)
            finally:
                cr.rollback()
    finally:
        if not args.in_place:
            drop_database(database)


if __name__ == "__main__":
    main()
