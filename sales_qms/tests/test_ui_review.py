"""A department head sees what they sign; a rejected round reads as closed."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_ui import UiCommon


@tagged("post_install", "-at_install")
class TestReviewScreen(UiCommon):
    def test_line_carries_what_is_signed(self):
        self.product.qms_new_development = True
        order = self._order(qty=7)
        order.action_qms_request_review()
        review = order.qms_review_id
        self.assertEqual(review.amount_total, order.amount_total)
        self.assertTrue(review.amount_total)
        line = self._line(order, "finance").with_user(self.reviewers["finance"])
        self.assertEqual(line.amount_total, order.amount_total)
        self.assertEqual(line.contract_type, "special")
        self.assertEqual(line.special_reason_ids.code, "new_product")
        self.assertIn("UI anti-static coverall", line.special_reason_detail)
        self.assertEqual(line.order_line_ids, order.order_line)
        self.assertEqual(len(line.round_line_ids), len(review.line_ids))
        self.assertTrue(line.can_decide)
        self.assertFalse(line.blocked_reason)
        # finance judges prices: it sees the margin; the technical department not
        self.assertTrue(line.show_margin)
        self.assertAlmostEqual(line.order_margin, order.margin)
        self.assertAlmostEqual(line.order_margin_percent, order.margin_percent)
        technical = self._line(order, "technical").with_user(
            self.reviewers["technical"]
        )
        self.assertFalse(technical.show_margin)
        self.assertEqual(technical.order_margin, 0.0)
        # the final signature says what it waits for
        gm = self._line(order, "gm").with_user(self.reviewers["gm"])
        self.assertFalse(gm.can_decide)
        self.assertIn("must approve first", gm.blocked_reason)
        # the list opens the review instead of signing
        action = line.action_open_review()
        self.assertEqual((action["res_model"], action["res_id"]), (line._name, line.id))
        self.assertEqual(action["views"], [(False, "form")])

    def test_rejected_round_closes_the_undecided_lines(self):
        order = self._order()
        order.action_qms_request_review()
        review = order.qms_review_id
        self._line(order, "sales").with_user(self.reviewers["sales"]).action_approve()
        finance = self._line(order, "finance").with_user(self.reviewers["finance"])
        finance.write({"comment": "Unit price below the price list"})
        finance.action_reject()
        self.assertEqual(review.state, "rejected")
        states = {line.department_id.code: line.state for line in review.line_ids}
        self.assertEqual(states["sales"], "approved")
        self.assertEqual(states["finance"], "rejected")
        self.assertEqual(
            {s for code, s in states.items() if code not in ("sales", "finance")},
            {"closed"},
        )
        # nobody is "still to approve" a rejected round
        self.assertFalse(review.missing_department_names)
        self.assertFalse(review.line_ids.filtered("waiting"))
        # who and why, on the round and on the quotation's banner
        summary = order.with_user(self.salesman).qms_review_rejection
        for words in ("Finance", "UI Reviewer Finance", "Unit price below"):
            self.assertIn(words, summary)
        closed = self._line(order, "warehouse").with_user(self.reviewers["warehouse"])
        self.assertFalse(closed.can_decide)
        with self.assertRaisesRegex(AccessError, "was rejected by Finance"):
            closed.action_approve()
        with self.assertRaises(UserError):
            closed.write({"comment": "late"})
        # the confirmation error names who rejected, not who did not decide
        with self.assertRaisesRegex(UserError, "rejected by Finance"):
            order.with_user(self.salesman).action_confirm()

    def test_cancelled_round_closes_the_undecided_lines(self):
        order = self._order()
        order.action_qms_request_review()
        review = order.qms_review_id
        order.with_user(self.salesman).order_line.product_uom_qty = 9
        self.assertEqual(review.state, "cancelled")
        self.assertEqual(set(review.line_ids.mapped("state")), {"closed"})

    def test_round_created_without_amount_takes_the_order_total(self):
        order = self._order(qty=3)
        review = (
            self.env["qms.contract.review"]
            .sudo()
            .create({"order_id": order.id, "revision": 1})
        )
        self.assertEqual(review.amount_total, order.amount_total)

    def test_closed_lines_are_not_decided_in_the_analysis(self):
        order = self._order()
        order.action_qms_request_review()
        finance = self._line(order, "finance").with_user(self.reviewers["finance"])
        finance.write({"comment": "no"})
        finance.action_reject()
        Line = self.env["qms.contract.review.line"]
        decided = Line.search(
            [("order_id", "=", order.id), ("state", "in", ("approved", "rejected"))]
        )
        self.assertEqual(decided, finance)
