"""Plan against actual on 1,000,000 sale order lines: the list of all 2,400
targets of a year (200 salespeople x 12 months), one salesperson's evaluation
figures, and Odoo's sale.report grouped the same way.

    PYTHONPATH=/opt/odoo/18.0 /var/cache/sales_qms/venv/bin/python \
        benchmarks/bench_sales_targets.py -c /var/cache/sales_qms/odoo-<hash>.conf -d <db>

100,000 confirmed orders of 10 lines over two years (2024 and 2025), one
posted invoice each (a tenth credit notes), 200 salespeople in 20 teams,
2,000 customers and 2,400 approved targets are inserted with INSERT ... SELECT
generate_series into a copy of the database (<db>_targets), committed and
VACUUM ANALYZEd (index-only scans need the visibility map), then measured;
the copy is dropped at the end (--keep keeps it, --reuse measures it again).

Each figure is the best of 5 runs with a cold ORM cache: the CPU time of this
process plus its PostgreSQL backend (from /proc, so that other jobs on the
machine do not count), the median of that CPU time, the wall time and the
query count. The list is broken down by measure and by query.
"""

import argparse
import shutil
import sys
import time
from contextlib import closing

import odoo
import odoo.service.db
from odoo import api
from odoo.tools import SQL, config

SALESPEOPLE = 200
TEAMS = 20
CUSTOMERS = 2000
ORDERS = 100_000
LINES_PER_ORDER = 10
YEAR = 2025
PLAN = "--plan" in sys.argv


def backend_cpu(cr):
    """CPU seconds the PostgreSQL backend of `cr` has run so far, from
    /proc/<pid>/schedstat (nanoseconds; the server runs on this machine)."""
    if not hasattr(cr, "_bench_backend_pid"):
        cr.execute("SELECT pg_backend_pid()")
        cr._bench_backend_pid = cr.fetchone()[0]
    try:
        with open(f"/proc/{cr._bench_backend_pid}/schedstat") as stat:
            return int(stat.read().split()[0]) / 1e9
    except OSError:
        return float("nan")  # a remote server: only the Odoo side is measured


def measure(env, label, func, repeat=5):
    """Best of `repeat` runs (cold ORM cache): CPU time of this process plus
    its PostgreSQL backend (what the work costs, whatever else the machine
    runs), the wall time and the query count."""
    runs = []
    result = None
    cr = env.cr
    for _ in range(repeat):
        env.invalidate_all()
        env.registry.clear_cache()
        backend_cpu(cr)
        count = cr.sql_log_count
        cpu0, pg0 = time.process_time(), backend_cpu(cr)
        start = time.perf_counter()
        result = func()
        wall = time.perf_counter() - start
        cpu, pg = time.process_time() - cpu0, backend_cpu(cr) - pg0
        queries = cr.sql_log_count - count
        runs.append((cpu + pg, cpu, pg, wall, queries))
    runs.sort()
    total, cpu, pg, wall, queries = runs[0]
    median = runs[len(runs) // 2][0]
    print(
        f"  {label:<58} {total * 1000:6.0f} ms CPU ({cpu * 1000:.0f} Odoo + "
        f"{pg * 1000:.0f} PG; median {median * 1000:.0f}) "
        f"{wall * 1000:6.0f} ms wall {queries:3d} queries"
    )
    return (total, queries), result


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        [table],
    )
    return [r[0] for r in cr.fetchall()]


def clone(cr, table, template_id, overrides, source):
    """INSERT copies of row `template_id` of `table`, one per row of `source`
    (an SQL FROM item aliased s), with `overrides` {column: SQL expression}."""
    cols = columns(cr, table)
    select = SQL(", ").join(
        overrides.get(c, SQL("t.%s", SQL.identifier(c))) for c in cols
    )
    cr.execute(
        SQL(
            "INSERT INTO %s (%s) SELECT %s FROM %s t, %s WHERE t.id = %s RETURNING id",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(c) for c in cols),
            select,
            SQL.identifier(table),
            source,
            template_id,
        )
    )
    return [r[0] for r in cr.fetchall()]


def build(env):
    cr = env.cr
    company = env.company
    start = time.perf_counter()
    products = env["product.product"].create(
        [
            {
                "name": f"Bench workwear {n}",
                "is_storable": True,
                "list_price": 100 + n,
                "standard_price": 60 + n,
            }
            for n in range(20)
        ]
    )
    template_order = env["sale.order"].create(
        {
            "partner_id": env.ref("base.res_partner_12").id,
            "order_line": [
                odoo.Command.create(
                    {"product_id": products[0].id, "product_uom_qty": 1}
                )
            ],
        }
    )
    template_line = template_order.order_line
    env.flush_all()

    partner_tmpl = env.ref("base.res_partner_12").id
    partners = clone(
        cr,
        "res_partner",
        partner_tmpl,
        {
            "name": SQL("'Bench customer ' || s.g"),
            "complete_name": SQL("'Bench customer ' || s.g"),
            "commercial_partner_id": SQL("NULL"),
            "parent_id": SQL("NULL"),
            "email": SQL("NULL"),
        },
        SQL("generate_series(1, %s) s(g)", CUSTOMERS),
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        [partners],
    )
    sp_partners = clone(
        cr,
        "res_partner",
        partner_tmpl,
        {
            "name": SQL("'Bench salesperson ' || s.g"),
            "complete_name": SQL("'Bench salesperson ' || s.g"),
            "commercial_partner_id": SQL("NULL"),
            "is_company": SQL("false"),
        },
        SQL("generate_series(1, %s) s(g)", SALESPEOPLE),
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
        [sp_partners],
    )
    teams = env["crm.team"].create(
        [{"name": f"Bench team {n}", "company_id": company.id} for n in range(TEAMS)]
    )
    users = clone(
        cr,
        "res_users",
        env.ref("base.user_demo").id,
        {
            "login": SQL("'bench_sp_' || s.g"),
            "partner_id": SQL("(%s::int[])[s.g]", sp_partners),
            "sale_team_id": SQL("(%s::int[])[1 + mod(s.g - 1, %s)]", teams.ids, TEAMS),
        },
        SQL("generate_series(1, %s) s(g)", SALESPEOPLE),
    )
    cr.execute(
        """
        INSERT INTO crm_team_member (crm_team_id, user_id, active, create_uid,
            write_uid, create_date, write_date)
        SELECT sale_team_id, id, true, 1, 1, now(), now()
          FROM res_users WHERE id = ANY(%s)
        """,
        [users],
    )
    # orders: a salesperson and a customer each, spread over two years
    orders = clone(
        cr,
        "sale_order",
        template_order.id,
        {
            "name": SQL("'BENCH' || s.g"),
            "state": SQL("'sale'"),
            "user_id": SQL("(%s::int[])[1 + mod(s.g, %s)]", users, SALESPEOPLE),
            "team_id": SQL(
                "(%s::int[])[1 + mod(mod(s.g, %s), %s)]", teams.ids, SALESPEOPLE, TEAMS
            ),
            "partner_id": SQL("(%s::int[])[1 + mod(s.g, %s)]", partners, CUSTOMERS),
            "partner_invoice_id": SQL(
                "(%s::int[])[1 + mod(s.g, %s)]", partners, CUSTOMERS
            ),
            "partner_shipping_id": SQL(
                "(%s::int[])[1 + mod(s.g, %s)]", partners, CUSTOMERS
            ),
            "date_order": SQL(
                "timestamp '2024-01-01 08:00' + mod(s.g, 730) * interval '1 day'"
            ),
            "create_date": SQL(
                "timestamp '2024-01-01 08:00' + (mod(s.g, 730) - 3) * interval '1 day'"
            ),
            "amount_untaxed": SQL("0"),
            "margin": SQL("0"),
            "currency_rate": SQL("1"),
        },
        SQL("generate_series(1, %s) s(g)", ORDERS),
    )
    clone(
        cr,
        "sale_order_line",
        template_line.id,
        {
            "order_id": SQL("s.order_id"),
            "product_id": SQL(
                "(%s::int[])[1 + mod(s.order_id + s.n, 20)]", products.ids
            ),
            "product_uom_qty": SQL("1 + s.n"),
            "price_unit": SQL("100"),
            "price_subtotal": SQL("100 * (1 + s.n)"),
            "price_total": SQL("113 * (1 + s.n)"),
            "purchase_price": SQL("60"),
            "margin": SQL("40 * (1 + s.n)"),
            "state": SQL("'sale'"),
            "salesman_id": SQL("s.user_id"),
            "order_partner_id": SQL("s.partner_id"),
        },
        SQL(
            "(SELECT o.id AS order_id, o.user_id, o.partner_id, n FROM sale_order o, "
            "generate_series(0, %s) n WHERE o.id = ANY(%s)) s",
            LINES_PER_ORDER - 1,
            orders,
        ),
    )
    cr.execute(
        """
        UPDATE sale_order o SET amount_untaxed = l.amount, margin = l.margin,
               amount_total = l.amount * 1.13
          FROM (SELECT order_id, SUM(price_subtotal) amount, SUM(margin) margin
                  FROM sale_order_line WHERE order_id = ANY(%s) GROUP BY order_id) l
         WHERE l.order_id = o.id
        """,
        [orders],
    )
    # one posted invoice per order five days later (a tenth credit notes),
    # header only: the invoiced measure reads account_move alone
    cr.execute(
        "SELECT id FROM account_move WHERE move_type = 'out_invoice' "
        "AND state = 'posted' ORDER BY id LIMIT 1"
    )
    clone(
        cr,
        "account_move",
        cr.fetchone()[0],
        {
            "name": SQL("'BINV/' || s.g"),
            "move_type": SQL(
                "CASE WHEN mod(s.g, 10) = 0 THEN 'out_refund' ELSE 'out_invoice' END"
            ),
            "invoice_user_id": SQL("s.user_id"),
            "team_id": SQL("s.team_id"),
            "partner_id": SQL("s.partner_id"),
            "commercial_partner_id": SQL("s.partner_id"),
            "invoice_date": SQL("s.date_order::date + 5"),
            "date": SQL("s.date_order::date + 5"),
            "amount_untaxed_signed": SQL(
                "CASE WHEN mod(s.g, 10) = 0 THEN -0.1 ELSE 1 END * s.amount_untaxed"
            ),
            "amount_untaxed": SQL("s.amount_untaxed"),
            "reversed_entry_id": SQL("NULL"),
        },
        SQL(
            "(SELECT o.id AS g, o.user_id, o.team_id, o.partner_id, o.date_order, "
            "o.amount_untaxed FROM sale_order o WHERE o.id = ANY(%s)) s",
            orders,
        ),
    )
    # 2,400 approved targets: each salesperson, each month of the year; a
    # tenth of them growth, a twentieth each margin, quantity, new customers
    # and invoiced
    cr.execute(
        """
        INSERT INTO qms_sales_target (name, company_id, user_id, period, date_from,
            date_to, measure, product_id, target_value, state, create_uid,
            write_uid, create_date, write_date)
        SELECT 'bench ' || u.n || '/' || m, %(company)s, u.id, 'month',
               make_date(%(year)s, m, 1),
               (make_date(%(year)s, m, 1) + interval '1 month - 1 day')::date,
               CASE WHEN (u.n + m) %% 20 IN (0, 1) THEN 'growth'
                    WHEN (u.n + m) %% 20 = 2 THEN 'margin'
                    WHEN (u.n + m) %% 20 = 3 THEN 'quantity'
                    WHEN (u.n + m) %% 20 = 4 THEN 'new_customers'
                    WHEN (u.n + m) %% 20 = 5 THEN 'invoiced'
                    ELSE 'ordered' END,
               CASE WHEN (u.n + m) %% 20 = 3 THEN %(product)s END,
               CASE WHEN (u.n + m) %% 20 IN (0, 1) THEN 110
                    WHEN (u.n + m) %% 20 = 4 THEN 2
                    ELSE 250000 END,
               'approved', 1, 1, now(), now()
          FROM (SELECT id, row_number() OVER (ORDER BY id) n
                  FROM res_users WHERE id = ANY(%(users)s)) u,
               generate_series(1, 12) m
        """,
        {
            "company": company.id,
            "year": YEAR,
            "product": products[0].id,
            "users": users,
        },
    )
    env.invalidate_all()
    print(
        f"  inserted {ORDERS:,} orders, {ORDERS * LINES_PER_ORDER:,} lines, "
        f"{ORDERS:,} invoices, "
        f"{SALESPEOPLE} salespeople, {SALESPEOPLE * 12:,} targets in "
        f"{time.perf_counter() - start:.0f} s"
    )
    return users, teams


def breakdown(env, targets, read_list):
    """Where the list's time goes: the actual values by measure, then each
    query of one read of the list with its wall and backend CPU time."""
    print("  by measure (_qms_actuals of the targets of each measure)")
    for measure_ in sorted(set(targets.mapped("measure"))):
        subset = targets.filtered(lambda t, m=measure_: t.measure == m)
        measure(
            env,
            f"  {measure_} ({len(subset)} targets)",
            lambda s=subset: s._qms_actuals(),
        )
    cr = env.cr
    log = []
    execute = cr.execute

    def timed(query, params=None, log_exceptions=True):
        pg0, start = backend_cpu(cr), time.perf_counter()
        try:
            return execute(query, params, log_exceptions)
        finally:
            text = query.code if isinstance(query, SQL) else str(query)
            log.append(
                (
                    backend_cpu(cr) - pg0,
                    time.perf_counter() - start,
                    " ".join(text.split())[: 400 if PLAN else 90],
                )
            )

    env.invalidate_all()
    backend_cpu(cr)
    cr.execute = timed
    try:
        read_list()
    finally:
        del cr.execute
    print("  the queries of one read of the list (PG CPU, wall), costliest first")
    for pg, wall, text in sorted(log, reverse=True)[: None if PLAN else 8]:
        print(f"    {pg * 1000:6.1f} ms {wall * 1000:6.1f} ms  {text}")
    print(
        f"    all {len(log)} queries: {sum(r[0] for r in log) * 1000:.1f} ms PG CPU, "
        f"{sum(r[1] for r in log) * 1000:.1f} ms wall"
    )


def bench(env, users):
    year = [
        ("date_from", ">=", f"{YEAR}-01-01"),
        ("date_to", "<=", f"{YEAR}-12-31"),
    ]
    spec = {
        "name": {},
        "user_id": {"fields": {"display_name": {}}},
        "team_id": {"fields": {"display_name": {}}},
        "date_from": {},
        "date_to": {},
        "measure": {},
        "target_value": {},
        "actual_value": {},
        "achievement": {},
        "state": {},
    }
    Target = env["qms.sales.target"]
    print("plan vs actual (qms.sales.target list, as the admin, record rules on)")
    (_t, q_all), result = measure(
        env,
        f"all targets of {YEAR} ({Target.search_count(year)} rows, web_search_read)",
        lambda: Target.web_search_read(year, spec),
    )
    (_t, q_half), _r = measure(
        env,
        f"targets of the first half of {YEAR} (web_search_read)",
        lambda: Target.web_search_read(
            [("date_from", ">=", f"{YEAR}-01-01"), ("date_to", "<=", f"{YEAR}-06-30")],
            spec,
        ),
    )
    measure(
        env,
        "first page, 80 targets (web_search_read)",
        lambda: Target.web_search_read(year, spec, limit=80),
    )
    print(f"  queries constant: {q_all == q_half} ({q_half} vs {q_all})")
    bare = {k: v for k, v in spec.items() if k not in ("actual_value", "achievement")}
    measure(
        env,
        "  the same list without actual and achievement (the ORM's part)",
        lambda: Target.web_search_read(year, bare),
    )
    measure(
        env,
        "  actual values of the 2,400 targets alone (_qms_actuals)",
        lambda: Target.search(year)._qms_actuals(),
    )
    breakdown(env, Target.search(year), lambda: Target.web_search_read(year, spec))
    records = result["records"]
    achieved = sum(1 for r in records if r["achievement"] >= 100)
    print(f"  {achieved} of {len(records)} targets achieved")

    print(
        "the same aggregation in Odoo's sale.report (ordered amount per salesperson and month)"
    )
    Report = env["sale.report"]
    measure(
        env,
        f"sale.report read_group user x month, {YEAR}",
        lambda: Report.read_group(
            [
                ("date", ">=", f"{YEAR}-01-01"),
                ("date", "<", f"{YEAR + 1}-01-01"),
                ("state", "=", "sale"),
            ],
            ["price_subtotal:sum"],
            ["user_id", "date:month"],
            lazy=False,
        ),
    )
    measure(
        env,
        f"qms.sales.analysis read_group user x month, {YEAR} (planned + actual)",
        lambda: env["qms.sales.analysis"].read_group(
            [("date", ">=", f"{YEAR}-01-01"), ("date", "<", f"{YEAR + 1}-01-01")],
            ["planned_amount:sum", "amount:sum"],
            ["user_id", "date:month"],
            lazy=False,
        ),
    )
    measure(
        env,
        f"qms.sales.analysis read_group team x category, {YEAR}",
        lambda: env["qms.sales.analysis"].read_group(
            [("date", ">=", f"{YEAR}-01-01"), ("date", "<", f"{YEAR + 1}-01-01")],
            ["planned_amount:sum", "amount:sum"],
            ["team_id", "categ_id"],
            lazy=False,
        ),
    )
    measure(
        env,
        f"qms.sales.cycle.report read_group team, {YEAR}",
        lambda: env["qms.sales.cycle.report"].read_group(
            [("date", ">=", f"{YEAR}-01-01"), ("date", "<", f"{YEAR + 1}-01-01")],
            ["days_to_confirm:avg", "days_to_deliver:avg"],
            ["team_id"],
            lazy=False,
        ),
    )

    print("salesperson evaluation")
    evaluation = env["qms.sales.evaluation"].create(
        {
            "user_id": users[0],
            "date_from": f"{YEAR}-01-01",
            "date_to": f"{YEAR}-03-31",
            "manager_comment": "bench",
        }
    )
    env.flush_all()
    _best, figures = measure(
        env,
        "one evaluation's figures (_qms_figures, a quarter)",
        evaluation._qms_figures,
    )
    print(
        f"  targets {figures['target_count']}, ordered {figures['ordered_amount']:,.0f}, "
        f"achievement {figures['target_achievement']:.1f} %, "
        f"total score {figures['total_score']:.1f}"
    )
    measure(
        env,
        "action_compute_figures (figures + write)",
        evaluation.action_compute_figures,
    )

    if PLAN:
        env.cr.execute(
            SQL(
                "EXPLAIN (ANALYZE, BUFFERS) %s",
                Target._qms_actuals_query(Target.search(year).ids),
            )
        )
        print("\n".join(r[0] for r in env.cr.fetchall()))


def drop(database):
    """Drop the copy (exp_drop would refuse it where the database list is
    hidden by the configuration)."""
    odoo.modules.registry.Registry.delete(database)
    odoo.sql_db.close_db(database)
    with closing(odoo.sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(
            SQL("DROP DATABASE IF EXISTS %s WITH (FORCE)", SQL.identifier(database))
        )
    shutil.rmtree(config.filestore(database), ignore_errors=True)


def vacuum(database):
    """VACUUM ANALYZE the bulk-loaded tables: statistics for the planner and
    the visibility map that index-only scans need (autovacuum would do it
    later on a live database)."""
    with closing(odoo.sql_db.db_connect(database).cursor()) as cr:
        cr._cnx.autocommit = True
        start = time.perf_counter()
        cr.execute(
            "VACUUM ANALYZE sale_order, sale_order_line, account_move, "
            "qms_sales_target, res_partner, res_users"
        )
        print(f"  VACUUM ANALYZE in {time.perf_counter() - start:.0f} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--plan", action="store_true", help="print a query plan")
    parser.add_argument(
        "--keep", action="store_true", help="keep the copy with its data for --reuse"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure on the copy kept by --keep"
    )
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database])
    database = f"{args.database}_targets"
    if not args.reuse:
        # the data is committed (VACUUM needs it) in a copy of the database
        drop(database)
        odoo.service.db.exp_duplicate_database(args.database, database)
    try:
        registry = odoo.modules.registry.Registry(database)
        if not args.reuse:
            with registry.cursor() as cr:
                env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
                build(env)
            vacuum(database)
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
            try:
                env["qms.sales.target"].init()  # the indexes of this version
                users = env["res.users"].search([("login", "=like", "bench_sp_%")]).ids
                admin = env(
                    user=env.ref("base.user_admin").id, context={"lang": "en_US"}
                )
                bench(admin, users)
            finally:
                cr.rollback()
    finally:
        if not args.keep:
            drop(database)


if __name__ == "__main__":
    main()
