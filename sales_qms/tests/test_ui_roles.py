"""Each role lands on its own work, reads what it must decide, and sees blocked
steps as blocked."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SIGNATURE
from .common_ui import UiCommon


@tagged("post_install", "-at_install")
class TestRoles(UiCommon):
    def _home(self, user):
        return self.env["qms.overview.tile"].with_user(user)._qms_home_action()

    def test_each_role_lands_on_its_work(self):
        cases = {
            self.qms_manager: "qms.overview.tile",
            self.keeper: "qms.delivery.inspection",
            self.inspector: "qms.delivery.inspection",
            self.service: "qms.claim",
            self.reviewers["finance"]: "qms.contract.review.line",
            self.qms_user: "qms.contract.review",
        }
        for user, model in cases.items():
            self.assertEqual(self._home(user)["res_model"], model, user.name)
        self.assertIn("to_sign", self._home(self.keeper)["context"])
        self.assertIn(
            "waiting_for_me", self._home(self.reviewers["finance"])["context"]
        )
        self.assertEqual(self._home(self.service)["view_mode"].split(",")[0], "kanban")
        # the app itself opens on it: its menu runs the home action
        menu = self.env.ref("sales_qms.menu_qms_root")
        self.assertEqual(menu.action, self.env.ref("sales_qms.action_qms_home"))
        result = (
            self.env.ref("sales_qms.action_qms_home")
            .with_user(self.keeper)
            .with_context(active_model="qms.overview.tile")
            .run()
        )
        self.assertEqual(result["res_model"], "qms.delivery.inspection")

    def test_overview_counts_for_the_reader(self):
        order = self._order()
        order.action_qms_request_review()
        tile = self.env.ref("sales_qms.qms_overview_tile_my_reviews")
        self.assertEqual(tile.with_user(self.reviewers["finance"]).count, 1)
        self.assertEqual(tile.with_user(self.qms_manager).count, 0)
        action = tile.with_user(self.reviewers["finance"]).action_open()
        self.assertEqual(action["res_model"], "qms.contract.review.line")
        lines = self.env["qms.contract.review.line"].search(action["domain"])
        self.assertEqual(lines, self._line(order, "finance"))
        # a tile whose records the reader cannot read counts nothing
        claims = self.env.ref("sales_qms.qms_overview_tile_claims_open")
        employee_tile = claims.with_user(self.employee)
        self.assertEqual(employee_tile.count, 0)
        with self.assertRaises(AccessError):
            employee_tile.action_open()

    def test_inspector_reads_the_claims_of_the_lots_they_decide(self):
        claim = (
            self.env["qms.claim"]
            .with_user(self.service)
            .create(
                {
                    "partner_id": self.customer.id,
                    "claim_type": "complaint",
                    "description": "<p>seams</p>",
                }
            )
        )
        form_fields = ["name", "partner_id", "line_ids", "action_ids", "credit_note_id"]
        claim.with_user(self.inspector).read(form_fields)
        claim.with_user(self.inspector).web_read({name: {} for name in form_fields})
        with self.assertRaises(AccessError):
            claim.with_user(self.inspector).write({"root_cause": "not theirs"})
        # a keeper who owns an action of the claim opens it too
        claim.write(
            {
                "action_ids": [
                    Command.create(
                        {
                            "description": "Re-stack the cartons",
                            "owner_id": self.keeper.id,
                        }
                    )
                ]
            }
        )
        claim.with_user(self.keeper).read(["name", "action_ids"])
        with self.assertRaises(AccessError):
            claim.with_user(self.stock_user).read(["name"])

    def test_to_sign_lists_what_waits_for_my_signature(self):
        Inspection = self.env["qms.delivery.inspection"]

        def to_sign(user, picking):
            return picking.qms_inspection_id in Inspection.with_user(user).search(
                [("to_sign", "=", True)]
            )

        waiting = self._delivery(qty=2)
        self.assertTrue(to_sign(self.keeper, waiting))
        self.assertTrue(to_sign(self.inspector, waiting))
        # the inspector signed: it waits for the keeper only
        waiting.qms_inspection_id.with_user(self.inspector).action_all_pass()
        waiting.qms_inspection_id.with_user(self.inspector).write(
            {"inspector_signature": SIGNATURE}
        )
        self.assertTrue(to_sign(self.keeper, waiting))
        self.assertFalse(to_sign(self.inspector, waiting))
        self.assertTrue(waiting.qms_inspection_id.with_user(self.keeper).to_sign)
        self.assertFalse(waiting.qms_inspection_id.with_user(self.inspector).to_sign)
        # signed by both: waits for nobody
        waiting.qms_inspection_id.with_user(self.keeper).write(
            {"keeper_signature": SIGNATURE}
        )
        self.assertFalse(to_sign(self.keeper, waiting))
        # released in an emergency: waits for nobody either
        released = self._delivery(qty=2)
        release = (
            self.env["qms.delivery.release"]
            .with_user(self.salesman)
            .create(
                {
                    "picking_id": released.id,
                    "kind": "emergency",
                    "reason": "line stops",
                }
            )
        )
        release.action_request()
        release.with_user(self.qms_manager).action_approve()
        self.assertFalse(to_sign(self.keeper, released))
        self.assertFalse(to_sign(self.inspector, released))

    def test_all_pass_and_one_click_answers(self):
        picking = self._delivery(qty=2)
        inspection = picking.qms_inspection_id
        first, *rest = inspection.line_ids.sorted("sequence")
        first.with_user(self.inspector).action_set_fail()
        rest[0].with_user(self.inspector).action_set_na()
        inspection.with_user(self.inspector).action_all_pass()
        self.assertEqual(first.result, "fail", "an answer is kept")
        self.assertEqual(rest[0].result, "na")
        self.assertEqual({line.result for line in rest[1:]}, {"pass"})
        self.assertEqual(inspection.result, "failed")
        first.with_user(self.keeper).action_set_pass()
        self.assertEqual(inspection.result, "passed")
        # a salesperson reads the checklist but does not answer it
        with self.assertRaises(AccessError):
            first.with_user(self.salesman).action_set_fail()
        # once signed, the checklist is frozen for the buttons too
        inspection.with_user(self.keeper).write({"keeper_signature": SIGNATURE})
        with self.assertRaises(UserError):
            first.with_user(self.inspector).action_set_fail()

    def test_blocked_delivery_says_why(self):
        picking = self._delivery(qty=2)
        reason = picking.with_user(self.keeper).qms_blocked_reason
        self.assertIn("the checklist is not completed", reason)
        self.assertIn("the warehouse keeper has not signed", reason)
        self.assertIn("the QC inspector has not signed", reason)
        inspection = picking.qms_inspection_id
        inspection.with_user(self.inspector).action_all_pass()
        inspection.with_user(self.keeper).write({"keeper_signature": SIGNATURE})
        inspection.with_user(self.inspector).write({"inspector_signature": SIGNATURE})
        picking.invalidate_recordset()
        self.assertFalse(picking.qms_blocked_reason)
        self.assertEqual(picking.qms_inspection_state, "passed")

    def test_portal_customer_writes_on_their_claim(self):
        claim = (
            self.env["qms.claim"]
            .with_user(self.service)
            .create({"partner_id": self.customer.id, "claim_type": "complaint"})
        )
        claim.with_user(self.service).message_post(
            body="We collect the coveralls on Monday",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        thread = (
            self.env["qms.claim"]
            .with_user(self.portal)
            ._get_thread_with_access(claim.id, mode=claim._mail_post_access)
        )
        self.assertEqual(thread, claim)
        thread.message_post(
            body="Thank you, Monday suits us",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.assertIn("Monday suits us", claim.message_ids[0].body)
        other = new_test_user(
            self.env, login="qms_ui_other_portal", groups="base.group_portal"
        )
        self.assertFalse(
            self.env["qms.claim"]
            .with_user(other)
            ._get_thread_with_access(claim.id, mode=claim._mail_post_access)
        )
