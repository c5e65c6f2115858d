from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_sales_plan import SalesPlanCommon


@tagged("post_install", "-at_install")
class TestSalesTask(SalesPlanCommon):
    def _task(self, user=None, **vals):
        return (
            self.env["qms.sales.task"]
            .with_user(user or self.sales_manager)
            .create(
                {
                    "user_id": self.salesman.id,
                    "partner_id": self.customer.id,
                    "product_id": self.coverall.id,
                    "quantity": 10,
                    "date_deadline": date(2030, 1, 31),
                    **vals,
                }
            )
        )

    def test_progress_from_linked_order_lines(self):
        task = self._task()
        order = self._sell(self.salesman, self.coverall, 6)
        quotation = self._sell(self.salesman, self.coverall, 50, confirm=False)
        task.with_user(self.salesman).write(
            {
                "sale_order_line_ids": [
                    Command.link(order.order_line.id),
                    Command.link(quotation.order_line.id),
                ]
            }
        )
        self.assertEqual(task.ordered_qty, 6)  # quotations do not count
        self.assertEqual(task.delivered_qty, 0)
        self.assertEqual(task.progress, 0)
        self._stock(self.coverall, 6)
        self._deliver(order)
        task.invalidate_recordset()
        self.assertEqual(task.delivered_qty, 6)
        self.assertAlmostEqual(task.progress, 60.0)
        with self.assertRaisesRegex(UserError, "6.0 of 10.0 delivered"):
            task.with_user(self.salesman).action_done()
        order2 = self._sell(self.salesman, self.coverall, 4)
        self._stock(self.coverall, 4)
        self._deliver(order2)
        task.with_user(self.salesman).sale_order_line_ids = [
            Command.link(order2.order_line.id)
        ]
        self.assertEqual(task.progress, 100.0)
        task.with_user(self.salesman).action_done()
        self.assertEqual(task.state, "done")
        self.assertTrue(task.done_on)

    def test_salesperson_links_lines_but_does_not_reissue(self):
        task = self._task()
        with self.assertRaisesRegex(AccessError, "sales manager"):
            self._task(user=self.salesman)
        for vals in (
            {"quantity": 1},
            {"date_deadline": date(2040, 1, 1)},
            {"user_id": self.other_salesman.id},
        ):
            with self.assertRaisesRegex(AccessError, "set by whoever issued it"):
                task.with_user(self.salesman).write(vals)
        with self.assertRaises(AccessError):
            task.with_user(self.salesman).write({"state": "done"})
        with self.assertRaisesRegex(AccessError, "recorded by the system"):
            task.with_user(self.sales_manager).write({"state": "done"})
        with self.assertRaises(AccessError):
            task.with_user(self.salesman).action_cancel()
        with self.assertRaises(AccessError):
            task.with_user(self.salesman).unlink()
        task.with_user(self.sales_manager).write({"quantity": 12})

    def test_linked_lines_must_fit_the_task(self):
        task = self._task()
        gloves = self._sell(self.salesman, self.gloves, 1)
        with self.assertRaisesRegex(ValidationError, "another product"):
            task.with_user(self.salesman).sale_order_line_ids = [
                Command.link(gloves.order_line.id)
            ]
        other_customer = self._sell(
            self.salesman, self.coverall, 1, partner=self.customer2
        )
        task = self._task()
        with self.assertRaisesRegex(ValidationError, "another customer"):
            task.with_user(self.salesman).sale_order_line_ids = [
                Command.link(other_customer.order_line.id)
            ]
        with self.assertRaisesRegex(ValidationError, "sales team"):
            self._task(user_id=False)

    def test_visibility_and_closing(self):
        mine = self._task()
        theirs = self._task(user_id=self.other_salesman.id)
        team = self._task(user_id=False, team_id=self.team.id)
        foreign = self._task(
            user=self.other_manager, user_id=False, team_id=self.other_team.id
        )
        Task = self.env["qms.sales.task"]
        seen = Task.with_user(self.salesman).search([])
        self.assertIn(mine, seen)
        self.assertIn(team, seen)
        self.assertNotIn(theirs, seen)
        self.assertNotIn(foreign, seen)
        with self.assertRaises(AccessError):
            theirs.with_user(self.salesman).action_done()
        seen = Task.with_user(self.sales_manager).search([])
        self.assertTrue({mine, theirs, team} <= set(seen))
        self.assertNotIn(foreign, seen)
        self.assertIn(foreign, Task.with_user(self.qms_manager).search([]))
        # the issuer closes early; a closed task is not changed
        theirs.with_user(self.sales_manager).action_done()
        with self.assertRaisesRegex(UserError, "not changed"):
            theirs.with_user(self.sales_manager).write({"quantity": 3})
        mine.with_user(self.sales_manager).action_cancel()
        self.assertEqual(mine.state, "cancelled")
        mine.with_user(self.sales_manager).action_reopen()
        self.assertEqual(mine.state, "open")

    def test_overdue(self):
        late = self._task(date_deadline=date(2030, 1, 10))
        on_time = self._task(date_deadline=date(2030, 1, 20))
        done = self._task(date_deadline=date(2030, 1, 1))
        done.action_done()
        with freeze_time("2030-01-15"):
            (late | on_time | done).invalidate_recordset(["is_overdue"])
            self.assertTrue(late.is_overdue)
            self.assertFalse(on_time.is_overdue)
            self.assertFalse(done.is_overdue)
            found = self.env["qms.sales.task"].search(
                [("is_overdue", "=", True), ("id", "in", (late | on_time | done).ids)]
            )
            self.assertEqual(found, late)
            found = self.env["qms.sales.task"].search(
                [("is_overdue", "=", False), ("id", "in", (late | on_time | done).ids)]
            )
            self.assertEqual(found, on_time | done)
