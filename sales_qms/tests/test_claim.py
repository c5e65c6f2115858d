from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common_after_sales import AfterSalesCommon


@tagged("post_install", "-at_install")
class TestClaim(AfterSalesCommon):
    # ------------------------------------------------------------ numbering, SLA
    def test_sequence_and_sla_deadline(self):
        self.company.write(
            {"qms_claim_sla_minor_days": 10, "qms_claim_sla_critical_days": 1}
        )
        claim = self._new_claim(severity="minor")
        self.assertTrue(claim.name.startswith("CLM/"), claim.name)
        day = claim.date.date()
        self.assertEqual(claim.deadline, day + timedelta(days=10))
        claim.severity = "critical"
        self.assertEqual(claim.deadline, day + timedelta(days=1))
        other = self._new_claim()
        self.assertNotEqual(other.name, claim.name)
        self.assertEqual(self.order.qms_claim_count, 2)
        action = self.order.action_view_qms_claims()
        self.assertEqual(self.env["qms.claim"].search(action["domain"]), claim | other)

    def test_overdue_highlight_and_cron(self):
        claim = self._new_claim(severity="critical")
        self.assertFalse(claim.is_overdue)
        with freeze_time(fields.Datetime.now() + timedelta(days=5)):
            claim.invalidate_recordset(["is_overdue"])
            self.assertTrue(claim.is_overdue)
            self.assertIn(
                claim, self.env["qms.claim"].search([("is_overdue", "=", True)])
            )
            reminded = self.env["qms.claim"]._cron_remind_overdue()
            self.assertIn(claim, reminded)
            activities = claim.activity_ids.filtered(
                lambda a: a.summary == "Overdue claim"
            )
            self.assertEqual(len(activities), 1)
            self.assertEqual(activities.user_id, self.service)
            # a second run does not pile up reminders
            self.env["qms.claim"]._cron_remind_overdue()
            self.assertEqual(
                len(
                    claim.activity_ids.filtered(lambda a: a.summary == "Overdue claim")
                ),
                1,
            )
        # a resolved claim is no longer overdue
        claim.write({"stage": "resolved"})
        with freeze_time(fields.Datetime.now() + timedelta(days=5)):
            claim.invalidate_recordset(["is_overdue"])
            self.assertFalse(claim.is_overdue)

    # ------------------------------------------------------------ lot check
    def test_lot_never_delivered_is_refused(self):
        """OCA rma#416: a lot that never went to this customer cannot be claimed."""
        with self.assertRefused(ValidationError, "AS-LOT-NEVER"):
            self._new_claim(
                line_ids=[
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "lot_id": self.lot_never_delivered.id,
                            "quantity": 1,
                        }
                    )
                ]
            )

    def test_lot_of_another_customer_is_refused(self):
        other_order, other_picking = self._deliver(
            self.other_customer, self.lot_never_delivered, 5
        )
        # the lot went to the other customer, not to this one
        with self.assertRaises(ValidationError):
            self._new_claim(
                sale_order_id=False,
                picking_id=False,
                line_ids=[
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "lot_id": self.lot_never_delivered.id,
                            "quantity": 1,
                        }
                    )
                ],
            )
        # nor may a claim name the other customer's delivery
        with self.assertRaises(ValidationError):
            self._new_claim(sale_order_id=other_order.id, picking_id=other_picking.id)

    def test_lot_delivered_on_another_order_is_refused(self):
        order2, picking2 = self._deliver(self.customer, self.lot_never_delivered, 3)
        # delivered to the customer, but on order2, not on the claim's order
        with self.assertRefused(ValidationError, self.order.name):
            self._new_claim(
                picking_id=False,
                line_ids=[
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "lot_id": self.lot_never_delivered.id,
                            "quantity": 1,
                        }
                    )
                ],
            )
        claim = self._new_claim(
            sale_order_id=order2.id,
            picking_id=picking2.id,
            line_ids=[
                Command.create(
                    {
                        "product_id": self.product.id,
                        "lot_id": self.lot_never_delivered.id,
                        "quantity": 3,
                    }
                )
            ],
        )
        # a later write cannot swap in the other lot either
        with self.assertRaises(ValidationError):
            claim.line_ids.lot_id = self.lot
        # nor move the claim to a delivery that did not carry the lot
        with self.assertRaises(ValidationError):
            claim.write({"sale_order_id": self.order.id, "picking_id": self.picking.id})

    def test_quantity_above_delivered_is_refused(self):
        with self.assertRefused(ValidationError, "only"):
            self._new_claim(
                line_ids=[
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "lot_id": self.lot.id,
                            "quantity": 11,
                        }
                    )
                ]
            )

    # ------------------------------------------------------------ closing, rejection
    def test_closing_requires_actions_done_and_feedback(self):
        claim = self._new_claim()
        claim.write(
            {
                "action_ids": [
                    Command.create(
                        {"kind": "corrective", "description": "Retrain the sewing line"}
                    )
                ]
            }
        )
        # a plain write, as over RPC, is held to the rule like the button
        with self.assertRefused(ValidationError, "Retrain the sewing line"):
            claim.write({"stage": "closed"})
        claim.action_ids.action_done()
        with self.assertRefused(ValidationError, "feedback"):
            claim.action_close()
        with self.assertRefused(ValidationError, "feedback"):
            claim.write({"stage": "closed", "customer_feedback": "   "})
        claim.write({"stage": "closed", "customer_feedback": "Satisfied with the fix"})
        self.assertEqual(claim.stage, "closed")
        self.assertTrue(claim.date_closed)
        # a decided claim is kept as it is, actions included
        with self.assertRaises(UserError):
            claim.write({"stage": "action"})
        with self.assertRaises(UserError):
            claim.customer_feedback = False
        with self.assertRaises(UserError):
            claim.action_ids.done_date = False
        with self.assertRaises(UserError):
            self.env["qms.claim.action"].create(
                {"claim_id": claim.id, "description": "late action"}
            )
        with self.assertRaises(UserError):
            claim.line_ids.unlink()

    def test_closing_in_a_batch_checks_every_claim(self):
        ok = self._new_claim(customer_feedback="OK")
        not_ok = self._new_claim()
        with self.assertRaises(ValidationError):
            (ok | not_ok).write({"stage": "closed"})

    def test_create_directly_closed_is_checked(self):
        with self.assertRaises(ValidationError):
            self._new_claim(stage="closed")

    def test_rejection_requires_reason(self):
        claim = self._new_claim()
        with self.assertRefused(ValidationError, "rejection reason"):
            claim.action_reject()
        with self.assertRaises(ValidationError):
            claim.write({"stage": "rejected", "rejection_reason": " "})
        claim.write(
            {"stage": "rejected", "rejection_reason": "Damage caused by misuse"}
        )
        with self.assertRaises(UserError):
            claim.rejection_reason = False

    def test_salesperson_cannot_close_or_reject(self):
        claim = self._new_claim(user=self.salesman, customer_feedback="fine")
        claim_as_sales = claim.with_user(self.salesman)
        with self.assertRaises(AccessError):
            claim_as_sales.write({"stage": "closed"})
        with self.assertRaises(AccessError):
            claim_as_sales.write({"stage": "rejected", "rejection_reason": "x"})
        with self.assertRaises(AccessError):
            self._new_claim(
                user=self.salesman, stage="closed", customer_feedback="fine"
            )
        # the salesperson takes the claim through investigation
        claim_as_sales.action_investigate()
        self.assertEqual(claim.stage, "investigating")

    def test_claims_are_never_deleted(self):
        claim = self._new_claim()
        with self.assertRaises(UserError):
            claim.sudo().unlink()
        with self.assertRaises(AccessError):
            claim.with_user(self.service).unlink()
        claim.action_ids = [Command.create({"description": "Check seams"})]
        claim.action_ids.action_done()
        with self.assertRaises(UserError):
            claim.action_ids.unlink()

    # ------------------------------------------------------------ visibility
    def test_salesperson_sees_only_own_customers(self):
        mine = self._new_claim()
        other_order, other_picking = self._deliver(
            self.other_customer, self.lot_never_delivered, 5
        )
        theirs = self._new_claim(
            partner_id=self.other_customer.id,
            sale_order_id=other_order.id,
            picking_id=other_picking.id,
            line_ids=[
                Command.create(
                    {
                        "product_id": self.product.id,
                        "lot_id": self.lot_never_delivered.id,
                        "quantity": 1,
                    }
                )
            ],
        )
        Claim = self.env["qms.claim"]
        seen = Claim.with_user(self.salesman).search(
            [("id", "in", (mine | theirs).ids)]
        )
        self.assertEqual(seen, mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.salesman).read(["name"])
        with self.assertRaises(AccessError):
            theirs.with_user(self.salesman).write({"root_cause": "x"})
        seen = Claim.with_user(self.service).search([("id", "in", (mine | theirs).ids)])
        self.assertEqual(seen, mine | theirs)
        self.assertEqual(
            Claim.with_user(self.other_salesman).search(
                [("id", "in", (mine | theirs).ids)]
            ),
            theirs,
        )

    def test_portal_user_sees_only_own_claims(self):
        mine = self._new_claim()
        other_order, other_picking = self._deliver(
            self.other_customer, self.lot_never_delivered, 5
        )
        theirs = self._new_claim(
            partner_id=self.other_customer.id,
            sale_order_id=other_order.id,
            picking_id=other_picking.id,
            line_ids=[],
        )
        portal = self.portal
        Claim = self.env["qms.claim"].with_user(portal)
        self.assertEqual(Claim.search([]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(portal).read(["name"])
        with self.assertRaises(AccessError):
            mine.with_user(portal).write({"root_cause": "x"})
        with self.assertRaises(AccessError):
            Claim.create(self._claim_vals())

    def test_multi_company(self):
        claim = self._new_claim()
        company_b = self.env["res.company"].create({"name": "Other Co"})
        user_b = new_test_user(
            self.env,
            login="as_service_b",
            groups="sales_qms.group_qms_customer_service",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        self.assertFalse(
            self.env["qms.claim"].with_user(user_b).search([("id", "=", claim.id)])
        )
        self.assertFalse(
            self.env["qms.claim.action"]
            .with_user(user_b)
            .search([("claim_id", "=", claim.id)])
        )
        visit = self.env["qms.followup.visit"].create({"partner_id": self.customer.id})
        log = self.env["qms.contact.log"].create(
            {"partner_id": self.customer.id, "summary": "call"}
        )
        self.assertFalse(
            self.env["qms.followup.visit"]
            .with_user(user_b)
            .search([("id", "=", visit.id)])
        )
        self.assertFalse(
            self.env["qms.contact.log"].with_user(user_b).search([("id", "=", log.id)])
        )
        with self.assertRaises(AccessError):
            claim.with_user(user_b).read(["name"])
