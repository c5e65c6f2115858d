from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_review import ContractReviewCase


@tagged("post_install", "-at_install")
class TestContractReview(ContractReviewCase):
    def test_request_creates_round_per_department(self):
        order = self._create_order()
        self.assertEqual(order.qms_contract_type, "general")
        self.assertEqual(order.qms_review_state, "none")
        order.action_qms_request_review()
        review = order.qms_review_id
        self.assertEqual(review.revision, 1)
        self.assertEqual(review.kind, "initial")
        self.assertEqual(review.state, "pending")
        self.assertEqual(order.qms_review_state, "pending")
        # general contract: every department but the GM
        self.assertEqual(
            set(review.line_ids.department_id.mapped("code")),
            {
                "sales",
                "technical",
                "production",
                "quality",
                "purchasing",
                "finance",
                "warehouse",
            },
        )
        line = self._line(order, "finance")
        self.assertEqual(line.reviewer_ids, self.reviewers["finance"])
        # each reviewer got an activity
        activity = line.sudo().activity_ids
        self.assertEqual(activity.user_id, self.reviewers["finance"])
        # reviewers are fixed when the round is created
        self.departments["finance"].user_ids = [(4, self.qms_user.id)]
        self.assertEqual(line.reviewer_ids, self.reviewers["finance"])

    def test_special_contract_adds_gm_who_signs_last(self):
        self.product.qms_new_development = True
        order = self._create_order()
        self.assertEqual(order.qms_contract_type, "special")
        order.action_qms_request_review()
        gm_line = self._line(order, "gm")
        self.assertTrue(gm_line.is_final)
        self.assertFalse(gm_line.waiting)
        self.assertFalse(gm_line.sudo().activity_ids, "the GM is asked only at the end")
        with self.assertRaisesRegex(UserError, "must approve first"):
            gm_line.with_user(self.reviewers["gm"]).action_approve()
        for line in order.qms_review_id.line_ids - gm_line:
            line.with_user(line.reviewer_ids).action_approve()
        self.assertTrue(gm_line.waiting)
        self.assertTrue(gm_line.sudo().activity_ids)
        gm_line.with_user(self.reviewers["gm"]).action_approve()
        self.assertEqual(order.qms_review_state, "approved")

    def test_only_reviewers_of_the_department_decide(self):
        order = self._create_order()
        order.action_qms_request_review()
        line = self._line(order, "finance")
        for user in (self.qms_user, self.reviewers["quality"], self.qms_manager):
            with self.assertRaisesRegex(AccessError, "not a reviewer of Finance"):
                line.with_user(user).action_approve()
        line.with_user(self.reviewers["finance"]).comment = "too cheap"
        with self.assertRaises(AccessError):
            line.with_user(self.qms_user).action_reject()
        self.assertEqual(line.state, "pending")
        line.with_user(self.reviewers["finance"]).action_approve()
        self.assertEqual(line.state, "approved")
        self.assertEqual(line.decided_by, self.reviewers["finance"])
        self.assertTrue(line.decided_on)

    def test_segregation_of_duties(self):
        # the salesperson is also the finance reviewer
        self.departments["finance"].user_ids = [(4, self.salesman.id)]
        order = self._create_order()
        order.action_qms_request_review()
        line = self._line(order, "finance")
        self.assertIn(self.salesman, line.reviewer_ids)
        with self.assertRaisesRegex(AccessError, "Segregation of duties"):
            line.with_user(self.salesman).action_approve()
        # the creator of the order is excluded too, whoever the salesperson is
        self.departments["finance"].user_ids = [(4, self.sales_manager.id)]
        other = self._create_order(user=self.sales_manager, user_id=self.qms_user.id)
        self.assertEqual(other.user_id, self.qms_user)
        other.action_qms_request_review()
        with self.assertRaisesRegex(AccessError, "Segregation of duties"):
            self._line(other, "finance").with_user(self.sales_manager).action_approve()
        # the company can turn it off
        self.company.qms_review_segregation = False
        line.with_user(self.salesman).action_approve()
        self.assertEqual(line.state, "approved")

    def test_reject_needs_comment_and_notifies_salesperson(self):
        order = self._create_order()
        order.action_qms_request_review()
        line = self._line(order, "production")
        reviewer = self.reviewers["production"]
        with self.assertRaisesRegex(UserError, "comment"):
            line.with_user(reviewer).action_reject()
        line.with_user(reviewer).write({"comment": "   "})
        with self.assertRaisesRegex(UserError, "comment"):
            line.with_user(reviewer).action_reject()
        line.with_user(reviewer).write({"comment": "No capacity in May"})
        line.with_user(reviewer).action_reject()
        self.assertEqual(line.state, "rejected")
        self.assertEqual(order.qms_review_id.state, "rejected")
        self.assertEqual(order.qms_review_state, "rejected")
        message = order.message_ids.filtered(
            lambda m: self.salesman.partner_id in m.partner_ids
        )
        self.assertTrue(message, "the salesperson is notified")
        self.assertIn("No capacity in May", message[0].body)
        # the other lines cannot be decided any more, their activities are gone
        other = self._line(order, "finance")
        self.assertFalse(other.sudo().activity_ids)
        with self.assertRaises(AccessError):
            other.with_user(self.reviewers["finance"]).action_approve()
        # a new request creates the next revision
        order.action_qms_request_review()
        self.assertEqual(order.qms_review_id.revision, 2)
        self.assertEqual(order.qms_review_state, "pending")
        self.assertEqual(len(order.qms_review_ids), 2)

    def test_decided_lines_and_rounds_are_read_only_and_never_deleted(self):
        order = self._create_order()
        order.action_qms_request_review()
        line = self._line(order, "quality")
        reviewer = self.reviewers["quality"]
        line.with_user(reviewer).action_approve()
        with self.assertRaises(UserError):
            line.with_user(reviewer).write({"comment": "changed my mind"})
        with self.assertRaises(AccessError):
            line.with_user(reviewer).action_approve()
        # only the comment is writable, and only by the reviewers
        pending = self._line(order, "finance")
        with self.assertRaises(AccessError):
            pending.with_user(self.reviewers["finance"]).write({"state": "approved"})
        with self.assertRaises(AccessError):
            pending.with_user(self.qms_user).write({"comment": "x"})
        with self.assertRaises(AccessError):
            pending.with_user(self.qms_manager).write(
                {"reviewer_ids": [(4, self.qms_manager.id)]}
            )
        review = order.qms_review_id
        with self.assertRaises(AccessError):
            review.with_user(self.qms_manager).write({"state": "approved"})
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).write({"qms_review_state": "approved"})
        with self.assertRaises(AccessError):
            self.env["qms.contract.review.line"].with_user(self.qms_manager).create(
                {"review_id": review.id, "department_id": self.departments["sales"].id}
            )
        for record in (line, review, pending):
            with self.assertRaises(UserError):
                record.unlink()
            with self.assertRaises(UserError):
                record.with_user(self.qms_manager).unlink()
        self.assertTrue(line.exists() and review.exists())

    def test_request_rules(self):
        order = self._create_order()
        order.action_qms_request_review()
        with self.assertRaisesRegex(UserError, "still pending"):
            order.action_qms_request_review()
        self._approve_all(order)
        with self.assertRaisesRegex(UserError, "already approved"):
            order.action_qms_request_review()
        # a department without reviewers is named
        self.departments["warehouse"].user_ids = [(5,)]
        with self.assertRaisesRegex(UserError, "Warehouse"):
            self._create_order().action_qms_request_review()
        # a user who cannot write the order cannot request its review
        order2 = self._create_order(user=self.other_salesman)
        with self.assertRaises(AccessError):
            order2.with_user(self.qms_user).action_qms_request_review()

    def test_waiting_for_my_review(self):
        orders = self._create_order() | self._create_order()
        orders.action_qms_request_review()
        Line = self.env["qms.contract.review.line"].with_user(self.reviewers["finance"])
        domain = [
            ("waiting", "=", True),
            ("reviewer_ids", "in", [self.reviewers["finance"].id]),
        ]
        self.assertEqual(len(Line.search(domain)), 2)
        self._line(orders[0], "finance").with_user(
            self.reviewers["finance"]
        ).action_approve()
        self.assertEqual(Line.search(domain).order_id, orders[1])
        self.assertTrue(
            self.env.ref("sales_qms.qms_contract_review_line_action_my").context
        )

    def test_overdue_reminder_cron(self):
        order = self._create_order()
        order.action_qms_request_review()
        line = self._line(order, "finance")
        line._qms_system_write({"deadline": "2000-01-01"})
        self.env["qms.contract.review.line"]._cron_remind_overdue()
        reminder = order.qms_review_id.message_ids.filtered(
            lambda m: self.reviewers["finance"].partner_id in m.partner_ids
        )
        self.assertTrue(reminder)
        self.assertIn("Finance", reminder[0].body)


@tagged("post_install", "-at_install")
class TestContractReviewQueries(ContractReviewCase):
    def test_request_review_queries_do_not_grow_with_lines(self):
        self.product.qms_new_development = True
        products = self.product | self.env["product.product"].create(
            [
                {"name": f"Q{i}", "list_price": 10.0, "standard_price": 5.0}
                for i in range(5)
            ]
        )

        def order_of(n):
            return self.env["sale.order"].create(
                {
                    "partner_id": self.partner.id,
                    "user_id": self.salesman.id,
                    "order_line": [
                        (0, 0, {"product_id": products[i % 6].id, "product_uom_qty": 1})
                        for i in range(n)
                    ],
                }
            )

        def count(order):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            order.action_qms_request_review()
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        count(order_of(3))  # warm-up
        small, big = count(order_of(5)), count(order_of(60))
        self.assertLessEqual(
            big, small + 2, f"{small} queries for 5 lines, {big} for 60"
        )

    def test_waiting_for_my_review_is_one_query(self):
        orders = self._create_order() | self._create_order()
        orders.action_qms_request_review()
        reviewer = self.reviewers["quality"]
        Line = self.env["qms.contract.review.line"].with_user(reviewer)
        domain = [("waiting", "=", True), ("reviewer_ids", "in", [reviewer.id])]
        Line.search(domain)  # warm the rule cache
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        found = Line.search(domain)
        self.assertEqual(self.env.cr.sql_log_count - before, 1)
        self.assertEqual(found.order_id, orders)


@tagged("post_install", "-at_install")
class TestContractReviewSecurity(ContractReviewCase):
    def test_departments_configured_by_qms_managers_only(self):
        dept = self.departments["finance"]
        with self.assertRaises(AccessError):
            dept.with_user(self.qms_user).write({"user_ids": [(4, self.qms_user.id)]})
        with self.assertRaises(AccessError):
            dept.with_user(self.salesman).write({"applies_to": "special"})
        dept.with_user(self.qms_manager).write({"deadline_days": 5})
        self.assertEqual(dept.deadline_days, 5)
        order = self._create_order()
        order.action_qms_request_review()
        # a department that reviewed a contract is archived, not deleted
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                dept.with_user(self.qms_manager).unlink()

    def test_other_company_sees_no_review(self):
        order = self._create_order()
        order.action_qms_request_review()
        other = self.env["res.company"].create({"name": "Other QMS Co"})
        stranger = self.env["res.users"].create(
            {
                "name": "Stranger",
                "login": "qms_rev_stranger",
                "company_id": other.id,
                "company_ids": [(6, 0, other.ids)],
                "groups_id": [(6, 0, [self.env.ref("sales_qms.group_qms_user").id])],
            }
        )
        Review = self.env["qms.contract.review"].with_user(stranger)
        self.assertFalse(Review.search([("order_id", "=", order.id)]))
        self.assertFalse(
            self.env["qms.contract.review.line"]
            .with_user(stranger)
            .search([("order_id", "=", order.id)])
        )
        self.assertTrue(
            self.env["qms.contract.review"]
            .with_user(self.qms_user)
            .search([("order_id", "=", order.id)])
        )


@tagged("post_install", "-at_install")
class TestContractReviewAnalysis(ContractReviewCase):
    def test_cycle_time_and_rejection_rate_per_department(self):
        for reject in (True, False):
            order = self._create_order()
            order.action_qms_request_review()
            line = self._line(order, "finance")
            reviewer = self.reviewers["finance"]
            if reject:
                line.with_user(reviewer).write({"comment": "no"})
                line.with_user(reviewer).action_reject()
            else:
                line.with_user(reviewer).action_approve()
        Line = self.env["qms.contract.review.line"]
        [(dept, rate, hours)] = Line._read_group(
            [
                ("department_id.code", "=", "finance"),
                ("state", "!=", "pending"),
                ("order_id.partner_id", "=", self.partner.id),
            ],
            ["department_id"],
            ["rejection_rate:avg", "decision_hours:avg"],
        )
        self.assertEqual(dept, self.departments["finance"])
        self.assertEqual(rate, 50.0)
        self.assertGreaterEqual(hours, 0.0)


@tagged("post_install", "-at_install")
class TestContractReviewViews(ContractReviewCase):
    def test_every_view_of_every_action_loads(self):
        for xmlid in (
            "sales_qms.qms_contract_review_action",
            "sales_qms.qms_contract_review_line_action_my",
            "sales_qms.qms_contract_review_line_action_analysis",
            "sales_qms.qms_department_action",
            "sales_qms.qms_special_reason_action",
        ):
            action = self.env.ref(xmlid)
            for user in (self.qms_manager, self.reviewers["finance"]):
                views = (
                    self.env[action.res_model]
                    .with_user(user)
                    .get_views(
                        [(False, mode) for mode in action.view_mode.split(",")]
                        + [(False, "search")]
                    )
                )
                self.assertEqual(
                    set(views["views"]),
                    set(action.view_mode.split(",")) | {"search"},
                    xmlid,
                )
        order = self._create_order()
        self.assertIn(
            "action_qms_request_review",
            order.with_user(self.salesman).get_views([(False, "form")])["views"][
                "form"
            ]["arch"],
        )
