"""The annual after-sales service plan: prepared by customer service, approved
by a QMS manager other than its author, its lines becoming service requests in
their month."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_service import ServiceCommon

# a year no demo plan covers
YEAR = 2031


@tagged("post_install", "-at_install")
class TestServicePlan(ServiceCommon):
    def _plan(self, user=None, year=None):
        year = year or YEAR
        return (
            self.env["qms.service.plan"]
            .with_user(user or self.service)
            .create(
                {
                    "name": f"Service plan {year}",
                    "year": year,
                    "line_ids": [
                        Command.create(
                            {
                                "planned_month": "3",
                                "installed_product_id": self.unit.id,
                                "service_type_id": self.repair.id,
                                "user_id": self.technician.id,
                                "description": "Quarterly maintenance",
                            }
                        ),
                        Command.create(
                            {
                                "planned_month": "7",
                                "partner_id": self.customer.id,
                                "service_type_id": self.repair.id,
                                "user_id": self.technician2.id,
                            }
                        ),
                    ],
                }
            )
        )

    def test_approval_by_another_manager(self):
        plan = self._plan(user=self.qms_manager)
        self.assertEqual(plan.line_ids[0].partner_id, self.customer)
        with self.assertRefused(UserError, "only a submitted plan"):
            plan.with_user(self.qms_manager2).action_approve()
        with self.assertRaises(AccessError):
            plan.with_user(self.technician).action_submit()
        plan.with_user(self.qms_manager).action_submit()
        self.assertEqual(plan.submitted_by_id, self.qms_manager)
        # not customer service, not the author
        with self.assertRaises(AccessError):
            plan.with_user(self.service).action_approve()
        with self.assertRefused(UserError, "other than its author"):
            plan.with_user(self.qms_manager).action_approve()
        plan.with_user(self.qms_manager2).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approved_by_id, self.qms_manager2)
        # re-entry
        with self.assertRefused(UserError, "only a submitted plan"):
            plan.with_user(self.qms_manager2).action_approve()

    def test_a_submitted_plan_is_frozen(self):
        plan = self._plan()
        # the state and the approval are the system's
        with self.assertRaises(AccessError):
            plan.with_user(self.service).write({"state": "approved"})
        with self.assertRaises(AccessError):
            plan.with_user(self.qms_manager2).write(
                {"approved_by_id": self.qms_manager2.id}
            )
        with self.assertRefused(UserError, "has no lines"):
            self.env["qms.service.plan"].with_user(self.service).create(
                {"name": "Empty", "year": 2026}
            ).action_submit()
        plan.with_user(self.service).action_submit()
        with self.assertRefused(UserError, "back to draft"):
            plan.with_user(self.service).write({"note": "changed"})
        with self.assertRefused(UserError, "back to draft"):
            plan.line_ids[0].with_user(self.service).write({"planned_month": "4"})
        with self.assertRefused(UserError, "back to draft"):
            self.env["qms.service.plan.line"].with_user(self.service).create(
                {
                    "plan_id": plan.id,
                    "planned_month": "5",
                    "partner_id": self.customer.id,
                    "service_type_id": self.repair.id,
                }
            )
        with self.assertRefused(UserError, "back to draft"):
            plan.line_ids[0].with_user(self.service).unlink()
        # the author withdraws it, changes it, submits again
        plan.with_user(self.service).action_draft()
        plan.line_ids[0].with_user(self.service).write({"planned_month": "4"})
        plan.with_user(self.service).action_submit()
        plan.with_user(self.qms_manager).action_approve()
        # an approved plan is a record: never deleted, never back to draft
        with self.assertRefused(UserError, "Only a submitted plan"):
            plan.with_user(self.qms_manager).action_draft()
        with self.assertRaises(UserError):
            plan.with_user(self.service).unlink()
        # a draft may be deleted
        draft = self._plan(year=YEAR + 1)
        draft.with_user(self.service).unlink()
        self.assertFalse(draft.exists())

    def test_one_approved_plan_per_year(self):
        first = self._plan()
        first.with_user(self.service).action_submit()
        first.with_user(self.qms_manager).action_approve()
        second = self._plan()
        second.with_user(self.service).action_submit()
        with self.assertRefused(UserError, "already the approved plan"):
            second.with_user(self.qms_manager).action_approve()

    def test_lines_become_requests_in_their_month(self):
        self._certificate(
            self.technician,
            "CERT-2031",
            self.repair,
            date(YEAR, 1, 1),
            date(YEAR, 5, 31),
        )
        with freeze_time(f"{YEAR}-02-15 08:00:00"):
            plan = self._plan()
            plan.with_user(self.service).action_submit()
            plan.with_user(self.qms_manager).action_approve()
            self.assertFalse(plan.line_ids.request_id)
            self.assertFalse(
                self.env["qms.service.plan"]
                ._cron_generate_requests()
                .filtered(lambda r: r.plan_line_id.plan_id == plan)
            )
        with freeze_time(f"{YEAR}-03-01 08:00:00"):
            requests = (
                self.env["qms.service.plan"]
                ._cron_generate_requests()
                .filtered(lambda r: r.plan_line_id.plan_id == plan)
            )
        self.assertEqual(len(requests), 1)
        line = plan.line_ids.filtered(lambda x: x.planned_month == "3")
        self.assertEqual(line.request_id, requests)
        self.assertEqual(requests.plan_line_id, line)
        self.assertEqual(requests.channel, "plan")
        self.assertEqual(requests.installed_product_ids, self.unit)
        self.assertEqual(requests.state, "new")
        # qualified on the first of the month: proposed
        self.assertEqual(requests.technician_id, self.technician)
        self.assertEqual(plan.request_count, 1)
        # once only
        with freeze_time(f"{YEAR}-03-20 08:00:00"):
            self.assertFalse(
                self.env["qms.service.plan"]
                ._cron_generate_requests()
                .filtered(lambda r: r.plan_line_id.plan_id == plan)
            )
        # July: the planned technician's certificate has expired, so customer
        # service assigns a qualified one
        with freeze_time(f"{YEAR}-07-01 08:00:00"):
            july = (
                self.env["qms.service.plan"]
                ._cron_generate_requests()
                .filtered(lambda r: r.plan_line_id.plan_id == plan)
            )
        self.assertEqual(len(july), 1)
        self.assertFalse(july.technician_id)
        self.assertIn("holds no valid certificate", july.message_ids[0].body)

    def test_past_months_are_generated_at_approval(self):
        plan = self._plan(year=self.today.year - 1)
        plan.with_user(self.service).action_submit()
        plan.with_user(self.qms_manager).action_approve()
        self.assertEqual(len(plan.line_ids.request_id), 2)
        self.assertEqual(
            plan.line_ids.mapped("date_planned"),
            [date(self.today.year - 1, 3, 1), date(self.today.year - 1, 7, 1)],
        )
