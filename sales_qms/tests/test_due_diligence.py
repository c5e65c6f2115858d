"""Customer due diligence: submission, approval by another finance reviewer or
QMS manager, expiry, and the gate on sending and confirming quotations."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_customer import CustomerCase
from .common_review import SIGNATURE


@tagged("post_install", "-at_install")
class TestDueDiligence(CustomerCase):
    def test_submit_names_what_is_missing(self):
        dd = self._due_diligence(check_sanctions="not_checked", credit_rating=False)
        with self.assertRaisesRegex(
            UserError, "Sanctions and Blacklists.*Credit Rating"
        ):
            dd.action_submit()
        dd.write({"check_sanctions": "verified", "credit_rating": "A"})
        dd.action_submit()
        self.assertEqual(dd.state, "submitted")
        self.assertEqual(dd.submitted_by, self.salesman)

    def test_contact_becomes_its_company(self):
        dd = self._due_diligence(partner=self.contact)
        self.assertEqual(dd.partner_id, self.customer)
        with self.assertRaises(ValidationError):
            dd._qms_system_write({"partner_id": self.contact.id})

    def test_approval_by_another_finance_reviewer_or_manager(self):
        dd = self._due_diligence()
        dd.action_submit()
        # the author cannot approve their own evaluation
        with self.assertRaisesRegex(AccessError, "other than its author"):
            dd.action_approve()
        # a salesperson who is neither finance nor QMS manager cannot either
        with self.assertRaises(AccessError):
            dd.with_user(self.other_salesman).action_approve()
        with self.assertRaises(AccessError):
            dd.with_user(self.qms_user).action_reject()
        dd.with_user(self.finance).action_approve()
        self.assertEqual(dd.state, "approved")
        self.assertEqual(dd.decided_by, self.finance)
        self.assertEqual(dd.valid_until, fields.Date.today() + relativedelta(months=12))
        # the approved credit limit is the customer's in this company
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 50000.0)
        self.assertEqual(self.customer.qms_due_diligence_state, "valid")
        # a QMS manager approves too, and the newer evaluation supersedes
        second = self._due_diligence(credit_limit=80000.0)
        second.action_submit()
        second.with_user(self.qms_manager).action_approve()
        self.assertEqual(dd.state, "expired")
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 80000.0)

    def test_finance_author_cannot_approve_own(self):
        dd = self._due_diligence(user=self.finance)
        dd.with_user(self.finance).action_submit()
        with self.assertRaises(AccessError):
            dd.with_user(self.finance).action_approve()
        dd.with_user(self.qms_manager).action_approve()
        self.assertEqual(dd.state, "approved")

    def test_reject_needs_a_reason(self):
        dd = self._due_diligence()
        dd.action_submit()
        with self.assertRaisesRegex(UserError, "Decision Note"):
            dd.with_user(self.finance).action_reject()
        dd.with_user(self.finance).write({"decision_note": "Blacklisted supplier"})
        dd.with_user(self.finance).action_reject()
        self.assertEqual(dd.state, "rejected")
        self.assertEqual(self.customer.qms_due_diligence_state, "rejected")
        with self.assertRaisesRegex(UserError, "not submitted"):
            dd.with_user(self.qms_manager).action_approve()
        with self.assertRaisesRegex(UserError, "decision note"):
            dd.with_user(self.finance).write({"decision_note": "changed later"})

    def test_frozen_after_submission_and_system_fields(self):
        dd = self._due_diligence()
        # RPC writes of what only the system records
        for vals in (
            {"state": "approved"},
            {"decided_by": self.finance.id},
            {"user_id": self.finance.id},
        ):
            with self.assertRaises(AccessError):
                dd.write(vals)
        with self.assertRaises(AccessError):
            self._due_diligence(state="approved")
        dd.action_submit()
        with self.assertRaisesRegex(UserError, "only as a draft"):
            dd.write({"credit_limit": 1e6})
        with self.assertRaisesRegex(UserError, "only as a draft"):
            dd.sudo().write({"credit_rating": "A"})
        with self.assertRaises(UserError):
            dd.unlink()
        with self.assertRaises(AccessError):
            dd.with_user(self.employee).read(["name"])

    def test_expiry_cron_schedules_reevaluation(self):
        with freeze_time("2026-01-10"):
            dd = self._approved_due_diligence()
            self.assertEqual(dd.valid_until, date(2027, 1, 10))
        with freeze_time("2027-01-10"):
            self.env["qms.due.diligence"]._cron_expire()
            self.assertEqual(dd.state, "approved", "valid through its last day")
        with freeze_time("2027-01-11"):
            self.assertEqual(self.customer.qms_due_diligence_state, "expired")
            self.env["qms.due.diligence"]._cron_expire()
            self.assertEqual(dd.state, "expired")
            activity = dd.activity_ids
            self.assertEqual(activity.user_id, self.salesman)
            self.assertIn("Re-evaluate", activity.summary)
            action = dd.action_new_evaluation()
            new = self.env["qms.due.diligence"].browse(action["res_id"])
            self.assertEqual((new.partner_id, new.state), (self.customer, "draft"))

    def test_approval_refused_with_past_validity(self):
        dd = self._due_diligence(valid_until=fields.Date.today() - timedelta(days=1))
        dd.action_submit()
        with self.assertRaisesRegex(UserError, "validity ends"):
            dd.with_user(self.finance).action_approve()


@tagged("post_install", "-at_install")
class TestDueDiligenceGate(CustomerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.qms_due_diligence_required = True

    def test_send_and_share_refused_until_approved(self):
        order = self._order()
        for call in (order.action_quotation_send, order.action_preview_sale_order):
            with self.assertRaisesRegex(UserError, "no approved, valid due diligence"):
                call()
        share = self.env["portal.share"].with_context(
            active_model="sale.order", active_id=order.id
        )
        with self.assertRaisesRegex(UserError, "due diligence"):
            share.default_get(["res_model", "res_id", "share_link"])
        self._approved_due_diligence()
        order.action_quotation_send()
        order.action_preview_sale_order()

    def test_confirm_button_batch_rpc(self):
        order = self._order()
        other_customer = self.env["res.partner"].create(
            {"name": "佛山新客户", "is_company": True}
        )
        other = self._order(partner=other_customer)
        with self.assertRaisesRegex(UserError, order.name):
            order.action_confirm()
        self._approved_due_diligence()
        # batch: one customer evaluated, the other not: nothing is confirmed
        with self.assertRaisesRegex(UserError, "佛山新客户"):
            (order | other).action_confirm()
        self.assertEqual(order.state, "draft")
        with self.assertRaisesRegex(UserError, "due diligence"):
            other.write({"state": "sale"})
        with self.assertRaisesRegex(UserError, "due diligence"):
            other.sudo().write({"state": "sale"})
        with self.assertRaisesRegex(UserError, "due diligence"):
            self._order(partner=other_customer, state="sale")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_contact_of_evaluated_customer(self):
        self._approved_due_diligence()
        order = self._order(partner=self.contact)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_pending_rejected_expired_do_not_count(self):
        dd = self._due_diligence()
        dd.action_submit()
        order = self._order()
        with self.assertRaisesRegex(UserError, "due diligence"):
            order.action_confirm()
        dd.with_user(self.finance).write({"decision_note": "no"})
        dd.with_user(self.finance).action_reject()
        with self.assertRaisesRegex(UserError, "due diligence"):
            order.action_confirm()
        with freeze_time(fields.Date.today() - timedelta(days=400)):
            old = self._approved_due_diligence()
        self.assertEqual(old.state, "approved")
        with self.assertRaisesRegex(UserError, "due diligence"):
            order.action_confirm()

    def test_expiry_closes_the_gate(self):
        self._approved_due_diligence()
        order = self._order()
        order.action_quotation_send()
        with freeze_time(fields.Date.today() + timedelta(days=400)):
            with self.assertRaisesRegex(UserError, "due diligence"):
                order.action_confirm()

    def test_portal_signature_and_payment_paths(self):
        order = self._order(require_signature=True)
        order.write({"state": "sent"})
        order_sudo = order.sudo()
        order_sudo.write({"signed_by": "Customer", "signature": SIGNATURE})
        with self.assertRaisesRegex(UserError, "due diligence"):
            order_sudo._validate_order()
        provider = self.env["payment.provider"].create(
            {"name": "QMS Dummy Provider", "code": "none", "state": "test"}
        )
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": self.env.ref(
                        "payment.payment_method_unknown"
                    ).id,
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": self.customer.id,
                    "reference": f"QMS-DD-TX-{order.id}",
                    "operation": "online_redirect",
                    "sale_order_ids": [(6, 0, order.ids)],
                }
            )
        )
        tx._set_done()
        with self.assertRaisesRegex(UserError, "due diligence"):
            tx._check_amount_and_confirm_order()
        self.assertEqual(order.state, "sent")
        self._approved_due_diligence()
        order_sudo._validate_order()
        self.assertEqual(order.state, "sale")

    def test_other_company_does_not_count(self):
        other = self.env["res.company"].create({"name": "QMS Other Company"})
        dd = self.env["qms.due.diligence"].create(
            {
                "partner_id": self.customer.id,
                "company_id": other.id,
                "credit_rating": "A",
            }
        )
        dd._qms_system_write(
            {
                "state": "approved",
                "valid_until": fields.Date.today() + timedelta(days=30),
            }
        )
        with self.assertRaisesRegex(UserError, "due diligence"):
            self._order().action_confirm()
        # and the other company's evaluation is not shown to this company's users
        with self.assertRaises(AccessError):
            dd.with_user(self.salesman).read(["state"])

    def test_setting_off(self):
        self.company.qms_due_diligence_required = False
        order = self._order()
        order.action_quotation_send()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_at_most_one_query_at_confirm(self):
        """The gate reads the due diligences of every order confirmed at once in
        one query."""
        self._approved_due_diligence()

        def confirm_count(required):
            self.company.qms_due_diligence_required = required
            orders = self._order() | self._order() | self._order()
            self.env.flush_all()
            self.env.invalidate_all()
            orders = orders.browse(orders.ids)
            orders.mapped("partner_id.commercial_partner_id")
            orders.mapped("company_id.qms_due_diligence_required")
            before = self.env.cr.sql_log_count
            orders.action_confirm()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        # warm the caches of both paths
        confirm_count(False)
        confirm_count(True)
        plain = confirm_count(False)
        gated = confirm_count(True)
        self.assertLessEqual(gated - plain, 1, f"{plain} -> {gated} queries")
