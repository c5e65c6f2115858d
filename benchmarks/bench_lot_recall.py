"""Recall scope of one lot delivered to 1,000 customers in a database of 100,000
move lines, side by side with Odoo's stock.traceability.report and stock.lot.report;
and the reservation overhead of the lot status on a 200-line delivery.

    PYTHONPATH=/opt/odoo/18.0 /var/cache/sales_qms/venv/bin/python \
        benchmarks/bench_lot_recall.py -c /var/cache/sales_qms/odoo-<hash>.conf -d <db>

Everything is created inside one transaction that is rolled back at the end.
"""

import argparse
import sys
import time

import odoo
from odoo import api
from odoo.tools import SQL, config

CUSTOMERS = 1000
MOVE_LINES = 100_000
FILLER_LOTS = 1000
FILLER_PRODUCTS = 100
RETURNS = 50
RESERVE_LINES = 200
VERBOSE = False
PLAN = "--plan" in sys.argv


def measure(env, label, func, repeat=3):
    """Best wall time and its query count, cold ORM cache each time."""
    best = None
    for _ in range(repeat):
        env.invalidate_all()
        env.registry.clear_cache()
        count = env.cr.sql_log_count
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
        queries = env.cr.sql_log_count - count
        if VERBOSE:
            print(f"    run: {elapsed * 1000:.1f} ms {queries} queries")
        if best is None or elapsed < best[0]:
            best = (elapsed, queries)
    print(f"  {label:<58} {best[0] * 1000:9.1f} ms {best[1]:7d} queries")
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


def build_history(env):
    """A lot delivered to CUSTOMERS customers (RETURNS of them sent some back)
    among MOVE_LINES done move lines of FILLER_LOTS other lots."""
    cr = env.cr
    wh = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    customers_loc = env.ref("stock.stock_location_customers")
    product = env["product.product"].create(
        {"name": "Bench coverall", "is_storable": True, "tracking": "lot"}
    )
    lot = env["stock.lot"].create({"name": "BENCH-RECALL", "product_id": product.id})
    env["stock.quant"]._update_available_quantity(
        product, wh.lot_stock_id, CUSTOMERS * 2, lot_id=lot
    )
    partners = env["res.partner"].create(
        [
            {"name": f"Bench customer {i:04d}", "is_company": True}
            for i in range(CUSTOMERS)
        ]
    )
    # one real delivery, validated by the ORM: the template of the others
    template = env["stock.picking"].create(
        {
            "picking_type_id": wh.out_type_id.id,
            "partner_id": partners[0].id,
            "location_id": wh.lot_stock_id.id,
            "location_dest_id": customers_loc.id,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "name": "bench",
                        "product_id": product.id,
                        "product_uom_qty": 2,
                        "location_id": wh.lot_stock_id.id,
                        "location_dest_id": customers_loc.id,
                    },
                )
            ],
        }
    )
    template.action_confirm()
    template.action_assign()
    template.button_validate()
    move, line = template.move_ids, template.move_line_ids
    env.flush_all()
    partner_ids = partners[1:].ids
    pickings = clone(
        cr,
        "stock_picking",
        template.id,
        {
            "partner_id": SQL("s.partner_id"),
            "name": SQL("'BENCH/OUT/' || s.partner_id"),
        },
        SQL("unnest(%s::int[]) AS s(partner_id)", partner_ids),
    )
    moves = clone(
        cr,
        "stock_move",
        move.id,
        {"picking_id": SQL("s.picking_id"), "partner_id": SQL("s.partner_id")},
        SQL(
            "unnest(%s::int[], %s::int[]) AS s(picking_id, partner_id)",
            pickings,
            partner_ids,
        ),
    )
    clone(
        cr,
        "stock_move_line",
        line.id,
        {"picking_id": SQL("s.picking_id"), "move_id": SQL("s.move_id")},
        SQL("unnest(%s::int[], %s::int[]) AS s(picking_id, move_id)", pickings, moves),
    )
    # returns: one unit back from the first RETURNS customers
    returned_moves = clone(
        cr,
        "stock_move",
        move.id,
        {
            "picking_id": SQL("NULL"),
            "origin_returned_move_id": SQL("s.move_id"),
            "location_id": SQL("t.location_dest_id"),
            "location_dest_id": SQL("t.location_id"),
            "product_uom_qty": SQL("1"),
            "quantity": SQL("1"),
        },
        SQL("unnest(%s::int[]) AS s(move_id)", moves[:RETURNS]),
    )
    clone(
        cr,
        "stock_move_line",
        line.id,
        {
            "picking_id": SQL("NULL"),
            "move_id": SQL("s.move_id"),
            "location_id": SQL("t.location_dest_id"),
            "location_dest_id": SQL("t.location_id"),
            "quantity": SQL("1"),
            "quantity_product_uom": SQL("1"),
        },
        SQL("unnest(%s::int[]) AS s(move_id)", returned_moves),
    )
    # the rest of the history: other lots received and delivered
    filler_products = env["product.product"].create(
        [
            {"name": f"Bench product {i:03d}", "is_storable": True, "tracking": "lot"}
            for i in range(FILLER_PRODUCTS)
        ]
    )
    filler_lots = env["stock.lot"].create(
        [
            {
                "name": f"BENCH-F{i:04d}",
                "product_id": filler_products[i % FILLER_PRODUCTS].id,
            }
            for i in range(FILLER_LOTS)
        ]
    )
    env.flush_all()
    cr.execute("SELECT count(*) FROM stock_move_line")
    missing = MOVE_LINES - cr.fetchone()[0]
    supplier = env.ref("stock.stock_location_suppliers")
    clone(
        cr,
        "stock_move_line",
        line.id,
        {
            "picking_id": SQL("NULL"),
            "lot_id": SQL(
                "(%s::int[])[1 + mod(s.n, %s)]", filler_lots.ids, FILLER_LOTS
            ),
            "product_id": SQL(
                "(%s::int[])[1 + mod(s.n, %s)]",
                [lot.product_id.id for lot in filler_lots],
                FILLER_LOTS,
            ),
            "location_id": SQL(
                "CASE WHEN mod(s.n, 2) = 0 THEN %s ELSE t.location_id END", supplier.id
            ),
            "location_dest_id": SQL(
                "CASE WHEN mod(s.n, 2) = 0 THEN t.location_id ELSE t.location_dest_id END"
            ),
        },
        SQL("generate_series(1, %s) AS s(n)", max(missing, 0)),
    )
    # fresh statistics for every table touched, as autovacuum would give them
    cr.execute("ANALYZE")
    cr.execute("SELECT count(*) FROM stock_move_line")
    total = cr.fetchone()[0]
    env.invalidate_all()
    return lot, total


def bench_recall(env):
    print("Building the history (SQL bulk insert)...")
    start = time.perf_counter()
    lot, total = build_history(env)
    print(
        f"  {total} move lines; lot {lot.name} delivered to {CUSTOMERS} customers, "
        f"{RETURNS} returns ({time.perf_counter() - start:.1f} s)"
    )
    print("Recall scope of one lot:")
    fields = [
        "partner_id",
        "delivery_partner_id",
        "sale_order_id",
        "picking_id",
        "date",
        "quantity",
        "quantity_returned",
        "quantity_net",
    ]
    (_full, _q), rows = measure(
        env,
        "qms.recall.scope search_read, all 8 columns",
        lambda: env["qms.recall.scope"].search_read([("lot_id", "=", lot.id)], fields),
    )
    (ours, _q), _rows = measure(
        env,
        "qms.recall.scope search_read, stock.lot.report's 3 columns",
        lambda: env["qms.recall.scope"].search_read(
            [("lot_id", "=", lot.id)], ["partner_id", "picking_id", "quantity"]
        ),
    )
    _best, groups = measure(
        env,
        "qms.recall.scope _read_group net quantity per customer",
        lambda: env["qms.recall.scope"]._read_group(
            [("lot_id", "=", lot.id)], ["partner_id"], ["quantity_net:sum"]
        ),
    )
    (trace, _q), lines = measure(
        env,
        "stock.traceability.report get_lines (Odoo)",
        lambda: (
            env["stock.traceability.report"]
            .with_context(active_id=lot.id, model="stock.lot")
            .get_lines()
        ),
    )
    (lot_report, _q), lot_rows = measure(
        env,
        "stock.lot.report search_read (Odoo)",
        lambda: env["stock.lot.report"].search_read(
            [("lot_id", "=", lot.id)], ["partner_id", "picking_id", "quantity"]
        ),
    )
    net = sum(r["quantity_net"] for r in rows)
    print(
        f"  rows: recall scope {len(rows)} (net {net:g} at {len(groups)} customers), "
        f"traceability {len(lines)} lines, stock.lot.report {len(lot_rows)} rows"
    )
    print(
        f"  ratio: traceability / recall scope = {trace / ours:.1f}x, "
        f"stock.lot.report / recall scope = {lot_report / ours:.1f}x"
    )
    env.cr.execute(
        SQL(
            "EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) SELECT * FROM qms_recall_scope "
            "WHERE lot_id = %s",
            lot.id,
        )
    )
    plan = [r[0] for r in env.cr.fetchall()]
    print("  SQL of the view, WHERE lot_id = x:", plan[-1].strip())
    if PLAN:
        print("\n".join(plan))
    env.cr.execute(
        SQL(
            "EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) SELECT * FROM qms_recall_scope "
            "WHERE id IN %s",
            tuple(r["id"] for r in rows),
        )
    )
    plan = [r[0] for r in env.cr.fetchall()]
    print("  SQL of the view, WHERE id IN (its 1000 rows):", plan[-1].strip())
    if PLAN:
        print("\n".join(plan))


def bench_reservation(env):
    print(
        f"Reservation of a {RESERVE_LINES}-line delivery (3 lots per product, 1 not qualified):"
    )
    wh = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
    products = env["product.product"].create(
        [
            {"name": f"Bench R{i:03d}", "is_storable": True, "tracking": "lot"}
            for i in range(RESERVE_LINES)
        ]
    )
    lots = env["stock.lot"].create(
        [
            {"name": f"BENCH-R{p.id}-{j}", "product_id": p.id}
            for p in products
            for j in range(3)
        ]
    )
    for lot in lots:
        env["stock.quant"]._update_available_quantity(
            lot.product_id, wh.lot_stock_id, 5, lot_id=lot
        )
    lots[::3].action_qms_set_status("nonconforming", "bench")
    customers = env.ref("stock.stock_location_customers")

    def picking(picking_type, dest):
        p = env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": wh.lot_stock_id.id,
                "location_dest_id": dest.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "bench",
                            "product_id": prod.id,
                            "product_uom_qty": 8,
                            "location_id": wh.lot_stock_id.id,
                            "location_dest_id": dest.id,
                        },
                    )
                    for prod in products
                ],
            }
        )
        p.action_confirm()
        p.do_unreserve()  # a delivery reserves at confirmation: start from zero
        env.flush_all()
        return p

    def assign(p):
        env.cr.execute("SAVEPOINT bench_assign")
        try:
            p.action_assign()
            env.flush_all()
            return p.move_line_ids.lot_id
        finally:
            env.cr.execute("ROLLBACK TO SAVEPOINT bench_assign")
            env.invalidate_all()

    out = picking(wh.out_type_id, customers)
    from odoo.addons.stock.models.stock_move import (  # noqa: PLC0415
        StockMove as CoreStockMove,
    )

    # plain Odoo: the core method, without the sales_qms override (benchmark only)
    move_cls = type(env["stock.move"])
    assign(out)  # warm-up: caches, prepared plans
    move_cls._update_reserved_quantity = CoreStockMove._update_reserved_quantity
    try:
        (t_plain, q_plain), plain_lots = measure(
            env, "delivery, plain Odoo reservation", lambda: assign(out)
        )
    finally:
        del move_cls._update_reserved_quantity
    (t_out, q_out), out_lots = measure(
        env, "delivery, 1 lot in 3 not qualified", lambda: assign(out)
    )
    statuses = lots.mapped("qms_status")
    lots.filtered(lambda lot: lot.qms_status != "qualified").action_qms_set_status(
        "qualified", "bench"
    )
    (t_ok, q_ok), _lots = measure(
        env, "delivery, every lot qualified", lambda: assign(out)
    )
    bad = out_lots.filtered(lambda lot: statuses[lots.ids.index(lot.id)] != "qualified")
    bad_plain = plain_lots.filtered(
        lambda lot: statuses[lots.ids.index(lot.id)] != "qualified"
    )
    print(
        f"  reserved lots not qualified: plain Odoo {len(bad_plain)}, "
        f"sales_qms {len(bad)}"
    )
    print(
        f"  overhead vs plain Odoo: {(t_out / t_plain - 1) * 100:+.0f}% time, "
        f"{q_out - q_plain:+d} queries (1 in 3 not qualified); "
        f"{(t_ok / t_plain - 1) * 100:+.0f}% time, {q_ok - q_plain:+d} queries "
        "(all qualified)"
    )


def main_reservation_only():
    config.parse_config(["-c", sys.argv[1], "-d", sys.argv[2]])
    registry = odoo.modules.registry.Registry(sys.argv[2])
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        try:
            bench_reservation(env)
        finally:
            cr.rollback()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--plan", action="store_true", help="print query plans")
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        try:
            # the pre-delivery inspection is measured by its own benchmark
            env["stock.picking.type"].search(
                [("code", "=", "outgoing")]
            ).qms_inspection_required = False
            bench_recall(env)
            bench_reservation(env)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
