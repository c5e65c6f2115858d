"""Customers affected by a technical change of a product with 1,000,000 done move
lines delivered to 1,000 customers over two years; and the queries the due
diligence gate adds to confirming orders.

    PYTHONPATH=/opt/odoo/18.0 /var/cache/sales_qms/venv/bin/python \
        benchmarks/bench_customer.py -c /var/cache/sales_qms/odoo-<hash>.conf -d <db>

Everything is created inside one transaction that is rolled back at the end;
with --keep the history is committed (a scratch database only), so that a later
run with --reuse measures it after a VACUUM ANALYZE, as a live database is.
"""

import argparse
import time

import odoo
from odoo import Command, api, fields
from odoo.tools import SQL, config

CUSTOMERS = 1000
MOVE_LINES = 1_000_000
DAYS = 730  # the history spans two years; the look-back is 12 months


def measure(env, label, func, repeat=5):
    """Best wall time and its query count, cold ORM cache each time."""
    best = None
    for _ in range(repeat):
        env.invalidate_all()
        count = env.cr.sql_log_count
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
        queries = env.cr.sql_log_count - count
        if best is None or elapsed < best[0]:
            best = (elapsed, queries)
    print(f"  {label:<62} {best[0] * 1000:9.1f} ms {best[1]:5d} queries")
    return best, result


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        [table],
    )
    return [r[0] for r in cr.fetchall()]


def build_history(env):
    """MOVE_LINES done deliveries (one move and one move line each) of one
    product to CUSTOMERS customers, dated over DAYS days, cloned from one real
    delivery validated by the ORM."""
    cr = env.cr
    # the pre-delivery inspection has its own benchmark
    env["stock.picking.type"].search(
        [("code", "=", "outgoing")]
    ).qms_inspection_required = False
    wh = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    customers_loc = env.ref("stock.stock_location_customers")
    product = env["product.product"].create(
        {"name": "Bench anti-static coverall", "is_storable": True}
    )
    env["stock.quant"]._update_available_quantity(product, wh.lot_stock_id, 10)
    partners = env["res.partner"].create(
        [
            {"name": f"Bench customer {i:04d}", "is_company": True}
            for i in range(CUSTOMERS)
        ]
    )
    template = env["stock.picking"].create(
        {
            "picking_type_id": wh.out_type_id.id,
            "partner_id": partners[0].id,
            "location_id": wh.lot_stock_id.id,
            "location_dest_id": customers_loc.id,
            "move_ids": [
                Command.create(
                    {
                        "name": "bench",
                        "product_id": product.id,
                        "product_uom_qty": 1,
                        "location_id": wh.lot_stock_id.id,
                        "location_dest_id": customers_loc.id,
                        "partner_id": partners[0].id,
                    }
                )
            ],
        }
    )
    template.action_confirm()
    template.move_ids.quantity = 1
    template.move_ids.picked = True
    template.button_validate()
    env.flush_all()
    move, line = template.move_ids, template.move_line_ids
    cr.execute("SELECT max(id) FROM stock_move")
    first = cr.fetchone()[0]
    cols = columns(cr, "stock_move")
    over = {
        "partner_id": SQL("(%s::int[])[1 + mod(s.n, %s)]", partners.ids, CUSTOMERS),
        "date": SQL(
            "now() at time zone 'UTC' - make_interval(days => mod(s.n, %s))", DAYS
        ),
    }
    cr.execute(
        SQL(
            "INSERT INTO stock_move (%s) SELECT %s FROM stock_move t, "
            "generate_series(1, %s) AS s(n) WHERE t.id = %s",
            SQL(", ").join(SQL.identifier(c) for c in cols),
            SQL(", ").join(over.get(c, SQL("t.%s", SQL.identifier(c))) for c in cols),
            MOVE_LINES - 1,
            move.id,
        )
    )
    cols = columns(cr, "stock_move_line")
    over = {"move_id": SQL("m.id"), "date": SQL("m.date")}
    cr.execute(
        SQL(
            "INSERT INTO stock_move_line (%s) SELECT %s FROM stock_move_line t, "
            "stock_move m WHERE t.id = %s AND m.id > %s",
            SQL(", ").join(SQL.identifier(c) for c in cols),
            SQL(", ").join(over.get(c, SQL("t.%s", SQL.identifier(c))) for c in cols),
            line.id,
            first,
        )
    )
    cr.execute("ANALYZE stock_move")
    cr.execute("ANALYZE stock_move_line")
    cr.execute(
        SQL("SELECT count(*) FROM stock_move_line WHERE product_id = %s", product.id)
    )
    total = cr.fetchone()[0]
    env.invalidate_all()
    return product, total


def bench_affected(env, reuse=False):
    product = env["product.product"].search(
        [("name", "=", "Bench anti-static coverall")], limit=1
    )
    if reuse and product:
        env.cr.execute(
            SQL(
                "SELECT count(*) FROM stock_move_line WHERE product_id = %s", product.id
            )
        )
        total = env.cr.fetchone()[0]
        print(f"Reusing {total} move lines of {product.name}")
    else:
        print(f"Building {MOVE_LINES} move lines of one product (SQL bulk insert)...")
        start = time.perf_counter()
        product, total = build_history(env)
        print(
            f"  {total} done move lines of {product.name} to {CUSTOMERS} customers "
            f"over {DAYS} days ({time.perf_counter() - start:.1f} s)"
        )
    change = env["qms.technical.change"].create(
        {
            "title": "Bench change",
            "product_ids": [Command.set(product.ids)],
            "description": "bench",
            "effective_date": fields.Date.today(),
            "lookback_months": 12,
        }
    )
    print("Customers affected by a change of the product:")
    (_t, _q), found = measure(
        env,
        "find the customers (skip scan, look-back 12 months)",
        change._qms_find_affected_partners,
    )
    print(f"  customers found: {len(found)}")
    env.cr.execute(
        SQL("EXPLAIN (ANALYZE, BUFFERS) %s", change._qms_affected_deliveries_query())
    )
    plan = [row[0] for row in env.cr.fetchall()]
    buffers = next((line for line in plan if "Buffers" in line), "").strip()
    print(f"  the query in PostgreSQL: {plan[-1].strip()}; {buffers}")
    change.lookback_months = 36
    measure(
        env,
        "find the customers (look-back 36 months: every delivery)",
        change._qms_find_affected_partners,
    )
    change.lookback_months = 12
    start = time.perf_counter()
    count = env.cr.sql_log_count
    change.action_find_affected()
    env.flush_all()
    print(
        f"  {'action_find_affected: find and write the 1,000 lines':<62} "
        f"{(time.perf_counter() - start) * 1000:9.1f} ms "
        f"{env.cr.sql_log_count - count:5d} queries"
    )
    env.cr.execute(
        SQL(
            "SELECT count(DISTINCT partner_id) FROM stock_move WHERE product_id = %s "
            "AND state = 'done' AND date >= now() - interval '12 months'",
            product.id,
        )
    )
    print(f"  check: plain count of distinct customers = {env.cr.fetchone()[0]}")
    plain = time.perf_counter()
    env.cr.execute(
        SQL(
            "SELECT DISTINCT COALESCE(p.commercial_partner_id, p.id) "
            "FROM stock_move_line ml JOIN stock_move m ON m.id = ml.move_id "
            "JOIN stock_location d ON d.id = ml.location_dest_id "
            "JOIN res_partner p ON p.id = m.partner_id "
            "WHERE ml.product_id = %s AND ml.state = 'done' AND d.usage = 'customer' "
            "AND ml.date >= now() - interval '12 months'",
            product.id,
        )
    )
    env.cr.fetchall()
    print(
        f"  {'for comparison: the same through the move lines (no skip scan)':<62} "
        f"{(time.perf_counter() - plain) * 1000:9.1f} ms"
    )


def bench_due_diligence(env):
    print("Confirming orders, due diligence gate off and on (queries):")
    company = env.company
    company.qms_review_required = False
    env["stock.picking.type"].search(
        [("code", "=", "outgoing")]
    ).qms_inspection_required = False
    partner = env["res.partner"].create(
        {"name": "Bench DD customer", "is_company": True}
    )
    products = env["product.product"].create(
        [{"name": f"Bench DD {i}", "is_storable": True} for i in range(10)]
    )
    dd = env["qms.due.diligence"].create(
        {
            "partner_id": partner.id,
            **dict.fromkeys(
                (
                    "check_legal_existence",
                    "check_licences",
                    "check_ownership",
                    "check_sanctions",
                    "check_litigation",
                    "check_references",
                    "check_financial_statements",
                ),
                "verified",
            ),
            "credit_rating": "A",
        }
    )
    dd._qms_system_write(
        {
            "state": "approved",
            "valid_until": fields.Date.add(fields.Date.today(), days=30),
        }
    )

    def orders(n):
        result = env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create({"product_id": p.id, "product_uom_qty": 1})
                        for p in products
                    ],
                }
                for _i in range(n)
            ]
        )
        env.flush_all()
        env.invalidate_all()
        return result

    for n in (1, 10):
        figures = {}
        for required in (False, False, True):
            company.qms_due_diligence_required = required
            env.flush_all()
            batch = orders(n)
            count = env.cr.sql_log_count
            batch.action_confirm()
            env.flush_all()
            figures[required] = env.cr.sql_log_count - count
        print(
            f"  {n:2d} order(s) of 10 lines: gate off {figures[False]} queries, "
            f"on {figures[True]} queries ({figures[True] - figures[False]:+d})"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--lines", type=int, default=MOVE_LINES)
    parser.add_argument(
        "--keep", action="store_true", help="commit the history (scratch database)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure a history kept by --keep"
    )
    args = parser.parse_args()
    globals()["MOVE_LINES"] = args.lines
    config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        if args.keep:
            print(f"Building {MOVE_LINES} move lines, kept (--keep)...")
            start = time.perf_counter()
            _product, total = build_history(env)
            cr.commit()
            print(f"  {total} move lines ({time.perf_counter() - start:.1f} s)")
            return
        if args.reuse:
            with registry.cursor() as vacuum:
                vacuum._cnx.autocommit = True  # VACUUM runs outside a transaction
                vacuum.execute("VACUUM ANALYZE stock_move")
                vacuum.execute("VACUUM ANALYZE stock_move_line")
        try:
            bench_due_diligence(env)
            bench_affected(env, reuse=args.reuse)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
