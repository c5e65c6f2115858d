"""The management review: inputs compiled from the records and frozen with it,
decisions with owners and activities, approval by the chair only, approved
reviews kept as they are."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_objectives import ObjectivesCommon


@tagged("post_install", "-at_install")
class TestManagementReview(ObjectivesCommon):
    """Q1 2020: claims of two customers (2 complaints, 1 return), an open
    corrective action; the review of January 2020, approved, left one decision
    done and one open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "佛山供电局 (QMS review customer)", "is_company": True}
        )
        cls.claims = (
            cls._claim("2020-02-03 02:00:00")
            | cls._claim("2020-02-04 02:00:00", claim_type="return")
            | cls._claim(
                "2020-03-05 02:00:00",
                partner_id=cls.other_customer.id,
                action_ids=[
                    Command.create(
                        {
                            "kind": "corrective",
                            "description": "缝线张力每班检查",
                            "owner_id": cls.qms_manager.id,
                            "due_date": "2020-03-20",
                        }
                    )
                ],
            )
        )
        Review = cls.env["qms.management.review"]
        with freeze_time("2020-01-15 02:00:00"):
            cls.previous = Review.create(
                {
                    "date": "2020-01-15",
                    "period_start": "2019-01-01",
                    "period_end": "2019-12-31",
                    "chair_id": cls.gm.id,
                    "participant_ids": [Command.set((cls.gm | cls.qms_manager).ids)],
                    "conclusion": "Effective.",
                    "decision_ids": [
                        Command.create(
                            {
                                "description": "Train the packers on labels",
                                "kind": "improvement",
                                "owner_id": cls.service.id,
                                "due_date": "2020-02-01",
                            }
                        ),
                        Command.create(
                            {
                                "description": "Second QC inspector",
                                "kind": "resource",
                                "owner_id": cls.qms_manager.id,
                                "due_date": "2020-06-30",
                            }
                        ),
                    ],
                }
            )
            cls.previous.with_user(cls.qms_manager).action_compile_inputs()
            cls.previous.with_user(cls.qms_manager).action_submit()
            cls.previous.with_user(cls.gm).action_approve()
        cls.done_decision, cls.open_decision = cls.previous.decision_ids.sorted(
            "due_date"
        )
        with freeze_time("2020-01-30 02:00:00"):
            cls.done_decision.with_user(cls.service).write(
                {"result": "Trained 12 packers"}
            )
            cls.done_decision.with_user(cls.service).action_done()
        cls.review = Review.create(
            {
                "date": "2020-04-10",
                "period_start": "2020-01-01",
                "period_end": "2020-03-31",
                "chair_id": cls.gm.id,
                "participant_ids": [
                    Command.set((cls.gm | cls.qms_manager | cls.service).ids)
                ],
            }
        )

    def _compile(self, review=None):
        with freeze_time("2020-04-09 02:00:00"):
            (review or self.review).with_user(self.qms_manager).action_compile_inputs()

    def _submit(self, review=None):
        self._compile(review)
        (review or self.review).with_user(self.qms_manager).action_submit()

    def _approve(self, review=None, user=None):
        review = review or self.review
        review.with_user(self.qms_manager).write(
            {"conclusion": "Suitable and effective."}
        )
        review.with_user(user or self.gm).action_approve()

    def test_compile_inputs(self):
        self._compile()
        data = self.review.input_data
        self.assertEqual(
            data["scope"],
            {
                "company_id": self.company.id,
                "date": "2020-04-10",
                "period_start": "2020-01-01",
                "period_end": "2020-03-31",
            },
        )
        # (a) the decisions of the previous review: one done, one open
        previous = {row["description"]: row for row in data["previous_actions"]}
        self.assertEqual(previous["Train the packers on labels"]["state"], "done")
        self.assertEqual(previous["Second QC inspector"]["state"], "open")
        self.assertFalse(previous["Second QC inspector"]["overdue"])
        # (c) customer feedback
        self.assertEqual(
            {row["claim_type"]: row["count"] for row in data["claims_by_type"]},
            {"complaint": 2, "return": 1},
        )
        self.assertEqual(data["top_customers"][0]["count"], 2)
        self.assertIn("QMS test customer", data["top_customers"][0]["customer"])
        # process performance: every indicator
        self.assertEqual(len(data["indicators"]), 16)
        # corrective actions of the claims
        self.assertEqual(data["claim_actions"]["summary"][0]["open"], 1)
        self.assertEqual(
            data["claim_actions"]["open"][0]["description"], "缝线张力每班检查"
        )
        self.assertTrue(data["claim_actions"]["open"][0]["overdue"])
        self.assertEqual(data["monitoring"]["claims"], 3)
        self.assertEqual(self.review.inputs_compiled_by, self.qms_manager)
        html = str(self.review.with_user(self.qms_user).inputs_html)
        self.assertIn("Status of actions from previous management reviews", html)
        self.assertIn("Second QC inspector", html)

    def test_who_compiles(self):
        for user in (self.qms_user, self.salesman, self.gm):
            with self.assertRefused(AccessError, "QMS manager"):
                self.review.with_user(user).action_compile_inputs()
        with self.assertRefused(AccessError):
            self.review.with_user(self.employee).action_compile_inputs()
        # the inputs are written by the system only
        with self.assertRefused(AccessError):
            self.review.with_user(self.qms_manager).write({"input_data": {"x": 1}})
        with self.assertRefused(AccessError):
            self.review.with_user(self.qms_manager).write({"state": "approved"})

    def test_inputs_frozen_with_the_review(self):
        self._submit()
        frozen = dict(self.review.input_data)
        self._claim("2020-03-20 02:00:00", claim_type="repair")
        self.assertEqual(self.review.input_data, frozen)
        with self.assertRefused(UserError, "frozen"):
            self.review.with_user(self.qms_manager).action_compile_inputs()
        with self.assertRefused(UserError, "in review"):
            self.review.with_user(self.qms_manager).write({"period_end": "2020-03-15"})
        # back to draft to compile again: the new claim is counted
        self.review.with_user(self.qms_manager).action_reset_to_draft()
        self._compile()
        self.assertEqual(self.review.input_data["monitoring"]["claims"], 4)

    def test_submit(self):
        with self.assertRefused(UserError, "not compiled"):
            self.review.with_user(self.qms_manager).action_submit()
        self._compile()
        self.review.with_user(self.qms_manager).write({"period_end": "2020-02-29"})
        with self.assertRefused(UserError, "compile them again"):
            self.review.with_user(self.qms_manager).action_submit()
        self._compile()
        with self.assertRefused(AccessError, "QMS manager"):
            self.review.with_user(self.qms_user).action_submit()
        self.review.with_user(self.qms_manager).action_submit()
        self.assertEqual(self.review.state, "in_review")
        # the chair is asked to approve
        self.assertEqual(self.review.activity_ids.user_id, self.gm)

    def test_approval_by_the_chair_only(self):
        self._submit()
        self.review.with_user(self.qms_manager).write(
            {
                "decision_ids": [
                    Command.create(
                        {
                            "description": "Cut claims per 1,000 lines below 4",
                            "owner_id": self.service.id,
                            "due_date": "2020-09-30",
                        }
                    )
                ]
            }
        )
        for user in (self.qms_manager, self.qms_manager2, self.service):
            with self.assertRefused(AccessError, "chair"):
                self.review.with_user(user).action_approve()
        # superuser code is no chair either
        with self.assertRefused(AccessError, "chair"):
            self.review.action_approve()
        with self.assertRefused(UserError, "conclusion"):
            self.review.with_user(self.gm).action_approve()
        with freeze_time("2020-04-10 08:00:00"):
            self._approve()
        self.assertEqual(self.review.state, "approved")
        self.assertEqual(self.review.approved_by, self.gm)
        self.assertEqual(str(self.review.approved_on), "2020-04-10 08:00:00")
        self.assertFalse(self.review.activity_ids)
        decision = self.review.decision_ids
        self.assertEqual(decision.activity_ids.user_id, self.service)
        self.assertEqual(str(decision.activity_ids.date_deadline), "2020-09-30")
        # only the server-side paper path may record another's approval
        with self.assertRefused(AccessError):
            self.previous.with_user(self.qms_manager)._qms_record_paper_approval("x")

    def test_approved_review_is_immutable(self):
        self._submit()
        self._approve()
        manager = self.review.with_user(self.qms_manager)
        for vals in (
            {"conclusion": "Changed"},
            {"participant_ids": [Command.clear()]},
            {"chair_id": self.qms_manager.id},
            {"state": "draft"},
        ):
            with self.assertRefused(UserError, "approved"):
                manager.write(vals)
        with self.assertRefused(UserError, "only a draft"):
            manager.unlink()
        with self.assertRefused(UserError, "only a draft"):
            self.review.unlink()
        with self.assertRefused(UserError, "frozen"):
            manager.action_compile_inputs()
        with self.assertRefused(UserError):
            manager.action_reset_to_draft()
        with self.assertRefused(UserError, "approved"):
            self.env["qms.management.review.action"].with_user(self.qms_manager).create(
                {
                    "review_id": self.review.id,
                    "description": "Late addition",
                    "owner_id": self.service.id,
                    "due_date": "2020-05-01",
                }
            )
        # the chatter stays open
        manager.message_post(body="Minutes filed")

    def test_decisions_followed_to_closure(self):
        decision = self.open_decision
        # the decision itself stays as approved
        with self.assertRefused(UserError, "approved"):
            decision.with_user(self.qms_manager).write({"description": "Other"})
        with self.assertRefused(UserError, "approved"):
            decision.with_user(self.qms_manager).unlink()
        # its owner records the result; nobody else does
        with self.assertRefused(AccessError):
            decision.with_user(self.service).write({"result": "Not mine"})
        with self.assertRefused(AccessError, "owner"):
            decision.with_user(self.service).action_done()
        with self.assertRefused(UserError, "result"):
            decision.with_user(self.qms_manager).action_done()
        # a QMS manager re-plans it: the owner's activity follows
        decision.with_user(self.qms_manager).write({"due_date": "2020-07-31"})
        self.assertEqual(str(decision.activity_ids.date_deadline), "2020-07-31")
        with freeze_time("2020-07-01 02:00:00"):
            decision.with_user(self.qms_manager).write(
                {"result": "Zhang Hua certified"}
            )
            decision.with_user(self.qms_manager).action_done()
        self.assertEqual(decision.state, "done")
        self.assertEqual(str(decision.done_date), "2020-07-01")
        self.assertEqual(decision.done_by, self.qms_manager)
        self.assertFalse(decision.activity_ids)
        with self.assertRefused(UserError, "done"):
            decision.with_user(self.qms_manager).write({"result": "Changed"})
        with self.assertRefused(UserError):
            decision.with_user(self.qms_manager).write({"state": "open"})

    def test_draft_decisions(self):
        decision = (
            self.env["qms.management.review.action"]
            .with_user(self.qms_manager)
            .create(
                {
                    "review_id": self.review.id,
                    "description": "Add a label check at packing",
                    "owner_id": self.service.id,
                    "due_date": "2020-06-30",
                }
            )
        )
        # no activity before the approval
        self.assertFalse(decision.activity_ids)
        with self.assertRefused(AccessError):
            decision.with_user(self.qms_user).write({"description": "x"})
        with self.assertRefused(AccessError):
            self.env["qms.management.review.action"].with_user(self.qms_user).create(
                {
                    "review_id": self.review.id,
                    "description": "x",
                    "owner_id": self.service.id,
                    "due_date": "2020-06-30",
                }
            )
        with self.assertRefused(UserError, "closed once its review is approved"):
            decision.with_user(self.service).action_done()
        decision.with_user(self.qms_manager).unlink()

    def test_batch_approval_all_or_nothing(self):
        second = self.review.copy(
            {"date": "2020-04-11", "chair_id": self.qms_manager.id}
        )
        for review in self.review | second:
            self._submit(review)
            review.with_user(self.qms_manager).write({"conclusion": "OK"})
        with self.assertRefused(AccessError, "chair"):
            (self.review | second).with_user(self.gm).action_approve()
        self.assertEqual((self.review | second).mapped("state"), ["in_review"] * 2)

    def test_draft_may_be_deleted(self):
        draft = self.review.copy()
        self.assertNotEqual(draft.name, self.review.name)
        draft.with_user(self.qms_manager).unlink()
        self.assertFalse(draft.exists())
        with self.assertRefused(AccessError):
            self.review.with_user(self.qms_user).unlink()

    def test_other_company(self):
        with self.assertRefused(UserError):
            self.env["qms.management.review"].with_user(self.qms_manager).create(
                {
                    "company_id": self.other_company.id,
                    "date": "2020-04-10",
                    "period_start": "2020-01-01",
                    "period_end": "2020-03-31",
                    "chair_id": self.gm.id,
                }
            )
