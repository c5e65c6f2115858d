"""Cost of the pre-delivery inspection guard when a delivery is validated.

Validates the same delivery (N move lines, one product per line) twice: once on an
operation type without inspection (plain Odoo path) and once on a type that requires
it, inspected and signed. Prints queries and wall time of ``button_validate`` and the
ratio; run for several N to see that the added queries do not grow with the lines.
Everything happens inside one transaction that is rolled back.

    PYTHONPATH=/opt/odoo/18.0 /var/cache/sales_qms/venv/bin/python \\
        benchmarks/bench_delivery_inspection.py -c /var/cache/sales_qms/odoo-<hash>.conf -d <db>
"""

import argparse
import base64
import time

from _common import bench_user

import odoo

SIGNATURE = base64.b64encode(
    base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
        "60e6kgAAAABJRU5ErkJggg=="
    )
)


def make_delivery(env, picking_type, products):
    stock = picking_type.default_location_src_id
    customers = env.ref("stock.stock_location_customers")
    picking = env["stock.picking"].create(
        {
            "picking_type_id": picking_type.id,
            "location_id": stock.id,
            "location_dest_id": customers.id,
            "move_ids": [
                odoo.Command.create(
                    {
                        "name": p.name,
                        "product_id": p.id,
                        "product_uom_qty": 1,
                        "location_id": stock.id,
                        "location_dest_id": customers.id,
                    }
                )
                for p in products
            ],
        }
    )
    picking.action_assign()
    return picking


def measure(env, picking):
    env.flush_all()
    env.invalidate_all()
    cr = env.cr
    start_queries = cr.sql_log_count
    start = time.perf_counter()
    picking.button_validate()
    env.flush_all()
    elapsed = time.perf_counter() - start
    assert picking.state == "done", picking.state
    return cr.sql_log_count - start_queries, elapsed


def run(env, n_lines):
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=1
    )
    inspected_type = warehouse.out_type_id
    inspected_type.qms_inspection_required = True
    plain_type = inspected_type.copy(
        {"name": "Bench plain delivery", "sequence_code": "BENCHOUT"}
    )
    plain_type.qms_inspection_required = False
    # one product set per run: both runs then create the same kind of quants
    product_sets = {}
    for label in ("warmup", "plain", "inspected"):
        products = env["product.product"].create(
            [
                {"name": f"Bench {label} product {i}", "is_storable": True}
                for i in range(n_lines)
            ]
        )
        for product in products:
            env["stock.quant"]._update_available_quantity(
                product, warehouse.lot_stock_id, 10
            )
        product_sets[label] = products
    keeper = bench_user(
        env,
        f"bench_keeper_{n_lines}",
        ["stock.group_stock_user", "sales_qms.group_qms_warehouse_keeper"],
    )
    inspector = bench_user(
        env,
        f"bench_inspector_{n_lines}",
        ["stock.group_stock_user", "sales_qms.group_qms_inspector"],
    )
    results = {}
    # warm-up so that both measures start from the same caches
    make_delivery(env, plain_type, product_sets["warmup"]).button_validate()
    for label, picking_type in (("plain", plain_type), ("inspected", inspected_type)):
        picking = make_delivery(env, picking_type, product_sets[label])
        if label == "inspected":
            inspection = picking.qms_inspection_id
            inspection.with_user(inspector).line_ids.write({"result": "pass"})
            inspection.with_user(keeper).write({"keeper_signature": SIGNATURE})
            inspection.with_user(inspector).write({"inspector_signature": SIGNATURE})
            assert picking.qms_inspection_state == "passed"
        assert len(picking.move_line_ids) == n_lines
        results[label] = measure(env, picking)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--lines", default="50,200")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per size; the best time is kept"
    )
    args = parser.parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    print(
        f"{'lines':>6} {'plain q':>8} {'insp q':>8} {'added q':>8} "
        f"{'q ratio':>8} {'plain s':>8} {'insp s':>8} {'t ratio':>8}"
    )
    for n_lines in [int(n) for n in args.lines.split(",")]:
        runs = []
        for _repeat in range(args.repeat):
            with registry.cursor() as cr:
                env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
                try:
                    runs.append(run(env, n_lines))
                finally:
                    cr.rollback()
        pq, iq = runs[-1]["plain"][0], runs[-1]["inspected"][0]
        pt = min(r["plain"][1] for r in runs)
        it = min(r["inspected"][1] for r in runs)
        print(
            f"{n_lines:>6} {pq:>8} {iq:>8} {iq - pq:>8} {iq / pq:>8.3f} "
            f"{pt:>8.3f} {it:>8.3f} {it / pt:>8.3f}"
        )


if __name__ == "__main__":
    main()
