"""Confirm a 50-line order and validate its delivery: queries and time.

Runs on the database it is given, as it is: `make bench` runs it on a database
without sales_qms and on one with it, on the same data, and prints the ratio.
With sales_qms the contract is reviewed (recorded as reviewed on paper) and the
delivery inspected and signed before the measured steps, so that what is measured
is what sales_qms adds to confirming and validating, not the reviewing itself.
Everything happens in a transaction that is rolled back.
"""

import argparse
import base64
import json
import statistics
import time

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config

PNG = base64.b64encode(
    base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
        "60e6kgAAAABJRU5ErkJggg=="
    )
)


def measure(env, fn):
    env.flush_all()
    env.invalidate_all()
    count, start = env.cr.sql_log_count, time.perf_counter()
    fn()
    env.flush_all()
    return env.cr.sql_log_count - count, time.perf_counter() - start


def make_products(env, lines):
    # created once: a company sells the products it has, and creating products
    # clears the registry caches every run would then pay for
    return env["product.product"].create(
        [{"name": f"Bench product {i}", "is_storable": True} for i in range(lines)]
    )


def one_run(env, products, signers):
    partner = env["res.partner"].create({"name": "Bench customer"})
    stock = env.ref("stock.stock_location_stock")
    for product in products:
        env["stock.quant"]._update_available_quantity(product, stock, 100)
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "order_line": [
                Command.create({"product_id": p.id, "product_uom_qty": 5})
                for p in products
            ],
        }
    )
    qms = "qms_review_state" in order._fields
    if qms:
        order._qms_record_paper_review("benchmark")
    confirm = measure(env, order.action_confirm)
    picking = order.picking_ids
    picking.move_ids.picked = True
    if qms and picking.qms_inspection_id:
        keeper, inspector = signers
        inspection = picking.qms_inspection_id
        inspection.with_user(inspector).line_ids.write({"result": "pass"})
        inspection.with_user(keeper).write({"keeper_signature": PNG})
        inspection.with_user(inspector).write({"inspector_signature": PNG})
    validate = measure(
        env, lambda: picking.with_context(skip_sms=True).button_validate()
    )
    assert picking.state == "done", picking.state
    return confirm, validate


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        signers = None
        if "qms.delivery.inspection" in env:
            users = env["res.users"].with_context(no_reset_password=True)
            signers = (
                users.create(
                    {
                        "name": "Bench keeper",
                        "login": "bench_keeper",
                        "email": "bench_keeper@example.com",
                        "groups_id": [
                            Command.link(
                                env.ref("sales_qms.group_qms_warehouse_keeper").id
                            ),
                            Command.link(env.ref("stock.group_stock_user").id),
                        ],
                    }
                ),
                users.create(
                    {
                        "name": "Bench inspector",
                        "login": "bench_inspector",
                        "email": "bench_inspector@example.com",
                        "groups_id": [
                            Command.link(env.ref("sales_qms.group_qms_inspector").id),
                            Command.link(env.ref("stock.group_stock_user").id),
                        ],
                    }
                ),
            )
        products = make_products(env, args.lines)
        one_run(env, products, signers)  # warm the caches
        runs = [one_run(env, products, signers) for _ in range(args.runs)]
        cr.rollback()
    result = {
        "database": args.database,
        "sales_qms": signers is not None,
        "lines": args.lines,
        "confirm_queries": runs[-1][0][0],
        "confirm_ms": round(statistics.median(r[0][1] for r in runs) * 1000, 1),
        "validate_queries": runs[-1][1][0],
        "validate_ms": round(statistics.median(r[1][1] for r in runs) * 1000, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
