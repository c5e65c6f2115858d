"""Monthly statistics and technician evaluations: figures from the service
data, manager's scores, approval by a QMS manager; approved evaluations are
audit records."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_service import ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceEvaluation(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.month_start = cls.today.replace(day=1)
        cls.month_end = cls.today + timedelta(days=1)

    def _backdate(self, request, hours_to_start, hours_to_done, done_ago=1):
        """The request was received hours_to_done + done_ago hours ago."""
        done = fields.Datetime.now() - timedelta(hours=done_ago)
        received = done - timedelta(hours=hours_to_done)
        request._qms_system_write(
            {
                "date_request": received,
                "date_start": received + timedelta(hours=hours_to_start),
                "date_done": done,
            }
        )

    def test_statistics_from_the_service_data(self):
        first = self._signed()
        first.with_user(self.service).action_close()
        self._backdate(first, 2, 10)
        late = self._signed()
        late.with_user(self.technician).write({"customer_rating": 2})
        self._backdate(late, 4, 60, done_ago=2)  # the SLA is 48 hours
        # a repeat of the first one: it was not fixed the first time
        self.assertEqual(self._request().repeat_of_id, first)
        claim = late.with_user(self.service).action_create_claim()
        self.assertTrue(claim["res_id"])
        Evaluation = self.env["qms.service.evaluation"]
        self.env.flush_all()
        with self.assertQueryCount(__system__=2):
            stats = Evaluation._statistics(
                self.company, self.month_start, self.month_end
            )
        figures = stats[self.technician.id]
        self.assertEqual(figures["requests_done"], 2)
        self.assertEqual(figures["on_time_rate"], 50.0)
        self.assertAlmostEqual(figures["response_hours"], 3.0)
        self.assertAlmostEqual(figures["resolution_hours"], 35.0)
        self.assertEqual(figures["first_time_fix_rate"], 50.0)
        self.assertEqual(figures["rating_avg"], 3.0)
        self.assertEqual(figures["claims_caused"], 1)
        self.assertEqual(figures["work_hours"], 4.0)
        self.assertNotIn(self.technician2.id, stats)

    def test_generate_review_and_approve(self):
        self._signed()
        Evaluation = self.env["qms.service.evaluation"]
        with self.assertRaises(AccessError):
            Evaluation.with_user(self.technician)._generate(
                self.month_start, self.month_end, self.company
            )
        evaluations = Evaluation.with_user(self.service)._generate(
            self.month_start, self.month_end, self.company
        )
        mine = evaluations.filtered(lambda e: e.user_id == self.technician)
        self.assertEqual(mine.requests_done, 1)
        self.assertIn(self.technician2, evaluations.user_id)
        # re-entry: no duplicates, drafts refreshed
        self._signed()
        again = Evaluation.with_user(self.service)._generate(
            self.month_start, self.month_end, self.company
        )
        self.assertEqual(again, evaluations)
        self.assertEqual(mine.requests_done, 2)
        # the figures are the system's
        with self.assertRaises(AccessError):
            mine.with_user(self.qms_manager).write({"requests_done": 10})
        with self.assertRaises(AccessError):
            mine.with_user(self.qms_manager).write({"state": "approved"})
        # technicians read their own evaluation only
        self.assertEqual(Evaluation.with_user(self.technician).search([]), mine)
        with self.assertRaises(AccessError):
            mine.with_user(self.technician).write({"score_skill": 5})
        # approval: a QMS manager, the scores given
        with self.assertRaises(AccessError):
            mine.with_user(self.service).action_approve()
        with self.assertRefused(UserError, "manager's scores"):
            mine.with_user(self.qms_manager).action_approve()
        mine.with_user(self.service).write(
            {"score_quality": 4, "score_attitude": 5, "score_skill": 4}
        )
        self.assertAlmostEqual(mine.manager_score, 260 / 3, places=1)
        self.assertTrue(mine.total_score)
        mine.with_user(self.qms_manager).action_approve()
        self.assertEqual(mine.state, "approved")
        self.assertEqual(mine.approved_by_id, self.qms_manager)
        # an approved evaluation is kept as it is, and never deleted
        with self.assertRefused(UserError, "kept as it is"):
            mine.with_user(self.qms_manager).write({"score_skill": 1})
        with self.assertRefused(UserError, "figures are kept"):
            mine.with_user(self.service).action_refresh()
        with self.assertRaises(UserError):
            mine.sudo().unlink()
        # a later generation keeps it
        Evaluation.with_user(self.service)._generate(
            self.month_start, self.month_end, self.company
        )
        self.assertEqual(mine.requests_done, 2)

    def test_nobody_approves_their_own_evaluation(self):
        self.qms_manager.groups_id |= self.env.ref(
            "sales_qms.group_qms_service_technician"
        )
        evaluation = self.env["qms.service.evaluation"].create(
            {
                "user_id": self.qms_manager.id,
                "date_from": self.month_start,
                "date_to": self.month_end,
                "score_quality": 3,
                "score_attitude": 3,
                "score_skill": 3,
            }
        )
        with self.assertRefused(UserError, "their own evaluation"):
            evaluation.with_user(self.qms_manager).action_approve()
        evaluation.with_user(self.qms_manager2).action_approve()

    def test_evaluate_from_the_monthly_report_wizard(self):
        self._signed()
        wizard = (
            self.env["qms.service.report.wizard"]
            .with_user(self.service)
            .create({"date_from": self.month_start, "date_to": self.today})
        )
        action = wizard.action_generate_evaluations()
        evaluations = self.env["qms.service.evaluation"].search(action["domain"])
        self.assertIn(self.technician, evaluations.user_id)
        wizard = (
            self.env["qms.service.report.wizard"]
            .with_user(self.qms_user)
            .create({"date_from": self.month_start, "date_to": self.today})
        )
        with self.assertRaises(AccessError):
            wizard.action_generate_evaluations()
        self.assertEqual(
            fields.Date.to_date(evaluations[0].date_from), self.month_start
        )
