"""Benchmark: the service process at the sizes of issue 11.

1. Validating a delivery of serial-tracked products (20 and 200 move lines)
   with and without 'Track Installed Base': the queries the installed base adds.
2. 5,000 technicians with 10 certificates each: the technicians qualified for a
   type of service on a date.
3. 100,000 service requests (20,000 installed products at 2,000 customers):
   the request list page, the monthly statistics of all technicians, one
   customer's installed base with its service history.

    PYTHONPATH=/opt/odoo/18.0 /var/cache/sales_qms/venv/bin/python \\
        benchmarks/bench_service.py -c /var/cache/sales_qms/odoo-<hash>.conf -d <db>

Bulk data is inserted with SQL inside a transaction that is rolled back: the
database is left as it was. Times are the best of --repeat runs, after one run
that warms the ORM caches as a running server has them.
"""

import argparse
import time
from datetime import date, timedelta

import odoo
from odoo import Command, fields
from odoo.tools import config

REQUEST_FIELDS = [
    "priority",
    "name",
    "date_request",
    "partner_id",
    "service_type_id",
    "technician_id",
    "scheduled_date",
    "deadline",
    "is_overdue",
    "is_major",
    "sla_status",
    "customer_rating",
    "state",
    "company_id",
]


def best(env, func, repeat):
    """(best ms, queries of one run) of func, caches warm."""
    func()
    times, queries = [], 0
    for _n in range(repeat):
        env.invalidate_all()
        start_q = env.cr.sql_log_count
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
        queries = env.cr.sql_log_count - start_q
    return min(times) * 1000, queries


# ---------------------------------------------------------------- deliveries
def delivery_queries(env, n_lines, flagged, tag):
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=1
    )
    stock, customers = warehouse.lot_stock_id, env.ref("stock.stock_location_customers")
    product = env["product.product"].create(
        {
            "name": f"Bench cabinet {tag}",
            "is_storable": True,
            "tracking": "serial",
            "qms_track_installed": flagged,
        }
    )
    lots = env["stock.lot"].create(
        [
            {"name": f"BENCH-{tag}-{i:04d}", "product_id": product.id}
            for i in range(n_lines)
        ]
    )
    for lot in lots:
        env["stock.quant"]._update_available_quantity(product, stock, 1, lot_id=lot)
    picking = env["stock.picking"].create(
        {
            "picking_type_id": warehouse.out_type_id.id,
            "partner_id": env.ref("base.res_partner_12", raise_if_not_found=False).id
            or env.company.partner_id.id,
            "location_id": stock.id,
            "location_dest_id": customers.id,
            "move_ids": [
                Command.create(
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": n_lines,
                        "location_id": stock.id,
                        "location_dest_id": customers.id,
                    }
                )
            ],
        }
    )
    picking.action_assign()
    picking.move_ids.picked = True
    assert len(picking.move_line_ids) == n_lines
    env.flush_all()
    env.invalidate_all()
    start_q = env.cr.sql_log_count
    start = time.perf_counter()
    picking.with_context(skip_sms=True).button_validate()
    env.flush_all()
    elapsed = time.perf_counter() - start
    assert picking.state == "done", picking.state
    units = env["qms.installed.product"].search_count([("picking_id", "=", picking.id)])
    assert units == (n_lines if flagged else 0), units
    return env.cr.sql_log_count - start_q, elapsed * 1000


def bench_deliveries(registry, sizes):
    print("1. validate a delivery of serial-tracked products")
    print(
        f"{'lines':>6} {'plain q':>8} {'tracked q':>10} {'added q':>8} {'plain ms':>9} {'tracked ms':>11}"
    )
    for n_lines in sizes:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            try:
                env["stock.picking.type"].search(
                    [("code", "=", "outgoing")]
                ).qms_inspection_required = False
                delivery_queries(env, 5, True, f"warm{n_lines}")
                plain = delivery_queries(env, n_lines, False, f"plain{n_lines}")
                tracked = delivery_queries(env, n_lines, True, f"tracked{n_lines}")
            finally:
                cr.rollback()
        print(
            f"{n_lines:>6} {plain[0]:>8} {tracked[0]:>10} {tracked[0] - plain[0]:>8} "
            f"{plain[1]:>9.0f} {tracked[1]:>11.0f}"
        )


# ---------------------------------------------------------------- bulk data
def insert_technicians(env, n_users, per_user):
    cr = env.cr
    company = env.company.id
    group = env.ref("sales_qms.group_qms_service_technician").id
    types = env["qms.service.type"].search([]).ids
    cr.execute(
        """
        INSERT INTO res_partner (name, active, autopost_bills, company_id, create_date, write_date)
        SELECT 'Bench technician ' || g, true, 'ask', %(company)s, now(), now()
          FROM generate_series(1, %(n)s) g
        RETURNING id
        """,
        {"n": n_users, "company": company},
    )
    partners = [row[0] for row in cr.fetchall()]
    cr.execute(
        """
        INSERT INTO res_users (login, partner_id, company_id, active, notification_type,
                               create_date, write_date)
        SELECT 'bench_tech_' || p, p, %(company)s, true, 'email', now(), now()
          FROM unnest(%(partners)s::int[]) p
        RETURNING id
        """,
        {"partners": partners, "company": company},
    )
    users = [row[0] for row in cr.fetchall()]
    cr.execute(
        "INSERT INTO res_groups_users_rel (gid, uid) SELECT %s, u FROM unnest(%s::int[]) u",
        (group, users),
    )
    cr.execute(
        "INSERT INTO res_company_users_rel (cid, user_id) SELECT %s, u FROM unnest(%s::int[]) u",
        (company, users),
    )
    # per user: certificates of the last years, some expired, some current
    cr.execute(
        """
        INSERT INTO qms_service_qualification (user_id, certificate_number, title,
               valid_from, valid_to, active, company_id, create_date, write_date)
        SELECT u, 'BENCH-' || u || '-' || k,
               (ARRAY['junior','intermediate','senior'])[1 + (u + k) %% 3],
               current_date - (k * 180 + (u %% 90)) * interval '1 day',
               current_date - (k * 180 + (u %% 90)) * interval '1 day' + interval '365 days',
               true, %(company)s, now(), now()
          FROM unnest(%(users)s::int[]) u, generate_series(0, %(per)s - 1) k
        """,
        {"users": users, "per": per_user, "company": company},
    )
    cr.execute(
        """
        INSERT INTO qms_service_qualification_type_rel (qualification_id, service_type_id)
        SELECT q.id, t
          FROM qms_service_qualification q,
               unnest(%(types)s::int[]) WITH ORDINALITY AS x(t, n)
         WHERE q.certificate_number LIKE 'BENCH-%%' AND (q.id + x.n) %% 3 <> 0
        """,
        {"types": types},
    )
    cr.execute(
        """
        UPDATE qms_service_qualification q
           SET service_type_key = (
               SELECT ',' || string_agg(r.service_type_id::text, ',' ORDER BY
                      r.service_type_id) || ','
                 FROM qms_service_qualification_type_rel r
                WHERE r.qualification_id = q.id)
         WHERE q.certificate_number LIKE 'BENCH-%%'
        """
    )
    cr.execute(
        "ANALYZE qms_service_qualification, qms_service_qualification_type_rel, "
        "res_users, res_groups_users_rel"
    )
    return users


def insert_requests(env, users, n_requests, n_customers, units_per_customer):
    cr = env.cr
    company = env.company.id
    types = env["qms.service.type"].search([]).ids
    product = env["product.product"].create({"name": "Bench installed cabinet"}).id
    cr.execute(
        """
        INSERT INTO res_partner (name, active, autopost_bills, is_company, company_id,
                                 create_date, write_date)
        SELECT 'Bench customer ' || g, true, 'ask', true, %(company)s, now(), now()
          FROM generate_series(1, %(n)s) g
        RETURNING id
        """,
        {"n": n_customers, "company": company},
    )
    customers = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        (customers,),
    )
    cr.execute(
        """
        INSERT INTO qms_installed_product (name, partner_id, commercial_partner_id,
               site_partner_id, product_id, quantity, delivery_date, install_date,
               warranty_end, state, company_id, create_date, write_date)
        SELECT 'Bench cabinet ' || p || '-' || k, p, p, p, %(product)s, 1,
               current_date - 400, current_date - 390, current_date + 340,
               'installed', %(company)s, now(), now()
          FROM unnest(%(customers)s::int[]) WITH ORDINALITY AS c(p, n),
               generate_series(1, %(k)s) k
         ORDER BY n, k
        RETURNING id
        """,
        {
            "customers": customers,
            "k": units_per_customer,
            "product": product,
            "company": company,
        },
    )
    # the k units of the i-th customer are units[i*k:(i+1)*k]
    units = sorted(row[0] for row in cr.fetchall())
    cr.execute(
        """
        WITH req AS (
            INSERT INTO qms_service_request (name, date_request, channel, partner_id,
                   commercial_partner_id, service_type_id, priority, deadline, user_id,
                   technician_id, scheduled_date, state, date_start, date_done,
                   date_closed, work_hours, customer_rating, sla_status,
                   response_hours, resolution_hours, company_id, create_date,
                   write_date)
            SELECT 'BENCH/' || g, d, 'phone', p, p,
                   (%(types)s::int[])[1 + g %% cardinality(%(types)s::int[])],
                   '0', d + interval '48 hours', 2,
                   (%(users)s::int[])[1 + g %% 300],
                   d + interval '20 hours',
                   s,
                   CASE WHEN s IN ('in_progress', 'done', 'closed')
                        THEN d + interval '22 hours' END,
                   CASE WHEN s IN ('done', 'closed')
                        THEN d + (20 + g %% 50) * interval '1 hour' END,
                   CASE WHEN s = 'closed' THEN d + interval '4 days' END,
                   1 + g %% 5, CASE WHEN s = 'closed' THEN 1 + g %% 5 ELSE 0 END,
                   CASE WHEN s IN ('done', 'closed') THEN
                        CASE WHEN 20 + g %% 50 <= 48 THEN 'met' ELSE 'missed' END
                        WHEN s IN ('new', 'scheduled', 'in_progress') THEN 'open' END,
                   CASE WHEN s IN ('in_progress', 'done', 'closed') THEN 22 ELSE 0 END,
                   CASE WHEN s IN ('done', 'closed') THEN 20 + g %% 50 ELSE 0 END,
                   %(company)s, now(), now()
              FROM (SELECT g, now() - (g %% 730) * interval '1 day' AS d,
                           (%(customers)s::int[])[1 + g %% %(nc)s] AS p,
                           (ARRAY['new','scheduled','in_progress','done','closed',
                                  'closed','closed','closed','closed','cancelled'])
                               [1 + g %% 10] AS s
                      FROM generate_series(1, %(n)s) g) x
            RETURNING id, name
        )
        INSERT INTO qms_installed_product_service_request_rel
               (request_id, installed_product_id)
        SELECT id, (%(units)s::int[])[
                   (substr(name, 7)::int %% %(nc)s) * %(k)s
                   + 1 + (substr(name, 7)::int / %(nc)s) %% %(k)s]
          FROM req
        """,
        {
            "n": n_requests,
            "types": types,
            "users": users,
            "customers": customers,
            "nc": len(customers),
            "units": units,
            "k": units_per_customer,
            "company": company,
        },
    )
    cr.execute(
        "ANALYZE qms_service_request, qms_installed_product, "
        "qms_installed_product_service_request_rel, res_partner"
    )
    env.invalidate_all()
    return customers


def bench_bulk(registry, args):
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            start = time.perf_counter()
            users = insert_technicians(env, args.technicians, args.certificates)
            customers = insert_requests(
                env, users, args.requests, args.customers, args.units
            )
            print(
                f"\ninserted {args.technicians} technicians x {args.certificates} "
                f"certificates, {args.requests} requests, {args.customers * args.units} "
                f"installed products in {time.perf_counter() - start:.1f} s "
                "(rolled back at the end)"
            )
            service = env.ref("sales_qms.user_service_demo", raise_if_not_found=False)
            uenv = odoo.api.Environment(cr, (service or env.user).id, {"lang": "zh_CN"})
            Q = env["qms.service.qualification"]
            repair = env.ref("sales_qms.service_type_repair")
            day = fields.Date.context_today(Q)
            found = []
            ms, q = best(
                env,
                lambda: found.append(
                    len(Q._qualified_user_ids(repair, day, env.company))
                ),
                args.repeat,
            )
            print(
                f"\n2. technicians qualified for Repair today: {found[-1]} of {args.technicians}"
            )
            print(f"   {ms:8.1f} ms {q:3d} queries")

            Request = uenv["qms.service.request"]
            spec = {
                name: ({"fields": {"display_name": {}}} if name.endswith("_id") else {})
                for name in REQUEST_FIELDS
            }
            print("\n3. with 100,000 requests, as customer service (zh_CN)")
            ms, q = best(
                uenv,
                lambda: Request.web_search_read(
                    [("state", "in", ("new", "scheduled", "in_progress"))],
                    spec,
                    limit=80,
                    count_limit=10001,
                ),
                args.repeat,
            )
            print(
                f"   request list, open, first page (80 rows) {ms:8.1f} ms {q:3d} queries"
            )
            ms, q = best(
                uenv,
                lambda: Request.web_search_read([], spec, limit=80, count_limit=10001),
                args.repeat,
            )
            print(
                f"   request list, all, first page (80 rows)  {ms:8.1f} ms {q:3d} queries"
            )
            month_start = date.today().replace(day=1) - timedelta(days=1)
            month_start = month_start.replace(day=1)
            month_end = date.today().replace(day=1) - timedelta(days=1)
            Evaluation = uenv["qms.service.evaluation"]
            stats = []
            ms, q = best(
                uenv,
                lambda: stats.append(
                    Evaluation._statistics(env.company, month_start, month_end)
                ),
                args.repeat,
            )
            done = sum(s["requests_done"] for s in stats[-1].values())
            print(
                f"   monthly statistics, all technicians ({len(stats[-1])} technicians, "
                f"{done} requests done)  {ms:8.1f} ms {q:3d} queries"
            )
            Report = uenv["report.sales_qms.report_service_monthly"]
            ms, q = best(
                uenv,
                lambda: Report._compute_service_figures(
                    env.company, month_start, month_end
                ),
                args.repeat,
            )
            print(
                f"   monthly report, service section           {ms:8.1f} ms {q:3d} queries"
            )
            ms, q = best(
                uenv,
                lambda: Request.read_group(
                    [("date_request", ">=", month_start)],
                    ["__count", "resolution_hours:avg"],
                    ["technician_id", "sla_status"],
                    lazy=False,
                ),
                args.repeat,
            )
            print(
                f"   pivot technician x SLA, last month        {ms:8.1f} ms {q:3d} queries"
            )
            Installed = uenv["qms.installed.product"]
            customer = customers[len(customers) // 2]

            def installed_base():
                units = Installed.search_read(
                    [("commercial_partner_id", "=", customer)],
                    ["name", "lot_id", "state", "install_date", "warranty_end"],
                )
                return Request.search_read(
                    [("installed_product_ids", "in", [u["id"] for u in units])],
                    [
                        "name",
                        "date_request",
                        "service_type_id",
                        "technician_id",
                        "state",
                    ],
                )

            history = []
            ms, q = best(uenv, lambda: history.append(installed_base()), args.repeat)
            print(
                f"   one customer's installed base ({args.units} units) with its "
                f"service history ({len(history[-1])} requests)  {ms:8.1f} ms {q:3d} queries"
            )
        finally:
            cr.rollback()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--lines", default="20,200")
    parser.add_argument("--technicians", type=int, default=5000)
    parser.add_argument("--certificates", type=int, default=10)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--units", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--parts", default="deliveries,bulk", help="deliveries, bulk or both"
    )
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database])
    odoo.netsvc.init_logger()
    registry = odoo.modules.registry.Registry(args.database)
    if "deliveries" in args.parts:
        bench_deliveries(registry, [int(n) for n in args.lines.split(",")])
    if "bulk" in args.parts:
        bench_bulk(registry, args)


if __name__ == "__main__":
    main()
