"""The planning screens in the browser: a sales manager sets and approves a
target and reads plan vs actual; a plan with a shortfall goes to purchasing;
an evaluation is submitted and approved by the manager, then acknowledged by
the salesperson. Each tour is followed by what it must have left in the
database."""

from datetime import date, datetime

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common_sales_plan import SalesPlanCommon


@tagged("post_install", "-at_install")
class TestPlanningTour(HttpCase, SalesPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the tours read English labels and dates
        (cls.sales_manager | cls.salesman).lang = "en_US"

    def test_target_approved_and_plan_vs_actual(self):
        today = fields.Date.context_today(self.env["qms.sales.target"])
        self._sell(self.salesman, self.coverall, 2, price=200, date=today)
        self._sell(self.salesman, self.gloves, 10, price=30, date=today)
        self.start_tour(
            "/odoo/action-sales_qms.qms_sales_target_action/new",
            "sales_qms_target_tour",
            login=self.sales_manager.login,
        )
        target = self.env["qms.sales.target"].search(
            [("user_id", "=", self.salesman.id)]
        )
        self.assertEqual(len(target), 1)
        self.assertEqual(target.state, "approved")
        self.assertEqual(target.approved_by, self.sales_manager)
        self.assertEqual(target.date_from, today.replace(day=1))
        self.assertEqual(target.target_value, 1000.0)
        self.assertAlmostEqual(target.actual_value, 700.0)
        self.assertAlmostEqual(target.achievement, 70.0)

    def test_plan_shortfall_sent_to_purchasing(self):
        purchasing = self.env["qms.department"].search(
            [("code", "=", "purchasing")], limit=1
        )
        purchasing.user_ids = [Command.set(self.qms_user.ids)]
        self._stock(self.coverall, 4)
        self._sell(
            self.salesman,
            self.coverall,
            10,
            commitment_date=datetime(2030, 5, 10, 8),
        )
        plan = (
            self.env["qms.sales.plan"]
            .with_user(self.sales_manager)
            .create({"date_from": date(2030, 5, 1), "date_to": date(2030, 5, 31)})
        )
        self.start_tour(
            f"/odoo/action-sales_qms.qms_sales_plan_action/{plan.id}",
            "sales_qms_plan_tour",
            login=self.sales_manager.login,
        )
        self.assertEqual(plan.state, "approved")
        self.assertTrue(plan.notified_on)
        line = plan.line_ids.filtered(lambda ln: ln.product_id == self.coverall)
        self.assertEqual(line.shortfall_qty, 6)
        activity = plan.activity_ids.filtered(lambda a: a.user_id == self.qms_user)
        self.assertEqual(len(activity), 1)
        self.assertIn("QMS plan coverall", activity.note)

    def test_evaluation_submitted_approved_acknowledged(self):
        today = fields.Date.context_today(self.env["qms.sales.evaluation"])
        self._sell(self.salesman, self.coverall, 3, price=200, date=today)
        evaluation = (
            self.env["qms.sales.evaluation"]
            .with_user(self.sales_manager)
            .create(
                {
                    "user_id": self.salesman.id,
                    "date_from": today.replace(day=1),
                    "date_to": today,
                }
            )
        )
        self.assertEqual(evaluation.manager_id, self.sales_manager)
        url = f"/odoo/action-sales_qms.qms_sales_evaluation_action/{evaluation.id}"
        self.start_tour(
            url, "sales_qms_evaluation_tour", login=self.sales_manager.login
        )
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(evaluation.approved_by, self.sales_manager)
        self.assertEqual(evaluation.submitted_by, self.sales_manager)
        self.assertAlmostEqual(evaluation.ordered_amount, 600.0)
        self.assertIn("steady month", evaluation.manager_comment)
        self.assertFalse(evaluation.acknowledged_on)
        self.start_tour(
            url, "sales_qms_evaluation_acknowledge_tour", login=self.salesman.login
        )
        self.assertTrue(evaluation.acknowledged_on)
