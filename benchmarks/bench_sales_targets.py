"""Plan against actual on 1,000,000 sale order lines: the list of all 2,400
targets of a year (200 salespeople x 12 months), one salesperson's evaluation
figures, and Odoo's sale.report grouped the same way.

    PYTHONPATH=/opt/odoo/18.0 /var/cache/sales_qms/venv/bin/python \
        benchmarks/bench_sales_targets.py -c /var/cache/sales_qms/odoo-<hash>.conf -d <db>

100,000 confirmed orders of 10 lines over two years (2024 and 2025), 200
salespeople in 20 teams and 2,000 customers are inserted with INSERT ... SELECT
generate_series inside one transaction that is rolled back at the end: the
database is left as it was. Prints the best of 3 runs (cold ORM cache) and the
query count of each operation.
"""

import argparse
import sys
import time

import odoo
from odoo import api
from odoo.tools import SQL, config

SALESPEOPLE = 200
TEAMS = 20
CUSTOMERS = 2000
ORDERS = 100_000
LINES_PER_ORDER = 10
YEAR = 2025
PLAN = "--plan" in sys.argv


def measure(env, label, func, repeat=3):
    best = None
    result = None
    for _ in range(repeat):
        env.invalidate_all()
        env.registry.clear_cache()
        count = env.cr.sql_log_count
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
        queries = env.cr.sql_log_count - count
        if best is None or elapsed < best[0]:
            best = (elapsed, queries)
    print(f"  {label:<64} {best[0] * 1000:9.1f} ms {best[1]:6d} queries")
    return best, result


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
    # 2,400 approved targets: each salesperson, each month of the year; a
    # tenth of them growth, a twentieth margin, a twentieth quantity, a
    # twentieth new customers
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
    cr.execute("ANALYZE sale_order, sale_order_line, qms_sales_target, res_partner")
    env.invalidate_all()
    print(
        f"  inserted {ORDERS:,} orders, {ORDERS * LINES_PER_ORDER:,} lines, "
        f"{SALESPEOPLE} salespeople, {SALESPEOPLE * 12:,} targets in "
        f"{time.perf_counter() - start:.0f} s (rolled back at the end)"
    )
    return users, teams


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
                "EXPLAIN ANALYZE %s",
                Target._qms_sql_order(
                    Target._qms_specs_sql(
                        [
                            {
                                "key": t.id,
                                "company_id": t.company_id.id,
                                "user_id": t.user_id.id or None,
                                "team_id": t.team_id.id or None,
                                "date_from": t.date_from,
                                "date_to": t.date_to,
                                "product_id": None,
                                "categ_id": None,
                            }
                            for t in Target.search(year)
                        ]
                    )
                ),
            )
        )
        print("\n".join(r[0] for r in env.cr.fetchall()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--plan", action="store_true", help="print a query plan")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="commit the data (on a throwaway copy of a database) for --reuse",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure on data kept by --keep"
    )
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        try:
            env["qms.sales.target"].init()  # the indexes of this version
            if args.reuse:
                users = env["res.users"].search([("login", "=like", "bench_sp_%")]).ids
            else:
                users, _teams = build(env)
                if args.keep:
                    cr.commit()
            admin = env(user=env.ref("base.user_admin").id, context={"lang": "en_US"})
            bench(admin, users)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
