from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.res_company import EVALUATION_WEIGHTS
from .common_sales_plan import SalesPlanCommon
from .test_harness import _pdf_text


@tagged("post_install", "-at_install")
class TestSalesEvaluation(SalesPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["qms.sales.evaluation"])
        cls.date_from = cls.today.replace(day=1)
        cls.date_to = (cls.date_from + timedelta(days=32)).replace(day=1) - timedelta(
            days=1
        )
        cls.company.write(
            {
                "qms_eval_weight_results": 40,
                "qms_eval_weight_satisfaction": 20,
                "qms_eval_weight_quality": 15,
                "qms_eval_weight_delivery": 15,
                "qms_eval_weight_teamwork": 5,
                "qms_eval_weight_training": 5,
                "qms_eval_penalty": 10,
            }
        )
        cls._data()

    @classmethod
    def _data(cls):
        """This month: two orders of the salesperson (one delivered on time, one
        late), a follow-up visit, a claim, a rejected contract review, and an
        approved target of 2,000."""
        cls.env["qms.sales.target"].create(
            {
                "user_id": cls.salesman.id,
                "date_from": cls.date_from,
                "period": "month",
                "target_value": 2000,
            }
        ).action_approve()
        cls._stock(cls.coverall, 10)
        now = fields.Datetime.now()
        cls.on_time = cls._sell(
            cls.salesman,
            cls.coverall,
            4,
            price=200,
            commitment_date=now + timedelta(days=5),
        )
        cls.late = cls._sell(
            cls.salesman,
            cls.coverall,
            1,
            price=200,
            commitment_date=now - timedelta(days=3),
        )
        cls._deliver(cls.on_time)
        cls._deliver(cls.late)
        visit = cls.env["qms.followup.visit"].create(
            {
                "partner_id": cls.customer.id,
                "sale_order_id": cls.on_time.id,
                "user_id": cls.service.id,
                "score_quality": 4,
                "score_delivery": 5,
                "score_service": 3,
            }
        )
        visit.action_done()
        cls.env["qms.claim"].create(
            {
                "partner_id": cls.customer.id,
                "claim_type": "complaint",
                "severity": "minor",
                "sale_order_id": cls.late.id,
            }
        )
        # a contract review rejected by finance on one of the salesperson's quotations
        cls.company.qms_review_required = True
        for department in cls.env["qms.department"].search([]):
            department.user_ids = [Command.set(cls.qms_user.ids)]
        quotation = cls._sell(cls.salesman, cls.coverall, 1, confirm=False)
        quotation.action_qms_request_review()
        line = quotation.qms_review_id.line_ids[:1].with_user(cls.qms_user)
        line.write({"comment": "price below cost"})
        line.action_reject()
        cls.company.qms_review_required = False

    def _evaluation(self, user=None, **vals):
        return (
            self.env["qms.sales.evaluation"]
            .with_user(user or self.sales_manager)
            .create(
                {
                    "user_id": self.salesman.id,
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "score_teamwork": 80,
                    "score_training": 60,
                    "manager_comment": "团队合作良好",
                    **vals,
                }
            )
        )

    def test_figures_from_the_data(self):
        evaluation = self._evaluation()
        self.assertEqual(evaluation.manager_id, self.sales_manager)
        evaluation.with_user(self.sales_manager).action_compute_figures()
        self.assertEqual(evaluation.target_count, 1)
        self.assertAlmostEqual(evaluation.target_achievement, 50.0)
        self.assertAlmostEqual(evaluation.ordered_amount, 1000.0)
        self.assertAlmostEqual(evaluation.margin_amount, 5 * 80.0)
        self.assertEqual(evaluation.visit_count, 1)
        self.assertAlmostEqual(evaluation.satisfaction_score, 4.0)
        self.assertEqual(evaluation.claim_count, 1)
        self.assertEqual(evaluation.rejected_review_count, 1)
        self.assertEqual(evaluation.delivery_count, 2)
        self.assertEqual(evaluation.on_time_count, 1)
        self.assertAlmostEqual(evaluation.on_time_rate, 50.0)
        self.assertAlmostEqual(evaluation.score_results, 50.0)
        self.assertAlmostEqual(evaluation.score_satisfaction, 80.0)
        self.assertAlmostEqual(evaluation.score_quality, 80.0)
        self.assertAlmostEqual(evaluation.score_delivery, 50.0)
        expected = (40 * 50 + 20 * 80 + 15 * 80 + 15 * 50 + 5 * 80 + 5 * 60) / 100
        self.assertAlmostEqual(evaluation.total_score, expected)
        # the manager's scores move the total at once
        evaluation.with_user(self.sales_manager).score_teamwork = 100
        self.assertAlmostEqual(evaluation.total_score, expected + 1.0)
        # another salesperson's evaluation shows none of it
        other = self._evaluation(user_id=self.other_salesman.id)
        other.action_compute_figures()
        self.assertEqual(other.ordered_amount, 0)
        self.assertEqual(other.claim_count, 0)
        self.assertEqual(other.delivery_count, 0)
        # components without data are left out of the total
        self.assertAlmostEqual(other.total_score, (15 * 100 + 5 * 80 + 5 * 60) / 25)

    def test_figures_are_the_systems(self):
        evaluation = self._evaluation()
        for vals in (
            {"total_score": 100},
            {"ordered_amount": 1e6},
            {"state": "approved"},
            {"approved_by": self.sales_manager.id},
        ):
            with self.assertRaisesRegex(AccessError, "recorded by the system"):
                evaluation.with_user(self.sales_manager).write(vals)
        with self.assertRaisesRegex(AccessError, "recorded by the system"):
            self._evaluation(user_id=self.other_salesman.id, total_score=99)

    def test_figures_in_few_queries(self):
        evaluation = self._evaluation()
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        evaluation._qms_figures()
        self.assertLessEqual(self.env.cr.sql_log_count - before, 10)

    def test_workflow_and_frozen_figures(self):
        evaluation = self._evaluation()
        with self.assertRaisesRegex(UserError, "figures"):
            evaluation.with_user(self.sales_manager).action_submit()
        evaluation.with_user(self.sales_manager).action_compute_figures()
        evaluation.with_user(self.sales_manager).action_submit()
        with self.assertRaisesRegex(UserError, "draft"):
            evaluation.with_user(self.sales_manager).write({"score_teamwork": 10})
        # the person evaluated never approves; a manager who does not lead
        # their team does not either
        with self.assertRaises(AccessError):
            evaluation.with_user(self.salesman).action_approve()
        # (another team's manager does not even see it)
        with self.assertRaises(AccessError):
            evaluation.with_user(self.other_manager).action_approve()
        # a team member made sales manager is not its leader: no approver either
        self.other_salesman.groups_id = [
            Command.link(self.env.ref("sales_team.group_sale_manager").id)
        ]
        with self.assertRaises(AccessError):
            evaluation.with_user(self.other_salesman).action_approve()
        with self.assertRaisesRegex(UserError, "acknowledged"):
            evaluation.with_user(self.salesman).action_acknowledge()
        evaluation.with_user(self.sales_manager).action_approve()
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(evaluation.approved_by, self.sales_manager)
        frozen = {
            name: evaluation[name]
            for name in (
                "ordered_amount",
                "claim_count",
                "delivery_count",
                "visit_count",
                "target_achievement",
                "total_score",
            )
        }
        # the data changes afterwards: a new order, a new claim
        new_order = self._sell(self.salesman, self.coverall, 3, price=200)
        self._deliver(new_order)
        self.env["qms.claim"].create(
            {
                "partner_id": self.customer.id,
                "claim_type": "return",
                "severity": "major",
                "sale_order_id": new_order.id,
            }
        )
        self.env.flush_all()
        evaluation.invalidate_recordset()
        for name, value in frozen.items():
            self.assertEqual(evaluation[name], value, name)
        # nothing reopens or rewrites it
        with self.assertRaisesRegex(UserError, "draft"):
            evaluation.with_user(self.sales_manager).action_compute_figures()
        with self.assertRaisesRegex(UserError, "frozen"):
            evaluation.with_user(self.qms_manager).write({"manager_comment": "x"})
        for vals in ({"total_score": 100}, {"state": "draft"}):
            with self.assertRaises(UserError):
                evaluation.with_user(self.qms_manager).write(vals)
        with self.assertRaisesRegex(UserError, "audit records"):
            evaluation.with_user(self.qms_manager).unlink()
        with self.assertRaises(UserError):
            evaluation.with_user(self.sales_manager).action_reset_to_draft()
        # the salesperson acknowledges, once, and only they
        with self.assertRaises(AccessError):
            evaluation.with_user(self.other_salesman).action_acknowledge()
        evaluation.with_user(self.salesman).action_acknowledge(comment="收到")
        self.assertTrue(evaluation.acknowledged_on)
        self.assertEqual(evaluation.salesperson_comment, "收到")
        with self.assertRaises(UserError):
            evaluation.with_user(self.salesman).action_acknowledge()

    def test_who_evaluates_whom(self):
        with self.assertRaisesRegex(AccessError, "sales manager"):
            self._evaluation(user=self.salesman)
        with self.assertRaisesRegex(AccessError, "Nobody evaluates themselves"):
            self._evaluation(user=self.sales_manager, user_id=self.sales_manager.id)
        # a sales manager evaluated by a QMS manager: cannot touch their own
        own = self._evaluation(user=self.qms_manager, user_id=self.sales_manager.id)
        with self.assertRaisesRegex(AccessError, "yours"):
            own.with_user(self.sales_manager).write({"score_teamwork": 100})
        with self.assertRaisesRegex(AccessError, "yours"):
            own.with_user(self.sales_manager).action_compute_figures()
        own.with_user(self.qms_manager).action_compute_figures()
        own.with_user(self.qms_manager).action_submit()
        with self.assertRaisesRegex(AccessError, "evaluates you"):
            own.with_user(self.sales_manager).action_approve()
        # a QMS manager approves any evaluation but their own
        own.with_user(self.qms_manager2).action_approve()
        self.assertEqual(own.state, "approved")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.cr.savepoint():
                self._evaluation(user=self.qms_manager, user_id=self.sales_manager.id)

    def test_visibility(self):
        mine = self._evaluation()
        theirs = self._evaluation(user_id=self.other_salesman.id)
        Evaluation = self.env["qms.sales.evaluation"]
        self.assertEqual(
            Evaluation.with_user(self.salesman).search(
                [("id", "in", (mine | theirs).ids)]
            ),
            mine,
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.salesman).read(["total_score"])
        with self.assertRaises(AccessError):
            mine.with_user(self.salesman).write({"manager_comment": "great"})
        self.assertEqual(
            Evaluation.with_user(self.sales_manager).search(
                [("id", "in", (mine | theirs).ids)]
            ),
            mine | theirs,
        )
        self.assertFalse(
            Evaluation.with_user(self.other_manager).search(
                [("id", "in", (mine | theirs).ids)]
            )
        )
        self.assertFalse(
            Evaluation.with_user(self.service).search([("id", "in", mine.ids)])
        )
        # a draft may be deleted; it is not yet a record
        theirs.with_user(self.sales_manager).unlink()

    def test_evaluation_pdf(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        evaluation = self._evaluation()
        evaluation.action_compute_figures()
        evaluation.action_submit()
        evaluation.with_user(self.sales_manager).action_approve()
        evaluation.with_user(self.salesman).action_acknowledge()
        pdf, _fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, qms_report_lang="zh_CN")
            ._render_qweb_pdf(
                "sales_qms.action_report_qms_sales_evaluation", evaluation.ids
            )
        )
        text = _pdf_text(pdf)
        self.assertIn("销售业绩考核表", text)
        self.assertIn("团队合作良好", text)
        self.assertIn(evaluation.name, text)
        self.assertIn(self.salesman.name, text)
        self.assertIn(self.company.name, text)
        pdf, _fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, qms_report_lang="en_US")
            ._render_qweb_pdf(
                "sales_qms.action_report_qms_sales_evaluation", evaluation.ids
            )
        )
        self.assertIn("Salesperson Evaluation", _pdf_text(pdf))

    def test_weights_are_checked(self):
        with self.assertRaisesRegex(ValidationError, "weights"):
            self.company.qms_eval_weight_results = -1
        with self.assertRaisesRegex(ValidationError, "weights"):
            self.company.write(
                {f"qms_eval_weight_{name}": 0 for name in EVALUATION_WEIGHTS}
            )
