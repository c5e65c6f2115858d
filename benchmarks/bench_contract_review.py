"""Contract review benchmarks: prints query counts and wall times.

    PYTHONPATH=/opt/odoo/18.0 /var/cache/sales_qms/venv/bin/python \
        benchmarks/bench_contract_review.py -c /var/cache/sales_qms/odoo-<hash>.conf -d <db>

Everything runs in one transaction that is rolled back at the end.
1. request review on orders of 20 and 200 lines with 8 departments (queries must not
   grow with the lines);
2. confirm a 50-line order with the sales_qms check versus with the check switched
   off by the company setting, as a ratio;
3. "Waiting for my review" on 100,000 review lines (stored, indexed fields).
"""

import argparse
import statistics
import time

import odoo
from odoo import SUPERUSER_ID, Command, api

N_LINES_BIG = 200
N_LINES_SMALL = 20
N_REVIEW_LINES = 100_000


def measure(env, fn):
    env.flush_all()
    env.invalidate_all()
    count0 = env.cr.sql_log_count
    t0 = time.perf_counter()
    result = fn()
    env.flush_all()
    return result, env.cr.sql_log_count - count0, time.perf_counter() - t0


def make_order(env, partner, products, n_lines, salesman):
    return env["sale.order"].create(
        {
            "partner_id": partner.id,
            "user_id": salesman.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": products[i % len(products)].id,
                        "product_uom_qty": 1 + i % 7,
                    }
                )
                for i in range(n_lines)
            ],
        }
    )


def setup(env):
    company = env.company
    company.write({"qms_review_required": True, "qms_review_segregation": True})
    group = env.ref("sales_qms.group_qms_user")
    users = env["res.users"].create(
        [
            {
                "name": f"Bench reviewer {i}",
                "login": f"bench_reviewer_{i}",
                "groups_id": [Command.link(group.id)],
            }
            for i in range(8)
        ]
    )
    departments = env["qms.department"].search(
        [("company_id", "in", [False, company.id])]
    )
    assert len(departments) == 8, (
        f"expected the 8 default departments, found {len(departments)}"
    )
    for dept, user in zip(departments, users, strict=True):
        dept.user_ids = [Command.set(user.ids)]
    salesman = env["res.users"].create(
        {
            "name": "Bench salesman",
            "login": "bench_salesman",
            "groups_id": [
                Command.link(env.ref("sales_team.group_sale_salesman_all_leads").id)
            ],
        }
    )
    partner = env["res.partner"].create({"name": "Bench customer"})
    products = env["product.product"].create(
        [
            {
                "name": f"Bench product {i}",
                "list_price": 100.0,
                "standard_price": 50.0,
                "is_storable": True,
            }
            for i in range(20)
        ]
    )
    # one product under new development: the contract is special, the GM signs too
    products[0].qms_new_development = True
    return users, departments, salesman, partner, products


def bench_request(env, partner, products, salesman):
    print("1. Request review, 8 departments (special contract)")
    figures = {}
    # warm-up: the first request of a process also fills the registry caches
    make_order(env, partner, products, 5, salesman).action_qms_request_review()
    for n in (N_LINES_SMALL, N_LINES_BIG):
        order = make_order(env, partner, products, n, salesman)
        _r, queries, seconds = measure(env, order.action_qms_request_review)
        assert len(order.qms_review_id.line_ids) == 8
        figures[n] = queries
        print(f"   {n:4d} lines: {queries:4d} queries, {seconds * 1000:7.1f} ms")
    grows = figures[N_LINES_BIG] - figures[N_LINES_SMALL]
    print(f"   queries added by {N_LINES_BIG - N_LINES_SMALL} more lines: {grows}")


def bench_waiting(env, users, departments):
    print(f"3. 'Waiting for my review' over {N_REVIEW_LINES:,} review lines")
    cr = env.cr
    order = env["sale.order"].search([], limit=1)
    n_rounds = N_REVIEW_LINES // len(departments)
    cr.execute(
        """
        INSERT INTO qms_contract_review (order_id, company_id, revision, kind, state, name,
                                         create_uid, write_uid, create_date, write_date)
        SELECT %s, %s, 1000 + g, 'initial',
               CASE WHEN g %% 100 = 0 THEN 'pending' ELSE 'approved' END,
               'BENCH/R' || g, 1, 1, now(), now()
          FROM generate_series(1, %s) g
        RETURNING id
        """,
        (order.id, order.company_id.id, n_rounds),
    )
    round_ids = [r[0] for r in cr.fetchall()]
    dept_ids = departments.ids
    cr.execute(
        """
        INSERT INTO qms_contract_review_line (review_id, order_id, company_id, department_id,
               sequence, is_final, state, review_state, waiting, create_uid, write_uid,
               create_date, write_date)
        SELECT r.id, r.order_id, r.company_id, d.dept, d.seq, false,
               CASE WHEN r.state = 'pending' THEN 'pending' ELSE 'approved' END,
               r.state, r.state = 'pending', 1, 1, now(), now()
          FROM qms_contract_review r
          CROSS JOIN unnest(%s::int[]) WITH ORDINALITY AS d(dept, seq)
         WHERE r.id = ANY(%s)
        RETURNING id, department_id
        """,
        (dept_ids, round_ids),
    )
    rows = cr.fetchall()
    # fresh statistics before the next insert: its foreign-key checks are
    # planned on them (an index lookup per row), not on an empty table (a
    # sequential scan per row, which took over 10 minutes)
    cr.execute("ANALYZE qms_contract_review, qms_contract_review_line")
    user_of = dict(zip(dept_ids, users.ids, strict=True))
    cr.execute(
        """
        INSERT INTO qms_review_line_user_rel (line_id, user_id)
        SELECT l, u FROM unnest(%s::int[], %s::int[]) AS t(l, u)
        """,
        ([r[0] for r in rows], [user_of[r[1]] for r in rows]),
    )
    cr.execute("ANALYZE qms_contract_review_line; ANALYZE qms_review_line_user_rel")
    env.invalidate_all()
    reviewer = users[3]
    Line = env["qms.contract.review.line"].with_user(reviewer)
    domain = [("waiting", "=", True), ("reviewer_ids", "in", [reviewer.id])]
    times = []
    for _i in range(5):
        found, queries, seconds = measure(env, lambda: Line.search(domain))
        times.append(seconds)
    total = env["qms.contract.review.line"].search_count([])
    print(f"   {total:,} lines in the table, {len(found)} waiting for the reviewer")
    print(
        f"   search: {queries} queries, median {statistics.median(times) * 1000:.1f} ms"
    )
    query = Line._search(domain)
    cr.execute("EXPLAIN ANALYZE " + query.select().code, query.select().params)
    plan = [r[0] for r in cr.fetchall()]
    print(
        "   plan: "
        + " | ".join(p.strip() for p in plan if "Scan" in p or "Execution" in p)
    )


def bench_confirm(env, partner, products, salesman):
    print("2. Confirm a 50-line order: with the sales_qms check / check switched off")
    company = env.company
    results = {True: [], False: []}
    for _i in range(3):
        for required in (True, False):
            company.qms_review_required = True
            order = make_order(env, partner, products[1:], 50, salesman)
            order.action_qms_request_review()
            for line in order.qms_review_id.line_ids.sorted("is_final"):
                line.with_user(line.reviewer_ids[0]).action_approve()
            company.qms_review_required = required
            _r, queries, seconds = measure(env, order.action_confirm)
            assert order.state == "sale"
            results[required].append((queries, seconds))
    on_q, on_t = (
        statistics.median(q for q, _t in results[True]),
        statistics.median(t for _q, t in results[True]),
    )
    off_q, off_t = (
        statistics.median(q for q, _t in results[False]),
        statistics.median(t for _q, t in results[False]),
    )
    print(f"   with check   : {on_q:.0f} queries, {on_t * 1000:.1f} ms")
    print(f"   check off    : {off_q:.0f} queries, {off_t * 1000:.1f} ms")
    print(f"   ratio        : {on_t / off_t:.2f}x time, {on_q - off_q:+.0f} queries")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    args = parser.parse_args()
    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.database, "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(
            cr, SUPERUSER_ID, {"lang": "en_US", "tracking_disable": False}
        )
        try:
            users, departments, salesman, partner, products = setup(env)
            bench_request(env, partner, products, salesman)
            bench_confirm(env, partner, products, salesman)
            bench_waiting(env, users, departments)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
