"""Confirm a 50-line order and validate its delivery, plain Odoo against sales_qms.

    /var/cache/sales_qms/venv/bin/python benchmarks/bench_confirm_validate.py \\
        -c /var/cache/sales_qms/odoo-<hash>.conf --plain <db> --qms <db> [--runs 11]

Both databases are copies of the same template, one without sales_qms and one with
it. One process opens both and alternates the runs (plain, sales_qms, sales_qms,
plain, ...), so that the load of a shared machine falls on both alike; it prints
the query counts, the median wall and CPU times of each step and their ratios.
With sales_qms the contract is reviewed (recorded as reviewed on paper) and the
delivery inspected and signed before the measured steps: what is measured is what
sales_qms adds to confirming and validating, not the reviewing itself. Everything
happens in transactions that are rolled back, each run in a savepoint of its own:
every run starts from the same data. ``--json`` prints the figures as
JSON; ``-d <db>`` alone measures one database.
"""

import argparse
import base64
import gc
import json
import statistics
import time
from contextlib import ExitStack, closing

from _common import bench_user

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config

PNG = base64.b64encode(
    base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
        "60e6kgAAAABJRU5ErkJggg=="
    )
)
STEPS = ("confirm", "validate")


def backend_cpu(env):
    """A function returning the CPU seconds the PostgreSQL backend of this
    cursor has used, when it runs on this machine (else 0)."""
    env.cr.execute("SELECT pg_backend_pid()")
    path = f"/proc/{env.cr.fetchone()[0]}/schedstat"
    try:
        open(path, encoding="ascii").close()
    except OSError:
        return lambda: 0.0

    def read():
        with open(path, encoding="ascii") as f:
            return int(f.read().split()[0]) / 1e9

    return read


def measure(env, fn, pg_cpu):
    """(queries, wall seconds, CPU seconds of Odoo and of its PostgreSQL
    backend) of fn(). Python's garbage collector is off while fn() runs, as
    timeit does: when it would run depends on the heap both databases share
    in this process, not on the step."""
    env.flush_all()
    env.invalidate_all()
    gc.collect()
    count = env.cr.sql_log_count
    gc.disable()
    try:
        wall, cpu, db_cpu = time.perf_counter(), time.process_time(), pg_cpu()
        fn()
        env.flush_all()
    finally:
        gc.enable()
    return (
        env.cr.sql_log_count - count,
        time.perf_counter() - wall,
        time.process_time() - cpu + pg_cpu() - db_cpu,
    )


class Bench:
    """One database: its cursor, its products and (with sales_qms) signers."""

    def __init__(self, stack, database, lines, tracking=False):
        self.database = database
        registry = odoo.modules.registry.Registry(database)
        cr = stack.enter_context(registry.cursor())
        stack.callback(cr.rollback)
        context = {} if tracking else {"tracking_disable": True}
        self.env = env = api.Environment(cr, SUPERUSER_ID, context)
        self.pg_cpu = backend_cpu(env)
        self.qms = "qms.delivery.inspection" in env
        self.signers = self._make_signers() if self.qms else None
        if self.qms:
            # a database without sales_qms's demo data: its departments have
            # no reviewers yet (the review is recorded on paper, as the admin)
            env["qms.department"].search([("user_ids", "=", False)]).write(
                {"user_ids": [Command.link(env.ref("base.user_admin").id)]}
            )
        # created once: a company sells the products it has, and creating
        # products clears the registry caches every run would then pay for
        self.products = env["product.product"].create(
            [{"name": f"Bench product {i}", "is_storable": True} for i in range(lines)]
        )
        self.runs = []

    def _make_signers(self):
        return tuple(
            bench_user(self.env, login, ["stock.group_stock_user", group])
            for login, group in (
                ("bench_keeper", "sales_qms.group_qms_warehouse_keeper"),
                ("bench_inspector", "sales_qms.group_qms_inspector"),
            )
        )

    def run(self, keep=True):
        """One order confirmed and its delivery validated, inside a savepoint
        rolled back afterwards: every run starts from the same data."""
        with closing(self.env.cr.savepoint(flush=False)):
            result = self._run()
        self.env.clear()
        if keep:
            self.runs.append(result)

    def _run(self):
        env = self.env
        partner = env["res.partner"].create({"name": "Bench customer"})
        stock = env.ref("stock.stock_location_stock")
        for product in self.products:
            env["stock.quant"]._update_available_quantity(product, stock, 100)
        order = env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": p.id, "product_uom_qty": 5})
                    for p in self.products
                ],
            }
        )
        if self.qms:
            order._qms_record_paper_review("benchmark")
        confirm = measure(env, order.action_confirm, self.pg_cpu)
        picking = order.picking_ids
        picking.move_ids.picked = True
        if self.qms and picking.qms_inspection_id:
            keeper, inspector = self.signers
            inspection = picking.qms_inspection_id
            inspection.with_user(inspector).line_ids.write({"result": "pass"})
            inspection.with_user(keeper).write({"keeper_signature": PNG})
            inspection.with_user(inspector).write({"inspector_signature": PNG})
        validate = measure(
            env,
            lambda: picking.with_context(skip_sms=True).button_validate(),
            self.pg_cpu,
        )
        assert picking.state == "done", picking.state
        return dict(zip(STEPS, (confirm, validate), strict=True))

    def figures(self):
        result = {"database": self.database, "sales_qms": self.qms}
        for step in STEPS:
            samples = [r[step] for r in self.runs]
            result[f"{step}_queries"] = samples[-1][0]
            result[f"{step}_ms"] = round(
                statistics.median(s[1] for s in samples) * 1e3, 1
            )
            result[f"{step}_cpu_ms"] = round(
                statistics.median(s[2] for s in samples) * 1e3, 1
            )
        return result


def quartiles(values):
    if len(values) < 2:
        return values * 3
    q1, median, q3 = statistics.quantiles(values, n=4)
    return q1, median, q3


def report(plain, qms, lines, runs):
    print(
        f"Confirm a {lines}-line order and validate its delivery: median of {runs} "
        "alternated runs; cpu = Odoo process + its PostgreSQL backend; ratio = "
        "sales_qms / plain of the medians; paired = the ratios of each pair of "
        "runs (plain and sales_qms one after the other)"
    )
    print(
        f"{'step':9} {'plain q':>7} {'qms q':>6} {'+q':>4}"
        f" {'plain ms':>9} {'qms ms':>8} {'ratio':>6} {'paired: q1 median q3':>20}"
        f" {'plain cpu':>9} {'qms cpu':>8} {'ratio':>6} {'paired: q1 median q3':>20}"
    )
    result = {"plain": plain.figures(), "qms": qms.figures()}
    p, q = result["plain"], result["qms"]
    for step in STEPS:
        cells = [
            f"{step:9} {p[f'{step}_queries']:7} {q[f'{step}_queries']:6} "
            f"{q[f'{step}_queries'] - p[f'{step}_queries']:+4}"
        ]
        for key, index in (("ms", 1), ("cpu_ms", 2)):
            ratio = q[f"{step}_{key}"] / p[f"{step}_{key}"]
            q1, med, q3 = quartiles(
                [
                    b[step][index] / a[step][index]
                    for a, b in zip(plain.runs, qms.runs, strict=True)
                ]
            )
            result[f"{step}_{key}_ratio"] = round(ratio, 3)
            result[f"{step}_{key}_paired_median"] = round(med, 3)
            cells.append(
                f"{p[f'{step}_{key}']:9.1f} {q[f'{step}_{key}']:8.1f} {ratio:6.3f}"
                f" {f'{q1:.3f} {med:.3f} {q3:.3f}':>20}"
            )
        print(" ".join(cells))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--plain", help="database without sales_qms")
    parser.add_argument("--qms", help="database with sales_qms")
    parser.add_argument("-d", "--database", help="measure one database only")
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument(
        "--tracking",
        action="store_true",
        help="with the chatter's tracking and messages, as users work (by default "
        "the steps run with tracking_disable)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (args.database or (args.plain and args.qms)):
        parser.error("give --plain and --qms, or -d")
    config.parse_config(
        ["-c", args.config, "-d", args.database or args.qms, "--log-level=warn"]
    )
    with ExitStack() as stack:
        if args.database:
            bench = Bench(stack, args.database, args.lines, args.tracking)
            bench.run(keep=False)  # warm the caches
            for _i in range(args.runs):
                bench.run()
            print(json.dumps(bench.figures()))
            return
        plain = Bench(stack, args.plain, args.lines, args.tracking)
        qms = Bench(stack, args.qms, args.lines, args.tracking)
        for bench in (plain, qms, plain, qms):  # warm the caches
            bench.run(keep=False)
        for i in range(args.runs):
            for bench in (plain, qms) if i % 2 == 0 else (qms, plain):
                bench.run()
        result = report(plain, qms, args.lines, args.runs)
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
