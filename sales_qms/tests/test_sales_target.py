from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_sales_plan import SalesPlanCommon


@tagged("post_install", "-at_install")
class TestSalesTarget(SalesPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.month = date(2025, 3, 1)
        cls.in_month = date(2025, 3, 15)

    def _target(self, user=None, **vals):
        env = self.env(user=user or self.sales_manager)
        values = {
            "user_id": self.salesman.id,
            "period": "month",
            "date_from": self.month,
            "measure": "ordered",
            "target_value": 1000.0,
        }
        values.update(vals)
        if "team_id" in vals:
            values.pop("user_id")
        return env["qms.sales.target"].create(values)

    # ------------------------------------------------------------ figures
    def test_ordered_amount_of_the_salesperson_in_the_period(self):
        self._sell(self.salesman, self.coverall, 2, price=200, date=self.in_month)
        self._sell(self.salesman, self.gloves, 10, price=30, date=self.in_month)
        # not counted: before the period, another salesperson, a quotation
        self._sell(self.salesman, self.coverall, 5, price=200, date=date(2025, 2, 28))
        self._sell(self.other_salesman, self.coverall, 5, price=200, date=self.in_month)
        self._sell(self.salesman, self.coverall, 5, price=200, confirm=False)
        target = self._target()
        self.assertEqual(target.date_to, date(2025, 3, 31))
        self.assertAlmostEqual(target.actual_value, 700.0)
        self.assertAlmostEqual(target.achievement, 70.0)
        self.assertIn(self.salesman.name, target.name)

        team_target = self._target(team_id=self.team.id, period="quarter")
        self.assertEqual(team_target.date_to, date(2025, 5, 31))
        # the team's orders: both salespeople, from March on
        self.assertAlmostEqual(team_target.actual_value, 1700.0)

    def test_margin_and_quantity_by_category(self):
        self._sell(self.salesman, self.coverall, 3, price=200, date=self.in_month)
        self._sell(self.salesman, self.gloves, 10, price=30, date=self.in_month)
        margin = self._target(measure="margin")
        self.assertAlmostEqual(margin.actual_value, 3 * 80 + 10 * 10)
        by_product = self._target(measure="quantity", product_id=self.coverall.id)
        self.assertAlmostEqual(by_product.actual_value, 3)
        # the parent category counts its subcategories
        by_categ = self._target(measure="quantity", categ_id=self.categ_workwear.id)
        self.assertAlmostEqual(by_categ.actual_value, 13)
        by_subcateg = self._target(
            measure="quantity", categ_id=self.categ_antistatic.id
        )
        self.assertAlmostEqual(by_subcateg.actual_value, 3)
        with self.assertRaisesRegex(ValidationError, "product or a product category"):
            self._target(measure="quantity")

    def test_growth_against_last_year(self):
        self._sell(self.salesman, self.coverall, 5, price=200, date=date(2024, 3, 10))
        self._sell(self.salesman, self.coverall, 6, price=200, date=self.in_month)
        growth = self._target(measure="growth", target_value=110)
        self.assertAlmostEqual(growth.actual_value, 120.0)
        self.assertAlmostEqual(growth.achievement, 120.0 / 110 * 100, places=1)
        # no sales a year before: no growth figure rather than a division by zero
        other = self._target(
            measure="growth", user_id=self.other_salesman.id, target_value=110
        )
        self.assertEqual(other.actual_value, 0.0)

    def test_new_customers(self):
        self._sell(self.salesman, self.coverall, 1, date=date(2024, 6, 1))
        self._sell(self.salesman, self.coverall, 1, date=self.in_month)
        self._sell(
            self.salesman, self.coverall, 1, date=self.in_month, partner=self.customer2
        )
        self._sell(
            self.salesman,
            self.coverall,
            1,
            date=date(2025, 3, 20),
            partner=self.customer2,
        )
        target = self._target(measure="new_customers", target_value=2)
        # customer bought before; customer2 is new, counted once
        self.assertEqual(target.actual_value, 1.0)
        self.assertEqual(target.achievement, 50.0)

    def test_invoiced_net_of_credit_notes(self):
        if not self.env["account.account"].search_count(
            [("company_ids", "in", self.company.id)], limit=1
        ):
            self.skipTest("no chart of accounts in this database")
        order = self._sell(self.salesman, self.coverall, 4, price=200)
        invoice = order._create_invoices()
        invoice.invoice_date = self.in_month
        invoice.action_post()
        refund = invoice._reverse_moves(
            [{"invoice_date": self.in_month, "ref": "QMS test"}]
        )
        refund.invoice_line_ids.quantity = 1
        refund.action_post()
        target = self._target(measure="invoiced")
        self.assertAlmostEqual(target.actual_value, 600.0)

    def test_list_of_targets_in_constant_queries(self):
        """The plan-vs-actual list costs the same queries for 2 targets or 24."""
        self._sell(self.salesman, self.coverall, 1, date=self.in_month)
        targets = self.env["qms.sales.target"]
        for n in range(12):
            targets |= self._target(date_from=self.month + relativedelta(months=n))
            targets |= self._target(
                date_from=self.month + relativedelta(months=n),
                measure="growth",
                user_id=self.other_salesman.id,
            )
        names = ["name", "target_value", "actual_value", "achievement", "state"]
        counts = []
        for subset in (targets[:2], targets):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            subset.read(names)
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])

    # ------------------------------------------------------------ rules
    def test_only_sales_managers_set_and_approve_targets(self):
        with self.assertRaisesRegex(AccessError, "sales manager"):
            self._target(user=self.salesman)
        target = self._target()
        with self.assertRaises(AccessError):
            target.with_user(self.salesman).action_approve()
        with self.assertRaises(AccessError):
            target.with_user(self.salesman).write({"target_value": 1})
        # RPC-style write of the state: a system field
        with self.assertRaisesRegex(AccessError, "recorded by the system"):
            target.with_user(self.sales_manager).write({"state": "approved"})
        target.with_user(self.sales_manager).action_approve()
        self.assertEqual(target.state, "approved")
        self.assertEqual(target.approved_by, self.sales_manager)

    def test_no_one_approves_their_own_target(self):
        target = self._target(user=self.qms_manager, user_id=self.sales_manager.id)
        with self.assertRaisesRegex(AccessError, "yours"):
            target.with_user(self.sales_manager).action_approve()
        target.with_user(self.qms_manager).action_approve()

    def test_approved_target_is_closed_and_replaced_not_changed(self):
        self._sell(self.salesman, self.coverall, 2, price=200, date=self.in_month)
        target = self._target()
        target.action_approve()
        for vals in (
            {"target_value": 5000},
            {"date_from": date(2025, 4, 1)},
            {"user_id": self.other_salesman.id},
        ):
            with self.assertRaisesRegex(UserError, "close it and replace it"):
                target.with_user(self.sales_manager).write(vals)
        # a batch write with a draft among approved targets is refused too
        draft = self._target(date_from=date(2025, 4, 1))
        with self.assertRaises(UserError):
            (draft | target).with_user(self.sales_manager).write({"target_value": 1})
        with self.assertRaisesRegex(UserError, "audit records"):
            target.with_user(self.sales_manager).unlink()
        action = target.with_user(self.sales_manager).action_replace()
        new = self.env["qms.sales.target"].browse(action["res_id"])
        self.assertEqual(target.state, "closed")
        self.assertEqual(new.state, "draft")
        self.assertEqual(new.replaces_id, target)
        self.assertEqual(target.replaced_by_id, new)
        self.assertAlmostEqual(target.actual_value, 400.0)
        # frozen: a later order does not change a closed target
        self._sell(self.salesman, self.coverall, 3, price=200, date=self.in_month)
        target.invalidate_recordset()
        self.assertAlmostEqual(target.actual_value, 400.0)
        self.assertAlmostEqual(new.actual_value, 1000.0)
        new.with_user(self.sales_manager).write({"target_value": 1500})
        draft.with_user(self.sales_manager).unlink()

    def test_visibility(self):
        mine = self._target()
        other = self._target(user_id=self.other_salesman.id)
        team = self._target(team_id=self.team.id)
        foreign_team = self._target(user=self.other_manager, team_id=self.other_team.id)
        # a sales manager sets targets for the teams they lead only
        with self.assertRaises(AccessError):
            self._target(team_id=self.other_team.id)
        Target = self.env["qms.sales.target"]
        seen = Target.with_user(self.salesman).search([])
        self.assertIn(mine, seen)
        self.assertIn(team, seen)
        self.assertNotIn(other, seen)
        self.assertNotIn(foreign_team, seen)
        with self.assertRaises(AccessError):
            other.with_user(self.salesman).read(["actual_value"])
        seen = Target.with_user(self.sales_manager).search([])
        self.assertTrue({mine, other, team} <= set(seen))
        self.assertNotIn(foreign_team, seen)
        seen = Target.with_user(self.other_manager).search([])
        self.assertIn(foreign_team, seen)
        self.assertNotIn(mine, seen)
        self.assertTrue(
            {mine, other, team, foreign_team}
            <= set(Target.with_user(self.qms_manager).search([]))
        )

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "QMS Other Co"})
        target = self._target(user=self.qms_manager)
        target_other = self.env["qms.sales.target"].create(
            {
                "user_id": self.salesman.id,
                "company_id": other_company.id,
                "date_from": self.month,
                "target_value": 10,
            }
        )
        seen = self.env["qms.sales.target"].with_user(self.qms_manager).search([])
        self.assertIn(target, seen)
        self.assertNotIn(target_other, seen)

    def test_plan_vs_actual_analysis(self):
        self._sell(self.salesman, self.coverall, 2, price=200, date=self.in_month)
        self._sell(self.other_salesman, self.gloves, 10, price=30, date=self.in_month)
        quarter = self._target(
            team_id=self.team.id, period="quarter", target_value=3000
        )
        quarter.action_approve()
        self.env.flush_all()
        Analysis = self.env["qms.sales.analysis"]
        rows = Analysis._read_group(
            [
                ("team_id", "=", self.team.id),
                ("date", ">=", self.month),
                ("date", "<", date(2025, 6, 1)),
                "|",
                ("target_scope", "=", "team"),
                ("kind", "=", "actual"),
            ],
            ["date:month"],
            ["planned_amount:sum", "amount:sum"],
        )
        by_month = {month.month: (planned, actual) for month, planned, actual in rows}
        self.assertAlmostEqual(by_month[3][0], 1000.0)
        self.assertAlmostEqual(by_month[3][1], 700.0)
        self.assertAlmostEqual(by_month[5][0], 1000.0)
        # per category and salesperson, with drill-down to the orders
        rows = Analysis._read_group(
            [("kind", "=", "actual"), ("team_id", "=", self.team.id)],
            ["categ_id"],
            ["amount:sum"],
        )
        self.assertEqual(
            dict(rows),
            {self.categ_antistatic: 400.0, self.categ_workwear: 300.0},
        )
        row = Analysis.search(
            [("kind", "=", "actual"), ("user_id", "=", self.salesman.id)], limit=1
        )
        self.assertEqual(row.action_open_order()["res_model"], "sale.order")
        # salespeople see their own rows only
        seen = Analysis.with_user(self.salesman).search([])
        self.assertEqual(set(seen.mapped("user_id")), {self.salesman})

    def test_sales_cycle(self):
        order = self._sell(self.salesman, self.coverall, 1)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order SET create_date = date_order - interval '3 days' "
            "WHERE id = %s",
            [order.id],
        )
        self._stock(self.coverall, 1)
        self._deliver(order)
        self.env.flush_all()
        row = self.env["qms.sales.cycle.report"].search([("order_id", "=", order.id)])
        self.assertAlmostEqual(row.days_to_confirm, 3.0, places=2)
        self.assertTrue(row.delivery_date)
        self.assertGreaterEqual(row.days_to_deliver, 0.0)
        rows = self.env["qms.sales.cycle.report"]._read_group(
            [("team_id", "=", self.team.id)], ["team_id"], ["days_to_confirm:avg"]
        )
        self.assertAlmostEqual(rows[0][1], 3.0, places=2)
        self.assertLessEqual(abs((fields.Date.today() - row.date).days), 1)
