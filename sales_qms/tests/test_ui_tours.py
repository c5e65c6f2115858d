"""Tours as each role, in a real browser (headless Chromium)."""

import unittest

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common_ui import UiCommon


@tagged("post_install", "-at_install")
class TestRoleTours(HttpCase, UiCommon):
    def test_reviewer_approves_from_the_list_through_the_review(self):
        finance = self.reviewers["finance"]
        finance.action_id = self.env.ref("sales_qms.action_qms_home").id
        self.product.qms_new_development = True
        order = self._order(qty=4)
        order.action_qms_request_review()
        line = self._line(order, "finance")
        # the reviewer logs in and lands on the reviews waiting for them
        self.start_tour("/odoo", "sales_qms_reviewer_tour", login=finance.login)
        self.assertEqual(line.state, "approved")
        self.assertEqual(line.decided_by, finance)
        self.assertEqual(line.comment, "Prices and payment term checked")

    def _tour_inspection(self):
        return self._delivery(qty=3).qms_inspection_id

    def test_inspector_and_keeper_fill_and_sign_with_all_pass(self):
        inspector = new_test_user(
            self.env,
            login="tour_ui_inspector",
            name="Tour Inspector",
            groups="stock.group_stock_user,sales_qms.group_qms_inspector",
        )
        keeper = new_test_user(
            self.env,
            login="tour_ui_keeper",
            name="Tour Keeper",
            groups="stock.group_stock_user,sales_qms.group_qms_warehouse_keeper",
        )
        inspection = self._tour_inspection()
        url = f"/odoo/action-sales_qms.qms_delivery_inspection_action/{inspection.id}"
        self.start_tour(url, "sales_qms_inspector_all_pass_tour", login=inspector.login)
        self.assertEqual(inspection.result, "passed")
        self.assertEqual(inspection.inspector_id, inspector)
        self.assertEqual(set(inspection.line_ids.mapped("result")), {"pass"})

        inspection2 = self._tour_inspection()
        url = f"/odoo/action-sales_qms.qms_delivery_inspection_action/{inspection2.id}"
        self.start_tour(url, "sales_qms_keeper_sign_tour", login=keeper.login)
        self.assertEqual(inspection2.keeper_id, keeper)
        last = inspection2.line_ids.sorted(lambda x: (x.sequence, x.id))[-1]
        self.assertEqual(last.result, "na")
        self.assertEqual(inspection2.result, "passed")

    def test_customer_service_closes_a_claim(self):
        partner = self.env["res.partner"].create(
            {"name": "Tour claim to close", "is_company": True}
        )
        claim = (
            self.env["qms.claim"]
            .with_user(self.service)
            .create(
                {
                    "partner_id": partner.id,
                    "claim_type": "complaint",
                    "stage": "resolved",
                    "action_ids": [
                        Command.create(
                            {
                                "description": "Explain washing",
                                "done_date": "2026-01-05",
                            }
                        )
                    ],
                }
            )
        )
        self.service.action_id = self.env.ref("sales_qms.action_qms_home").id
        self.start_tour(
            "/odoo", "sales_qms_service_close_claim_tour", login=self.service.login
        )
        self.assertEqual(claim.stage, "closed")
        self.assertEqual(
            claim.customer_feedback, "Replacement received, the customer is satisfied"
        )

    def test_portal_customer_files_a_claim_on_the_demo_data(self):
        user = self.env.ref(
            "sales_qms.user_portal_customer_demo", raise_if_not_found=False
        )
        if not user:
            raise unittest.SkipTest("the demo data of sales_qms is not installed")
        partner = user.partner_id.commercial_partner_id
        before = self.env["qms.claim"].search_count(
            [("commercial_partner_id", "=", partner.id)]
        )
        self.start_tour(
            "/my/claims", "sales_qms_portal_file_claim_tour", login="customer"
        )
        claims = self.env["qms.claim"].search(
            [("commercial_partner_id", "=", partner.id)], order="id desc"
        )
        self.assertEqual(len(claims), before + 1)
        claim = claims[0]
        self.assertEqual(claim.channel, "portal")
        self.assertEqual(claim.claim_type, "exchange")
        self.assertEqual(claim.line_ids.quantity, 2.0)
        self.assertTrue(claim.line_ids.lot_id)
