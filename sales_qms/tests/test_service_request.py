"""Service requests: who handles them, the work report, the customer's
signature and rating, parts through stock moves or a sales order, major
service actions approved by a QMS manager; every rule as the right and the
wrong user, over RPC-style writes and batches."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SIGNATURE
from .common_service import ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceRequest(ServiceCommon):
    def test_full_flow_and_figures(self):
        request = self._request()
        self.assertTrue(request.name.startswith("SRV/"))
        self.assertEqual(request.state, "new")
        self.assertEqual(request.deadline, request.date_request + timedelta(hours=48))
        request.with_user(self.service).write(
            {
                "technician_id": self.technician.id,
                "scheduled_date": fields.Datetime.now() + timedelta(hours=1),
            }
        )
        request.with_user(self.service).action_schedule()
        self.assertEqual(request.state, "scheduled")
        self.assertEqual(request.activity_ids.user_id, self.technician)
        as_tech = request.with_user(self.technician)
        as_tech.action_start()
        self.assertTrue(request.date_start)
        as_tech.write(
            {
                "work_done": "Solenoids cleaned",
                "work_hours": 1.5,
                "customer_signed_by": "Huang Wei",
            }
        )
        as_tech.action_done()
        self.assertEqual(request.state, "done")
        self.assertEqual(request.sla_status, "met")
        self.assertFalse(request.activity_ids)
        as_tech.write({"customer_signature": SIGNATURE, "customer_rating": 5})
        self.assertEqual(request.signature_collected_by_id, self.technician)
        self.assertTrue(request.customer_signed_on)
        request.with_user(self.service).action_close()
        self.assertEqual(request.state, "closed")
        self.assertTrue(request.date_closed)
        self.assertIn(request, self.unit.service_request_ids)
        self.assertGreaterEqual(request.resolution_hours, 0)

    def test_only_customer_service_handles_requests(self):
        with self.assertRaises(AccessError):
            self._request(user=self.technician)
        with self.assertRaises(AccessError):
            self._request(user=self.salesman)
        request = self._request(
            technician_id=self.technician.id,
            scheduled_date=fields.Datetime.now() + timedelta(hours=1),
        )
        for user in (self.technician, self.salesman, self.qms_user):
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                request.with_user(user).action_schedule()
        request.with_user(self.service).action_schedule()
        with self.assertRaises(AccessError):
            request.with_user(self.technician).write({"technician_id": False})
        with self.assertRaises(AccessError):
            request.with_user(self.technician).write(
                {"partner_id": self.company.partner_id.id}
            )
        with self.assertRaises(AccessError):
            request.with_user(self.technician).action_cancel()

    def test_state_and_system_fields_are_refused_on_rpc_writes(self):
        request = self._scheduled()
        for vals in (
            {"state": "done"},
            {"date_done": fields.Datetime.now()},
            {"customer_signed_on": fields.Datetime.now()},
            {"signature_collected_by_id": self.technician.id},
            {"major_approved_by_id": self.qms_manager.id},
            {"deadline": fields.Datetime.now() + timedelta(days=30)},
            {"sla_status": "met"},
            {"repeat_of_id": False or request.id},
        ):
            for user in (self.service, self.qms_manager, self.technician):
                with (
                    self.subTest(vals=vals, user=user.name),
                    self.assertRaises(AccessError),
                ):
                    request.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            self.env["qms.service.request"].with_user(self.service).create(
                {
                    "partner_id": self.customer.id,
                    "service_type_id": self.repair.id,
                    "state": "closed",
                }
            )
        with self.assertRaises(AccessError):
            self.env["qms.service.request"].with_user(self.service).with_context(
                default_state="closed"
            ).create(
                {"partner_id": self.customer.id, "service_type_id": self.repair.id}
            )

    def test_another_technician_cannot_work_on_it(self):
        self._certificate(
            self.technician2,
            "CERT-2-NEW",
            self.repair,
            self.today - timedelta(days=1),
            self.today + timedelta(days=100),
        )
        request = self._scheduled(technician=self.technician)
        with self.assertRaises(AccessError):
            request.with_user(self.technician2).action_start()
        with self.assertRaises(AccessError):
            request.with_user(self.technician2).write({"work_done": "not mine"})
        # and does not see it
        with self.assertRaises(AccessError):
            request.with_user(self.technician2).read(["name"])
        self.assertFalse(
            self.env["qms.service.request"]
            .with_user(self.technician2)
            .search([("id", "=", request.id)])
        )

    def test_done_needs_the_work_report(self):
        request = self._scheduled()
        as_tech = request.with_user(self.technician)
        with self.assertRefused(UserError, "Only requests in progress"):
            as_tech.action_done()
        as_tech.action_start()
        with self.assertRefused(UserError, "the work done.*the hours worked"):
            as_tech.action_done()
        as_tech.write({"work_done": "  "})
        with self.assertRefused(UserError, "the work done"):
            as_tech.action_done()
        as_tech.write({"work_done": "Cleaned", "work_hours": 1.0})
        tracked = self._make_product("Tracked board", tracking="lot")
        as_tech.write(
            {"part_ids": [Command.create({"product_id": tracked.id, "quantity": 1})]}
        )
        with self.assertRefused(UserError, "the lot of the part Tracked board"):
            as_tech.action_done()
        as_tech.write({"part_ids": [Command.clear()]})
        as_tech.action_done()
        self.assertEqual(request.state, "done")
        # the report is kept as reported
        with self.assertRefused(UserError, "kept as reported"):
            as_tech.write({"work_hours": 9})
        with self.assertRefused(UserError, "kept as reported"):
            request.with_user(self.service).write({"work_done": "rewritten"})

    def test_close_needs_signature_or_reason_and_rating(self):
        request = self._done()
        with self.assertRaises(AccessError):
            request.with_user(self.technician).action_close()
        with self.assertRefused(UserError, "signature.*rating"):
            request.with_user(self.service).action_close()
        request.with_user(self.technician).write({"customer_rating": 4})
        with self.assertRefused(UserError, "the customer's signature"):
            request.with_user(self.service).action_close()
        request.with_user(self.service).write(
            {"no_signature_reason": "Customer's manager away; confirmed by e-mail"}
        )
        request.with_user(self.service).action_close()
        self.assertEqual(request.state, "closed")
        with self.assertRefused(UserError, "kept as it is"):
            request.with_user(self.service).write({"customer_rating": 5})
        with self.assertRefused(UserError, "never deleted"):
            request.with_user(self.qms_manager).sudo().unlink()

    def test_rating_is_between_one_and_five(self):
        request = self._done()
        for rating in (6, -1):
            with self.subTest(rating=rating), self.assertRaises(ValidationError):
                request.with_user(self.technician).write({"customer_rating": rating})
        with self.assertRaises(ValidationError):
            request.with_user(self.technician).write({"customer_rating": "5"})

    def test_signature_is_recorded_by_the_system(self):
        request = self._scheduled()
        as_tech = request.with_user(self.technician)
        # not before the work started
        with self.assertRefused(UserError, "once the work has started"):
            as_tech.write({"customer_signature": SIGNATURE, "customer_signed_by": "X"})
        as_tech.action_start()
        with self.assertRefused(UserError, "Signed By"):
            as_tech.write({"customer_signature": SIGNATURE})
        as_tech.write(
            {"customer_signature": SIGNATURE, "customer_signed_by": "Huang Wei"}
        )
        self.assertEqual(request.customer_signed_by, "Huang Wei")
        self.assertEqual(request.signature_collected_by_id, self.technician)
        # who signed cannot be rewritten under the signature
        with self.assertRefused(UserError, "withdraw the signature"):
            as_tech.write({"customer_signed_by": "Somebody else"})
        # withdrawing clears what the system recorded
        as_tech.write({"customer_signature": False})
        self.assertFalse(request.customer_signed_on)
        self.assertFalse(request.signature_collected_by_id)
        # a signature never comes with the request
        with self.assertRaises(UserError):
            self._request(customer_signature=SIGNATURE)

    def test_free_parts_are_consumed_through_stock_moves(self):
        request = self._scheduled()
        as_tech = request.with_user(self.technician)
        as_tech.action_start()
        self.assertTrue(request.under_warranty)
        as_tech.write(
            {
                "work_done": "Card reader replaced",
                "work_hours": 1,
                "part_ids": [
                    Command.create({"product_id": self.part.id, "quantity": 2})
                ],
            }
        )
        part = request.part_ids
        self.assertEqual(part.billing, "warranty")
        # the stock move is the system's to link
        other_move = self.env["stock.move"].search([], limit=1)
        with self.assertRaises(AccessError):
            part.with_user(self.service).write({"move_id": other_move.id})
        before = self.part.qty_available
        as_tech.action_done()
        self.assertEqual(part.status, "consumed")
        move = part.move_id
        self.assertEqual(move.state, "done")
        self.assertEqual(move.location_dest_id.usage, "customer")
        self.assertEqual(move.partner_id, self.customer)
        self.assertEqual(move.origin, request.name)
        self.assertEqual(self.part.qty_available, before - 2)
        with self.assertRefused(UserError, "kept as reported"):
            part.with_user(self.technician).write({"quantity": 1})
        with self.assertRefused(UserError, "kept as reported"):
            part.with_user(self.service).unlink()

    def test_sold_parts_go_through_a_sales_order(self):
        request = self._scheduled()
        as_tech = request.with_user(self.technician)
        as_tech.action_start()
        as_tech.write(
            {
                "work_done": "Card reader replaced",
                "work_hours": 1,
                "customer_signed_by": "Huang Wei",
                "part_ids": [
                    Command.create(
                        {"product_id": self.part.id, "quantity": 1, "billing": "sale"}
                    )
                ],
            }
        )
        with self.assertRefused(UserError, "Create Parts Order"):
            as_tech.action_done()
        with self.assertRaises(AccessError):
            as_tech.action_create_parts_order()
        request.with_user(self.service).action_create_parts_order()
        order = request.sale_order_id
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.order_line.product_id, self.part)
        self.assertEqual(request.part_ids.status, "ordered")
        as_tech.action_done()
        as_tech.write({"customer_signature": SIGNATURE, "customer_rating": 4})
        with self.assertRefused(UserError, "delivery of the parts sold"):
            request.with_user(self.service).action_close()
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        request.part_ids.invalidate_recordset()
        self.assertEqual(request.part_ids.status, "delivered")
        request.with_user(self.service).action_close()
        self.assertEqual(request.state, "closed")

    def test_major_action_needs_an_approved_plan(self):
        request = self._request(
            is_major=True,
            major_plan="Team of three, two testers on site",
            technician_id=self.technician.id,
            scheduled_date=fields.Datetime.now() + timedelta(days=3),
            service_type_id=self.onsite.id,
        )
        self.assertEqual(request.major_plan_by_id, self.service)
        with self.assertRefused(UserError, "major service action"):
            request.with_user(self.service).action_schedule()
        # not customer service, not the author of the plan
        with self.assertRaises(AccessError):
            request.with_user(self.service).action_approve_major()
        request.with_user(self.qms_manager).write(
            {"major_plan": "Team of three, written by the manager"}
        )
        with self.assertRefused(UserError, "other than its author"):
            request.with_user(self.qms_manager).action_approve_major()
        request.with_user(self.qms_manager2).action_approve_major()
        self.assertEqual(request.major_approved_by_id, self.qms_manager2)
        # changing the plan calls for a new approval
        request.with_user(self.service).write({"major_plan": "Team of four"})
        self.assertFalse(request.major_approved_by_id)
        with self.assertRefused(UserError, "major service action"):
            request.with_user(self.service).action_schedule()
        request.with_user(self.qms_manager2).action_approve_major()
        request.with_user(self.service).action_schedule()
        self.assertEqual(request.state, "scheduled")
        # once scheduled, the approved plan stays
        with self.assertRefused(UserError, "no longer changed"):
            request.with_user(self.service).write({"major_plan": "Changed"})
        # the flag itself: only a QMS manager removes it
        other = self._request(is_major=True, major_plan="x")
        with self.assertRaises(AccessError):
            other.with_user(self.service).write({"is_major": False})
        other.with_user(self.qms_manager).write({"is_major": False})
        # and it is set before scheduling, not after
        plain = self._scheduled()
        with self.assertRefused(UserError, "flagged before it is scheduled"):
            plain.with_user(self.service).write({"is_major": True})

    def test_cancel_needs_a_reason(self):
        request = self._scheduled()
        with self.assertRefused(UserError, "without a reason"):
            request.with_user(self.service).action_cancel()
        request.with_user(self.service).write({"cancel_reason": "Customer solved it"})
        request.with_user(self.service).action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertFalse(request.activity_ids)
        with self.assertRefused(UserError, "Only new requests are scheduled"):
            request.with_user(self.service).action_schedule()

    def test_schedule_names_what_is_missing(self):
        request = self._request()
        with self.assertRefused(UserError, "a technician and a scheduled date"):
            request.with_user(self.service).action_schedule()
        # batch: one incomplete request refuses the batch
        ready = self._request(
            technician_id=self.technician.id,
            scheduled_date=fields.Datetime.now() + timedelta(hours=3),
        )
        with self.assertRaises(UserError):
            (ready | request).with_user(self.service).action_schedule()
        self.assertEqual(ready.state, "new")
        # re-entry: scheduling twice is refused
        ready.with_user(self.service).action_schedule()
        with self.assertRefused(UserError, "Only new requests"):
            ready.with_user(self.service).action_schedule()

    def test_visibility(self):
        request = self._request(technician_id=self.technician.id)
        # the customer's salesperson reads it, another salesperson does not
        self.assertTrue(request.with_user(self.salesman).read(["name"]))
        with self.assertRaises(AccessError):
            request.with_user(self.other_salesman).read(["name"])
        with self.assertRaises(AccessError):
            request.with_user(self.salesman).write({"description": "x"})
        # the portal user of the customer reads it
        self.assertEqual(
            self.env["qms.service.request"].with_user(self.portal).search([]), request
        )
        with self.assertRaises(AccessError):
            request.with_user(self.portal).write({"description": "x"})

    def test_installed_products_belong_to_the_customer(self):
        other = self.env["res.partner"].create({"name": "Another customer"})
        with self.assertRefused(ValidationError, "is not installed at"):
            self._request(partner_id=other.id)

    def test_repeat_and_claim_links(self):
        first = self._signed()
        first.with_user(self.service).action_close()
        again = self._request()
        self.assertEqual(again.repeat_of_id, first)
        # a consulting request is no repeat
        self.assertFalse(self._request(service_type_id=self.consulting.id).repeat_of_id)
        action = first.with_user(self.service).action_create_claim()
        claim = self.env["qms.claim"].browse(action["res_id"])
        self.assertEqual(claim.caused_by_request_id, first)
        self.assertEqual(claim.partner_id, self.customer)
        # a claim asks for a service
        action = claim.with_user(self.service).action_create_service_request()
        from_claim = self.env["qms.service.request"].browse(action["res_id"])
        self.assertEqual(from_claim.claim_id, claim)
        self.assertEqual(from_claim.channel, "claim")
        self.assertEqual(claim.service_request_count, 1)
        with self.assertRaises(AccessError):
            claim.with_user(self.technician).action_create_service_request()

    def test_commissioning_installs_the_product(self):
        request = self._done(service_type_id=self.commissioning.id)
        self.assertEqual(request.state, "done")
        self.assertEqual(self.unit.state, "installed")
        self.assertEqual(self.unit.install_date, self.today)

    def test_company_rule(self):
        company_b = self.env["res.company"].create({"name": "Service Company B"})
        partner_b = self.env["res.partner"].create({"name": "B customer"})
        request_b = (
            self.env["qms.service.request"]
            .with_company(company_b)
            .create(
                {
                    "partner_id": partner_b.id,
                    "service_type_id": self.consulting.id,
                    "company_id": company_b.id,
                }
            )
        )
        with self.assertRaises(AccessError):
            request_b.with_user(self.service).read(["name"])
        self.assertNotIn(
            request_b,
            self.env["qms.service.request"].with_user(self.service).search([]),
        )
