"""Flat in history: what users open every day costs the same with 10x more history.

    /var/cache/sales_qms/venv/bin/python benchmarks/bench_history.py \\
        -c /var/cache/sales_qms/odoo-<hash>.conf -d <db> [--scale 0.1]

An ISO 9001 company keeps every record for years: the tables only grow. This
benchmark builds, with SQL, a history of 100,000 rows of each kind (stock move
lines, claims, contract review lines, lot status log rows), measures what users
open every day, makes the history 10 times older (1,000,000 move lines,
500,000 claims, 1,000,000 review lines, 500,000 lot status log rows) and
measures again. It prints both sizes side by side, the ratio, and the plans
(EXPLAIN ANALYZE) of the five sales_qms queries run most often by these screens
and by confirming and validating an order.

History grows older, not denser: the rows are spread back in time at a constant
daily rate. The open claims, the pending contract reviews and the deliveries of
the measured lot (1,000 customers, 50 returns) are the same at both sizes; the
closed past grows. Each screen is called as the web client calls it
(web_search_read / web_read / web_read_group with the view's fields), as the
user who opens it, with the server's caches warm; the time is the median of
--runs calls. Everything runs in one transaction that is rolled back; the
tables' statistics (ANALYZE) stay.
"""

import argparse
import re
import statistics
import time
from collections import Counter

from _common import bench_user
from bench_confirm_validate import backend_cpu
from lxml import etree

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.sql_db import Cursor
from odoo.tools import SQL, config

KINDS = ("move lines", "claims", "review lines", "lot status log")
SIZES = (
    dict.fromkeys(KINDS, 100_000),
    {
        "move lines": 1_000_000,
        "claims": 500_000,
        "review lines": 1_000_000,
        "lot status log": 500_000,
    },
)
# rows per day: the history of the small size spans one year (move lines, lot
# status log) or two (claims, contract reviews)
PER_DAY = {
    "move lines": 100_000 / 365,
    "claims": 100_000 / 730,
    "review lines": 100_000 / 730,
    "lot status log": 100_000 / 365,
}
# the sales_qms tables (and view) that grow with the history
HISTORY_TABLES = (
    "qms_recall_scope",
    "qms_claim",
    "qms_claim_line",
    "qms_claim_action",
    "qms_contact_log",
    "qms_followup_visit",
    "qms_contract_review",
    "qms_contract_review_line",
    "qms_review_line_user_rel",
    "qms_contract_review_change",
    "qms_lot_status_log",
    "qms_delivery_inspection",
    "qms_delivery_inspection_line",
    "qms_delivery_release",
    "qms_satisfaction_report",
)
HISTORY_RE = r'\b(FROM|JOIN)\s+"?({})"?\b'.format("|".join(HISTORY_TABLES))
CUSTOMERS = 1000
RETURNS = 50
FILLER_PRODUCTS = 100
DEPARTMENTS = 8
PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg=="
)


# ---------------------------------------------------------------- SQL helpers
def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_name = %s AND column_name != 'id' ORDER BY ordinal_position",
        [table],
    )
    return [r[0] for r in cr.fetchall()]


def clone_sql(cr, table, template_id, overrides, source, *, returning="id"):
    """SQL: INSERT copies of row `template_id` of `table`, one per row of
    `source` (an SQL FROM item aliased s), with `overrides` {column: SQL}."""
    cols = columns(cr, table)
    select = SQL(", ").join(
        overrides.get(c, SQL("t.%s", SQL.identifier(c))) for c in cols
    )
    return SQL(
        "INSERT INTO %s (%s) SELECT %s FROM %s t, %s WHERE t.id = %s RETURNING %s",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(c) for c in cols),
        select,
        SQL.identifier(table),
        source,
        template_id,
        SQL(returning),
    )


def clone(cr, table, template_id, overrides, source):
    """INSERT copies of row `template_id` of `table`; their ids."""
    cr.execute(clone_sql(cr, table, template_id, overrides, source))
    return [r[0] for r in cr.fetchall()]


class BulkInsert:
    """Foreign keys of `tables` dropped for a bulk insert, then added again.

    A foreign key is checked by a trigger, row by row, with a plan made when the
    tables were small: inserting a million rows that way takes hours. Added
    again, each key is checked by one join, planned on fresh statistics."""

    def __init__(self, cr, *tables):
        self.cr, self.tables = cr, tables

    def __enter__(self):
        self.cr.execute(
            """SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
                 FROM pg_constraint
                WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)""",
            [list(self.tables)],
        )
        self.keys = self.cr.fetchall()
        for table, name, _definition in self.keys:
            self.cr.execute(
                SQL(
                    "ALTER TABLE %s DROP CONSTRAINT %s",
                    SQL.identifier(table),
                    SQL.identifier(name),
                )
            )
        return self

    def __exit__(self, *exc):
        self.cr.execute(
            SQL("ANALYZE %s", SQL(", ").join(SQL.identifier(t) for t in self.tables))
        )
        for table, name, definition in self.keys:
            self.cr.execute(
                SQL(
                    "ALTER TABLE %s ADD CONSTRAINT %s %s",
                    SQL.identifier(table),
                    SQL.identifier(name),
                    SQL(definition),
                )
            )


# ---------------------------------------------------------------- the history
class History:
    def __init__(self, env):
        self.env = env
        self.cr = env.cr
        self.size = dict.fromkeys(KINDS, 0)
        self.company = env.company
        self.warehouse = env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        self.out_type = self.warehouse.out_type_id
        self._make_users()
        self._make_lot()
        self._make_reviews_base()

    # ------------------------------------------------------------ set-up
    def _user(self, login, groups):
        return bench_user(self.env, login, groups, name=login.replace("_", " ").title())

    def _make_users(self):
        self.manager = self._user(
            "bench_qms_manager",
            ["sales_qms.group_qms_manager", "stock.group_stock_manager"],
        )
        self.service = self._user(
            "bench_service", ["sales_qms.group_qms_customer_service"]
        )
        self.reviewers = [
            self._user(f"bench_reviewer_{i}", ["sales_qms.group_qms_user"])
            for i in range(DEPARTMENTS)
        ]
        self.keeper = self._user(
            "bench_keeper",
            ["sales_qms.group_qms_warehouse_keeper", "stock.group_stock_user"],
        )
        self.inspector = self._user(
            "bench_inspector",
            ["sales_qms.group_qms_inspector", "stock.group_stock_user"],
        )

    def _pass_inspection(self, picking):
        inspection = picking.qms_inspection_id
        inspection.with_user(self.inspector).line_ids.write({"result": "pass"})
        inspection.with_user(self.keeper).write({"keeper_signature": PNG})
        inspection.with_user(self.inspector).write({"inspector_signature": PNG})

    def _make_lot(self):
        """The measured lot, delivered to CUSTOMERS customers (RETURNS of them
        sent some back), and the lots and products of the rest of the history."""
        env, cr = self.env, self.cr
        stock = self.warehouse.lot_stock_id
        customers = env.ref("stock.stock_location_customers")
        self.product = env["product.product"].create(
            {"name": "Bench coverall", "is_storable": True, "tracking": "lot"}
        )
        self.lot = env["stock.lot"].create(
            {"name": "BENCH-RECALL", "product_id": self.product.id}
        )
        env["stock.quant"]._update_available_quantity(
            self.product, stock, CUSTOMERS * 2, lot_id=self.lot
        )
        partners = env["res.partner"].create(
            [
                {"name": f"Bench customer {i:04d}", "is_company": True}
                for i in range(CUSTOMERS)
            ]
        )
        self.partners = partners
        picking = env["stock.picking"].create(
            {
                "picking_type_id": self.out_type.id,
                "partner_id": partners[0].id,
                "location_id": stock.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "bench",
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "location_id": stock.id,
                            "location_dest_id": customers.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self._pass_inspection(picking)
        picking.button_validate()
        move, line = picking.move_ids, picking.move_line_ids
        self.template_picking, self.template_move, self.template_line = (
            picking,
            move,
            line,
        )
        env.flush_all()
        partner_ids = partners[1:].ids
        pickings = clone(
            cr,
            "stock_picking",
            picking.id,
            {
                "partner_id": SQL("s.partner_id"),
                "name": SQL("'BENCH/OUT/' || s.partner_id"),
                "qms_inspection_id": SQL("NULL"),
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
            SQL(
                "unnest(%s::int[], %s::int[]) AS s(picking_id, move_id)",
                pickings,
                moves,
            ),
        )
        returned = clone(
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
            SQL("unnest(%s::int[]) AS s(move_id)", returned),
        )
        # its deliveries were inspected and signed
        cr.execute(
            """
            INSERT INTO qms_delivery_inspection (name, picking_id, company_id, result,
                   is_complete, keeper_id, inspector_id, keeper_signed_on,
                   inspector_signed_on, create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH/INS/' || p, p, %(company)s, 'passed', true, %(keeper)s,
                   %(inspector)s, now(), now(), 1, 1, now(), now()
              FROM unnest(%(pickings)s::int[]) AS p
            """,
            {
                "company": self.company.id,
                "keeper": self.keeper.id,
                "inspector": self.inspector.id,
                "pickings": pickings,
            },
        )
        cr.execute(
            """
            UPDATE stock_picking p SET qms_inspection_id = i.id
              FROM qms_delivery_inspection i
             WHERE i.picking_id = p.id AND p.id = ANY(%s)
            """,
            [pickings],
        )
        # its status history: inspected, held, qualified again
        inspector = self.lot.with_user(self.inspector)
        inspector.action_qms_set_status("pending_disposition", "Complaint: seams")
        inspector.action_qms_set_status("qualified", "Review board: isolated defect")
        # the other products and lots of the history
        self.filler_products = env["product.product"].create(
            [
                {
                    "name": f"Bench product {i:03d}",
                    "is_storable": True,
                    "tracking": "lot",
                }
                for i in range(FILLER_PRODUCTS)
            ]
        )
        self.filler_lots = []
        self.filler_lot_products = []
        env.flush_all()

    def _add_lots(self, count):
        """Lots of the other products: one per 100 move lines of history."""
        products = self.filler_products.ids
        lots = clone(
            self.cr,
            "stock_lot",
            self.lot.id,
            {
                "name": SQL("'BENCH-F' || s.n"),
                "product_id": SQL(
                    "(%s::int[])[1 + mod(s.n, %s)]", products, len(products)
                ),
            },
            SQL(
                "generate_series(%s, %s) AS s(n)",
                len(self.filler_lots) + 1,
                len(self.filler_lots) + count,
            ),
        )
        self.filler_lots += lots
        self.filler_lot_products += [
            products[n % len(products)]
            for n in range(len(self.filler_lots) - count + 1, len(self.filler_lots) + 1)
        ]

    def _make_reviews_base(self):
        env = self.env
        departments = env["qms.department"].search(
            [("company_id", "in", [False, self.company.id])], limit=DEPARTMENTS
        )
        assert len(departments) == DEPARTMENTS, departments
        for dept, user in zip(departments, self.reviewers, strict=True):
            dept.user_ids = [Command.link(user.id)]
        self.departments = departments
        self.review_order = env["sale.order"].search([], limit=1)

    # ------------------------------------------------------------ growth
    def grow(self, sizes):
        """Add the rows that make the history `sizes` old, older than the rows
        already there."""
        self.env.flush_all()
        timings = {}
        for kind, method in (
            ("move lines", self._grow_move_lines),
            ("lot status log", self._grow_status_log),
            ("claims", self._grow_claims),
            ("review lines", self._grow_reviews),
        ):
            start = time.perf_counter()
            first, last = self.size[kind] + 1, sizes[kind]
            if last >= first:
                method(first, last)
            self.size[kind] = max(last, self.size[kind])
            timings[kind] = time.perf_counter() - start
        self.cr.execute("ANALYZE")
        self.env.invalidate_all()
        return timings

    def _days_ago(self, kind, expr="s.n"):
        """SQL: the age in days of the history row number `expr`."""
        return SQL("(%s / %s::float)", SQL(expr), PER_DAY[kind])

    def _grow_move_lines(self, first, last):
        """Transfers of 10 lines of other lots, one move per line; every other
        transfer a receipt from a supplier, the others deliveries to customers."""
        cr = self.cr
        self._add_lots(max(1, (last - first + 1) // 100))
        wh = self.warehouse
        supplier = self.env.ref("stock.stock_location_suppliers").id
        customer = self.env.ref("stock.stock_location_customers").id
        stock = wh.lot_stock_id.id
        # per history row s.n: its transfer k = (n - 1) / 10, receipt if k even
        receipt = SQL("mod((s.n - 1) / 10, 2) = 0")
        src = SQL("CASE WHEN %s THEN %s ELSE %s END", receipt, supplier, stock)
        dest = SQL("CASE WHEN %s THEN %s ELSE %s END", receipt, stock, customer)
        date = SQL("now() - %s * interval '1 day'", self._days_ago("move lines"))
        lot = SQL(
            "(%s::int[])[1 + mod(s.n, %s)]", self.filler_lots, len(self.filler_lots)
        )
        product = SQL(
            "(%s::int[])[1 + mod(s.n, %s)]",
            self.filler_lot_products,
            len(self.filler_lots),
        )
        partner = SQL(
            "(%s::int[])[1 + mod(s.n / 10, %s)]", self.partners.ids, len(self.partners)
        )
        first_picking, last_picking = (first - 1) // 10 + 1, (last - 1) // 10 + 1
        pickings = clone_sql(
            cr,
            "stock_picking",
            self.template_picking.id,
            {
                "name": SQL("'BENCH/H/' || s.n"),
                "origin": SQL("s.n::text"),
                "qms_inspection_id": SQL("NULL"),
                "qms_inspection_state": SQL(
                    "CASE WHEN mod(s.n - 1, 2) = 0 THEN 'not_required' "
                    "ELSE 'passed' END"
                ),
                "partner_id": partner,
                "picking_type_id": SQL(
                    "CASE WHEN %s THEN %s ELSE %s END",
                    SQL("mod(s.n - 1, 2) = 0"),
                    wh.in_type_id.id,
                    wh.out_type_id.id,
                ),
                "location_id": SQL(
                    "CASE WHEN mod(s.n - 1, 2) = 0 THEN %s ELSE %s END", supplier, stock
                ),
                "location_dest_id": SQL(
                    "CASE WHEN mod(s.n - 1, 2) = 0 THEN %s ELSE %s END", stock, customer
                ),
                "date": SQL(
                    "now() - %s * interval '1 day'",
                    self._days_ago("move lines", "(s.n * 10)"),
                ),
                "date_done": SQL(
                    "now() - %s * interval '1 day'",
                    self._days_ago("move lines", "(s.n * 10)"),
                ),
                "scheduled_date": SQL(
                    "now() - %s * interval '1 day'",
                    self._days_ago("move lines", "(s.n * 10)"),
                ),
            },
            SQL(
                "generate_series(%s, %s) AS s(n)",
                first_picking - 1,
                last_picking - 1,
            ),
            returning="id, origin",
        )
        moves = clone_sql(
            cr,
            "stock_move",
            self.template_move.id,
            {
                "picking_id": SQL("s.picking_id"),
                "origin": SQL("s.n::text"),
                "partner_id": partner,
                "product_id": product,
                "location_id": src,
                "location_dest_id": dest,
                "location_final_id": SQL("NULL"),
                "date": date,
                "reference": SQL("'BENCH/H/' || (s.n - 1) / 10"),
                "picking_type_id": SQL(
                    "CASE WHEN %s THEN %s ELSE %s END",
                    receipt,
                    wh.in_type_id.id,
                    wh.out_type_id.id,
                ),
            },
            SQL(
                "(SELECT n, p.id AS picking_id FROM generate_series(%s, %s) AS g(n) "
                "JOIN pickings p ON p.origin = ((g.n - 1) / 10)::text) AS s",
                first,
                last,
            ),
            returning="id, origin",
        )
        lines = clone_sql(
            cr,
            "stock_move_line",
            self.template_line.id,
            {
                "picking_id": SQL("s.picking_id"),
                "move_id": SQL("s.move_id"),
                "lot_id": lot,
                "product_id": product,
                "location_id": src,
                "location_dest_id": dest,
                "date": date,
                "reference": SQL("'BENCH/H/' || (s.n - 1) / 10"),
            },
            SQL(
                "(SELECT m.origin::int AS n, m.id AS move_id, p.id AS picking_id "
                "FROM moves m JOIN pickings p ON p.origin = ((m.origin::int - 1) / 10)"
                "::text) AS s"
            ),
            returning="1",
        )
        # every delivery was inspected and signed
        inspections = SQL(
            """INSERT INTO qms_delivery_inspection (name, picking_id, company_id,
                   result, is_complete, keeper_id, inspector_id, create_uid,
                   write_uid, create_date, write_date)
               SELECT 'BENCH/H/INS/' || p.origin, p.id, %s, 'passed', true, %s, %s,
                      1, 1, now(), now()
                 FROM pickings p WHERE mod(p.origin::int, 2) = 1
               RETURNING 1""",
            self.company.id,
            self.keeper.id,
            self.inspector.id,
        )
        with BulkInsert(
            cr,
            "stock_picking",
            "stock_move",
            "stock_move_line",
            "qms_delivery_inspection",
        ):
            cr.execute(
                SQL(
                    "WITH pickings AS (%s), moves AS (%s), lines AS (%s), "
                    "inspections AS (%s) "
                    "SELECT (SELECT count(*) FROM lines), "
                    "(SELECT count(*) FROM inspections)",
                    pickings,
                    moves,
                    lines,
                    inspections,
                )
            )

    def _grow_status_log(self, first, last):
        with BulkInsert(self.cr, "qms_lot_status_log"):
            self.cr.execute(
                SQL(
                    """
                INSERT INTO qms_lot_status_log (lot_id, old_status, new_status, reason,
                       user_id, date, company_id, create_uid, write_uid, create_date,
                       write_date)
                SELECT (%(lots)s::int[])[1 + mod(s.n, %(nlots)s)],
                       CASE WHEN mod(s.n, 3) = 0 THEN NULL ELSE 'qualified' END,
                       (ARRAY['qualified','pending_disposition','nonconforming'])
                           [1 + mod(s.n, 3)],
                       'bench history', %(user)s,
                       now() - %(age)s * interval '1 day', %(company)s, 1, 1, now(),
                       now()
                  FROM generate_series(%(first)s, %(last)s) AS s(n)
                    """,
                    lots=self.filler_lots,
                    nlots=len(self.filler_lots),
                    user=self.inspector.id,
                    age=self._days_ago("lot status log"),
                    company=self.company.id,
                    first=first,
                    last=last,
                )
            )

    def _grow_claims(self, first, last):
        """Claims of the last 30 days are open (new, investigating, action,
        resolved); older ones are closed, one in six rejected. One line each, on
        a lot of the history (the five newest on the measured lot); an action on
        every other claim, a follow-up visit on one in ten."""
        cr = self.cr
        partners = self.partners.ids
        with BulkInsert(
            cr, "qms_claim", "qms_claim_line", "qms_claim_action", "qms_followup_visit"
        ):
            cr.execute(
                SQL(
                    """
                CREATE TEMP TABLE bench_claim ON COMMIT DROP AS
                SELECT s.n, now() - %(age)s * interval '1 day' AS d,
                       (%(partners)s::int[])[1 + mod(s.n, %(npartners)s)] AS p,
                       CASE WHEN %(age)s < 30
                            THEN (ARRAY['new','investigating','action','resolved'])
                                 [1 + mod(s.n, 4)]
                            WHEN mod(s.n, 6) = 0 THEN 'rejected'
                            ELSE 'closed' END AS stage
                  FROM generate_series(%(first)s, %(last)s) AS s(n)
                    """,
                    age=self._days_ago("claims"),
                    partners=partners,
                    npartners=len(partners),
                    first=first,
                    last=last,
                )
            )
            cr.execute(
                SQL(
                    """
                INSERT INTO qms_claim (name, date, partner_id, commercial_partner_id,
                       claim_type, channel, severity, stage, deadline, date_resolved,
                       date_closed, rejection_reason, customer_feedback, company_id,
                       user_id, create_uid, write_uid, create_date, write_date)
                SELECT 'BENCH/' || n, d, p, p,
                       (ARRAY['complaint','return','exchange','repair','compensation'])
                           [1 + mod(n, 5)],
                       (ARRAY['phone','fax','email','letter','visit','portal'])
                           [1 + mod(n, 6)],
                       (ARRAY['minor','major','critical'])[1 + mod(n, 3)],
                       stage, (d + interval '7 days')::date,
                       CASE WHEN stage IN ('resolved', 'closed')
                            THEN d + mod(n, 11) * interval '1 day' END,
                       CASE WHEN stage = 'closed'
                            THEN d + mod(n, 11) * interval '1 day' END,
                       CASE WHEN stage = 'rejected' THEN 'not our product' END,
                       CASE WHEN stage = 'closed' THEN 'accepted' END,
                       %(company)s,
                       (%(users)s::int[])[1 + mod(n, 3)], 1, 1, now(), now()
                  FROM bench_claim
                    """,
                    company=self.company.id,
                    users=[self.service.id, self.manager.id, SUPERUSER_ID],
                )
            )
            cr.execute(
                SQL(
                    """
                INSERT INTO qms_claim_line (claim_id, company_id, product_id, lot_id,
                       quantity, create_uid, write_uid, create_date, write_date)
                SELECT c.id, c.company_id,
                       CASE WHEN b.n <= 5 THEN %(product)s
                            ELSE (%(products)s::int[])[1 + mod(b.n, %(nlots)s)] END,
                       CASE WHEN b.n <= 5 THEN %(lot)s
                            ELSE (%(lots)s::int[])[1 + mod(b.n, %(nlots)s)] END,
                       1, 1, 1, now(), now()
                  FROM bench_claim b JOIN qms_claim c ON c.name = 'BENCH/' || b.n
                    """,
                    product=self.product.id,
                    lot=self.lot.id,
                    products=self.filler_lot_products,
                    lots=self.filler_lots,
                    nlots=len(self.filler_lots),
                )
            )
            cr.execute(
                SQL(
                    """
                INSERT INTO qms_claim_action (claim_id, kind, description, owner_id,
                       due_date, done_date, is_done, company_id, create_uid,
                       write_uid, create_date, write_date)
                SELECT c.id, 'corrective', 'bench action', c.user_id, c.deadline,
                       CASE WHEN c.stage IN ('resolved', 'closed') THEN c.deadline END,
                       c.stage IN ('resolved', 'closed'), c.company_id, 1, 1, now(),
                       now()
                  FROM bench_claim b JOIN qms_claim c ON c.name = 'BENCH/' || b.n
                 WHERE mod(b.n, 2) = 0
                    """
                )
            )
            cr.execute(
                SQL(
                    """
                INSERT INTO qms_followup_visit (name, partner_id, commercial_partner_id,
                       scheduled_date, date_done, state, channel, score_quality,
                       score_delivery, score_service, score_average, user_id,
                       company_id, create_uid, write_uid, create_date, write_date)
                SELECT 'bench', c.partner_id, c.partner_id, c.date::date,
                       c.date::date, 'done', 'phone', 1 + mod(b.n, 5),
                       1 + mod(b.n, 4), 2 + mod(b.n, 4),
                       ((1 + mod(b.n, 5)) + (1 + mod(b.n, 4)) + (2 + mod(b.n, 4)))
                           / 3.0,
                       c.user_id, c.company_id, 1, 1, now(), now()
                  FROM bench_claim b JOIN qms_claim c ON c.name = 'BENCH/' || b.n
                 WHERE mod(b.n, 10) = 0
                    """
                )
            )
            cr.execute("DROP TABLE bench_claim")

    def _grow_reviews(self, first, last):
        """Rounds of the last 10 days are pending, older ones decided (one in
        twenty rejected); 8 department lines a round, each with its reviewer."""
        cr = self.cr
        per_round = DEPARTMENTS
        first_round = (first - 1) // per_round + 1
        last_round = last // per_round
        order = self.review_order
        with BulkInsert(
            cr,
            "qms_contract_review",
            "qms_contract_review_line",
            "qms_review_line_user_rel",
        ):
            cr.execute(
                SQL(
                    """
                INSERT INTO qms_contract_review (order_id, company_id, partner_id,
                       revision, kind, state, name, requested_on, decided_on,
                       create_uid, write_uid, create_date, write_date)
                SELECT %(order)s, %(company)s, %(partner)s, 1000 + s.n, 'initial',
                       CASE WHEN %(age)s < 10 THEN 'pending'
                            WHEN mod(s.n, 20) = 0 THEN 'rejected'
                            ELSE 'approved' END,
                       'BENCH/R' || s.n,
                       now() - %(age)s * interval '1 day',
                       CASE WHEN %(age)s >= 10
                            THEN now() - (%(age)s - 2) * interval '1 day' END,
                       1, 1, now(), now()
                  FROM generate_series(%(first)s, %(last)s) AS s(n)
                    """,
                    order=order.id,
                    company=order.company_id.id,
                    partner=order.partner_id.id,
                    age=self._days_ago("review lines", f"(s.n * {per_round})"),
                    first=first_round,
                    last=last_round,
                )
            )
            cr.execute(
                SQL(
                    """
                INSERT INTO qms_contract_review_line (review_id, order_id, company_id,
                       department_id, sequence, is_final, state, review_state,
                       review_kind, waiting, decided_on, create_uid, write_uid,
                       create_date, write_date)
                SELECT r.id, r.order_id, r.company_id, d.dept, d.seq,
                       d.seq = %(ndept)s,
                       CASE WHEN r.state = 'pending' THEN 'pending'
                            WHEN r.state = 'rejected' AND d.seq = 1 THEN 'rejected'
                            ELSE 'approved' END,
                       r.state, 'initial', r.state = 'pending' AND d.seq < %(ndept)s,
                       r.decided_on, 1, 1, now(), now()
                  FROM qms_contract_review r
                 CROSS JOIN unnest(%(depts)s::int[]) WITH ORDINALITY AS d(dept, seq)
                 WHERE r.order_id = %(order)s AND r.revision BETWEEN %(first)s AND %(last)s
                    """,
                    ndept=per_round,
                    depts=self.departments.ids,
                    order=order.id,
                    first=1000 + first_round,
                    last=1000 + last_round,
                )
            )
            cr.execute(
                SQL(
                    """
                INSERT INTO qms_review_line_user_rel (line_id, user_id)
                SELECT l.id, (%(users)s::int[])[l.sequence]
                  FROM qms_contract_review_line l
                  JOIN qms_contract_review r ON r.id = l.review_id
                 WHERE r.order_id = %(order)s AND r.revision BETWEEN %(first)s AND %(last)s
                    """,
                    users=[u.id for u in self.reviewers],
                    order=order.id,
                    first=1000 + first_round,
                    last=1000 + last_round,
                )
            )


# ---------------------------------------------------------------- the screens
def view_spec(model, view_type):
    """The specification the web client sends to read a view's records."""
    view = model.get_views([(False, view_type)])
    arch = etree.fromstring(view["views"][view_type]["arch"])
    return _spec(model, arch, view["models"])


def _spec(model, node, models):
    spec = {}
    for field_node in node.iter("field"):
        # a field of an inline sub-view belongs to that sub-view
        parent = field_node.getparent()
        while parent is not None and parent is not node and parent.tag != "field":
            parent = parent.getparent()
        if parent is not node and parent is not None:
            continue
        name = field_node.get("name")
        field = model._fields.get(name)
        if field is None or name not in models[model._name]["fields"]:
            continue
        if field.type in ("one2many", "many2many"):
            sub = field_node.find("list")
            comodel = model.env[field.comodel_name]
            if sub is not None:
                spec[name] = {"fields": _spec(comodel, sub, models), "limit": 40}
            else:
                spec[name] = {"fields": {"display_name": {}}}
        elif field.type in ("many2one", "reference"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


class Screens:
    """What users open every day, each called as the web client calls it."""

    def __init__(self, history):
        h = history
        self.h = h
        self.lot = h.lot.with_user(h.manager)
        self.recall = h.env["qms.recall.scope"].with_user(h.manager)
        self.recall_list = view_spec(self.recall, "list")
        self.lot_form = view_spec(self.lot, "form")
        self.lines = h.env["qms.contract.review.line"].with_user(h.reviewers[3])
        self.lines_list = view_spec(self.lines, "list")
        self.claims = h.env["qms.claim"].with_user(h.service)
        self.claims_list = view_spec(self.claims, "list")
        self.open = [("stage", "in", ("new", "investigating", "action"))]

    def flat(self):
        """(label, function): the screens whose cost must not grow."""
        return [
            (
                "recall scope of the lot, as it opens (grouped by customer)",
                self.recall_grouped,
            ),
            ("recall scope, first page of 80 rows", self.recall_page),
            ("recall scope, all rows (8 columns)", self.recall_all),
            ("lot form with its counters and status history", self.lot_read),
            ("waiting for my review, first page", self.waiting),
            ("claim list (open), first page", self.claim_page),
            ("claim counters: open, overdue, my open", self.claim_counters),
        ]

    def others(self):
        return [
            ("claim kanban (open), read_group by stage", self.claim_kanban),
            ("monthly service report, figures", self.monthly_report),
        ]

    def recall_grouped(self):
        action = self.lot.action_qms_recall_scope()
        return self.recall.web_read_group(
            action["domain"],
            ["quantity:sum", "quantity_returned:sum", "quantity_net:sum"],
            ["partner_id"],
            limit=80,
            lazy=True,
        )

    def recall_page(self):
        return self.recall.web_search_read(
            [("lot_id", "in", self.lot.ids)],
            self.recall_list,
            limit=80,
            count_limit=10001,
        )

    def recall_all(self):
        return self.recall.search_read(
            [("lot_id", "in", self.lot.ids)],
            [
                "partner_id",
                "delivery_partner_id",
                "sale_order_id",
                "picking_id",
                "date",
                "quantity",
                "quantity_returned",
                "quantity_net",
            ],
        )

    def lot_read(self):
        return self.lot.web_read(self.lot_form)

    def waiting(self):
        uid = self.lines.env.uid
        return self.lines.web_search_read(
            [("waiting", "=", True), ("reviewer_ids", "in", [uid])],
            self.lines_list,
            limit=80,
            count_limit=10001,
        )

    def claim_page(self):
        return self.claims.web_search_read(
            self.open, self.claims_list, limit=80, count_limit=10001
        )

    def claim_counters(self):
        Claim = self.claims
        return (
            Claim.search_count(self.open),
            Claim.search_count([("is_overdue", "=", True)]),
            Claim.search_count([*self.open, ("user_id", "=", Claim.env.uid)]),
        )

    def claim_kanban(self):
        return self.claims.web_read_group(
            self.open, ["stage"], ["stage"], limit=80, lazy=True
        )

    def monthly_report(self):
        today = odoo.fields.Date.context_today(self.claims)
        return self.claims.env[
            "report.sales_qms.report_service_monthly"
        ]._get_report_values(
            [],
            {
                "date_from": str(today.replace(day=1)),
                "date_to": str(today),
                "company_id": self.claims.env.company.id,
            },
        )


def measure(env, func, runs, pg_cpu):
    """Median wall time, median CPU time (this process and its PostgreSQL
    backend: what a loaded machine changes least) and query count of func(),
    caches warm (one call before), records read again each time."""
    func()
    times, cpus, queries = [], [], 0
    for _i in range(runs):
        env.invalidate_all()
        count, start = env.cr.sql_log_count, time.perf_counter()
        cpu = time.process_time() + pg_cpu()
        func()
        times.append(time.perf_counter() - start)
        cpus.append(time.process_time() + pg_cpu() - cpu)
        queries = env.cr.sql_log_count - count
    return statistics.median(times), statistics.median(cpus), queries


# ---------------------------------------------------------------- the plans
class QueryLog:
    """The SQL run while it is on: (normalised text, last parameters) counted."""

    def __init__(self):
        self.on = False
        self.counts = Counter()
        self.last = {}

    def __enter__(self):
        self.original = Cursor.execute
        log = self

        def execute(cr, query, params=None, log_exceptions=True):
            if log.on:
                code, args = (
                    (query.code, query.params)
                    if isinstance(query, SQL)
                    else (query, params)
                )
                key = re.sub(
                    r"(%s)(, %s)+", r"\1, ...", re.sub(r"\s+", " ", code).strip()
                )
                log.counts[key] += 1
                log.last[key] = (code, args)
            return log.original(cr, query, params, log_exceptions)

        Cursor.execute = execute
        return self

    def __exit__(self, *exc):
        Cursor.execute = self.original


def order_workload(h):
    """One order confirmed and delivered with sales_qms: reviewed (on paper),
    inspected, signed, validated."""
    env = h.env
    stock = h.warehouse.lot_stock_id
    products = env["product.product"].create(
        [{"name": f"Bench stocked {i}", "is_storable": True} for i in range(5)]
    )
    for product in products:
        env["stock.quant"]._update_available_quantity(product, stock, 10)
    order = env["sale.order"].create(
        {
            "partner_id": h.partners[0].id,
            "order_line": [
                Command.create({"product_id": p.id, "product_uom_qty": 1})
                for p in products
            ],
        }
    )
    order._qms_record_paper_review("benchmark")
    order.action_confirm()
    picking = order.picking_ids
    picking.move_ids.picked = True
    h._pass_inspection(picking)
    picking.with_context(skip_sms=True).button_validate()
    env.flush_all()


def print_plans(env, log, top):
    # queries that read a sales_qms table (or view) that grows with history:
    # the configuration tables (departments, checklists) stay small
    qms = [
        (key, n) for key, n in log.counts.most_common() if re.search(HISTORY_RE, key)
    ]
    selects = [
        (k, n) for k, n in qms if k.lstrip("( ").upper().startswith(("SELECT", "WITH"))
    ]
    print(
        f"\nThe {top} queries on sales_qms history tables run most often by these "
        f"screens and an order confirmed and delivered ({sum(log.counts.values())} "
        f"queries in all, {sum(n for _k, n in qms)} on those tables), on the large "
        "history:"
    )
    for rank, (key, count) in enumerate(selects[:top], start=1):
        code, params = log.last[key]
        print(
            f"\n{rank}. run {count} times: {key[:300]}{'...' if len(key) > 300 else ''}"
        )
        env.cr.execute("SAVEPOINT bench_plan")
        try:
            query = (
                SQL(code, **params)
                if isinstance(params, dict)
                else SQL(code, *(params or ()))
            )
            env.cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", query))
            for (line,) in env.cr.fetchall():
                print(f"   {line[:160]}{'...' if len(line) > 160 else ''}")
        finally:
            env.cr.execute("ROLLBACK TO SAVEPOINT bench_plan")


# ---------------------------------------------------------------- main
def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply the sizes (0.1: a quick run)"
    )
    parser.add_argument("--top", type=int, default=5, help="query plans to print")
    parser.add_argument(
        "--random-page-cost",
        type=float,
        default=1.1,
        help="PostgreSQL's random_page_cost for the session (default 1.1, as on SSD)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="commit the history instead of rolling it back (to study plans on a "
        "copy of a database: that database keeps the history)",
    )
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    sizes = [{k: int(v * args.scale) for k, v in size.items()} for size in SIZES]
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr, QueryLog() as log:
        try:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            # PostgreSQL's default (4) models spinning disks: with it the planner
            # hashes whole tables rather than probe an index (core's delivery
            # counter of the lot form reads every transfer); 1.1 is the usual
            # setting on SSDs or a database in RAM (see README, Production notes)
            cr.execute(SQL("SET random_page_cost = %s", args.random_page_cost))
            pg_cpu = backend_cpu(env)
            start = time.perf_counter()
            history = History(env)
            print(
                f"set-up: users, the lot and its deliveries ({time.perf_counter() - start:.0f} s)"
            )
            screens = Screens(history)
            results = []
            for size in sizes:
                timings = history.grow(size)
                print(
                    "history: "
                    + ", ".join(f"{size[k]:,} {k} ({timings[k]:.0f} s)" for k in KINDS)
                )
                figures = {}
                for label, func in screens.flat() + screens.others():
                    figures[label] = measure(env, func, args.runs, pg_cpu)
                results.append(figures)
            # what the screens and an order run, on the large history
            log.on = True
            for _label, func in screens.flat():
                env.invalidate_all()
                func()
            order_workload(history)
            log.on = False
            report(sizes, results, screens)
            print_plans(env, log, args.top)
            if args.keep:
                cr.commit()
        finally:
            cr.rollback()


def report(sizes, results, screens):
    small, big = sizes
    head = (
        f"{small['move lines']:,} move lines, {small['claims']:,} claims, "
        f"{small['review lines']:,} review lines, {small['lot status log']:,} log rows"
    )
    tail = (
        f"{big['move lines']:,} / {big['claims']:,} / {big['review lines']:,} / "
        f"{big['lot status log']:,}"
    )
    print(f"\nsmall history: {head}; large history: {tail}")
    print(
        "median of the runs; cpu = this process and its PostgreSQL backend (what "
        "the load of a shared machine changes least)"
    )
    print(
        f"{'screen':<58} {'q':>3} | {'small ms':>8} {'cpu':>6} | {'large ms':>8} "
        f"{'cpu':>6} {'q':>3} | {'ratio':>5} {'cpu':>5}"
    )
    flat = {label for label, _f in screens.flat()}
    for label in results[0]:
        (t0, c0, q0), (t1, c1, q1) = results[0][label], results[1][label]
        mark = "" if label in flat else "  (not required flat)"
        print(
            f"{label:<58} {q0:3} | {t0 * 1e3:8.1f} {c0 * 1e3:6.1f} | {t1 * 1e3:8.1f} "
            f"{c1 * 1e3:6.1f} {q1:3} | {t1 / t0:5.2f} {c1 / c0:5.2f}{mark}"
        )


if __name__ == "__main__":
    main()
