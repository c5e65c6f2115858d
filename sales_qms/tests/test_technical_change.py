"""Technical change notices: approval, affected customers, notice, answers, and
the delivery of a changed product only to customers who accepted it."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common_customer import CustomerCase


class TechnicalChangeCase(CustomerCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_2 = cls.env["res.partner"].create(
            {"name": "Foshan Power Grid", "is_company": True, "email": "fs@example.com"}
        )
        cls.customer_3 = cls.env["res.partner"].create(
            {"name": "Old Customer Ltd", "is_company": True, "email": "old@example.com"}
        )
        cls.customer_4 = cls.env["res.partner"].create(
            {"name": "Other Product Customer", "is_company": True}
        )
        cls.other_product = cls._make_product("Work gloves GL-012")
        cls._stock(cls.product, 100)
        cls._stock(cls.other_product, 100)
        # delivered lately to a contact of customer 1 and to customer 2
        cls.delivery_1 = cls._deliver(cls.contact, cls.product)
        cls.delivery_2 = cls._deliver(cls.customer_2, cls.product)
        # delivered two years ago: out of the look-back
        cls.delivery_3 = cls._deliver(cls.customer_3, cls.product)
        old = fields.Datetime.now() - timedelta(days=730)
        cls.delivery_3.move_ids.write({"date": old})
        cls.delivery_3.write({"date_done": old})
        # another product only
        cls._deliver(cls.customer_4, cls.other_product)
        # an open order of the product, not delivered yet
        cls.open_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer_2.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 2})
                ],
            }
        )
        cls.open_order.action_confirm()

    @classmethod
    def _deliver(cls, partner, product, qty=1):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = qty
        picking.move_ids.picked = True
        picking.button_validate()
        return picking

    def _change(self, user=None, **vals):
        return (
            self.env["qms.technical.change"]
            .with_user(user or self.qms_user)
            .create(
                {
                    "title": "Reflective tape 3M 8906 replaces 3M 8910",
                    "product_ids": [Command.set(self.product.ids)],
                    "description": "From lot AS200-2612 on, the reflective tape is 3M 8906.",
                    "effective_date": fields.Date.today(),
                    **vals,
                }
            )
        )

    def _notified_change(self):
        change = self._change()
        change.with_user(self.qms_manager).action_approve()
        change.action_find_affected()
        change.action_notify()
        return change

    def _line(self, change, partner):
        return change.affected_line_ids.filtered(lambda x: x.partner_id == partner)


@tagged("post_install", "-at_install")
class TestTechnicalChange(TechnicalChangeCase):
    def test_approval_by_qms_manager_only(self):
        change = self._change()
        self.assertTrue(change.name.startswith("TCN/"))
        for user in (self.qms_user, self.salesman, self.sales_manager):
            with self.assertRaises(AccessError):
                change.with_user(user).action_approve()
        with self.assertRaises(AccessError):
            change.write({"state": "approved"})
        change.with_user(self.qms_manager).action_approve()
        self.assertEqual(change.state, "approved")
        self.assertEqual(change.approved_by, self.qms_manager)
        with self.assertRaisesRegex(UserError, "not edited"):
            change.write({"description": "something else"})
        with self.assertRaisesRegex(UserError, "already approved"):
            change.with_user(self.qms_manager).action_approve()
        with self.assertRaises(UserError):
            change.unlink()

    def test_find_affected_customers(self):
        change = self._change()
        change.action_find_affected()
        lines = change.affected_line_ids
        self.assertEqual(lines.partner_id, self.customer | self.customer_2)
        line_1 = self._line(change, self.customer)
        self.assertTrue(line_1.last_delivery_date)
        self.assertEqual(line_1.picking_ids, self.delivery_1)
        self.assertEqual(
            self._line(change, self.customer_2).sale_order_ids, self.open_order
        )
        self.assertEqual(change.affected_count, 2)
        # a longer look-back reaches the old delivery
        change.lookback_months = 36
        change.action_find_affected()
        self.assertIn(self.customer_3, change.affected_line_ids.partner_id)
        change.lookback_months = 12
        change.action_find_affected()
        self.assertNotIn(self.customer_3, change.affected_line_ids.partner_id)
        # a unit still in the customer's installed base is found, however old
        unit = self.env["qms.installed.product"]._qms_system_create(
            [
                {
                    "partner_id": self.customer_3.id,
                    "product_id": self.product.id,
                    "state": "installed",
                }
            ]
        )
        change.action_find_affected()
        self.assertIn(self.customer_3, change.affected_line_ids.partner_id)
        # returned: no longer at the customer
        unit._qms_system_write({"state": "returned"})
        change.action_find_affected()
        self.assertNotIn(self.customer_3, change.affected_line_ids.partner_id)

    def test_lines_are_found_not_entered(self):
        change = self._change()
        Line = self.env["qms.technical.change.line"]
        with self.assertRaises(AccessError):
            Line.with_user(self.qms_user).create(
                {"change_id": change.id, "partner_id": self.customer_4.id}
            )
        change.action_find_affected()
        with self.assertRaises(AccessError):
            change.affected_line_ids[0].with_user(self.qms_user).write(
                {"response": "accepted"}
            )

    def test_notify_sends_pdf_and_link(self):
        change = self._change()
        change.action_find_affected()
        with self.assertRaisesRegex(UserError, "approved"):
            change.action_notify()
        change.with_user(self.qms_manager).action_approve()
        change.action_notify()
        self.assertEqual(change.state, "notified")
        line = self._line(change, self.customer)
        self.assertTrue(line.notified_on and line.access_token)
        message = line.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        self.assertEqual(len(message), 1)
        self.assertTrue(message.attachment_ids, "the PDF notice is attached")
        self.assertIn(f"/my/technical_changes/{line.id}", message.body)
        self.assertIn("access_token", message.body)
        logs = self.env["qms.contact.log"].search(
            [("technical_change_id", "=", change.id)]
        )
        self.assertEqual(logs.partner_id, self.customer | self.customer_2)

    def test_answer_by_phone(self):
        change = self._notified_change()
        line = self._line(change, self.customer)
        action = line.action_record_response()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.qms_user)
            .with_context(**action["context"])
        )
        wizard.response = "accepted"
        wizard.acknowledged_by = "Li Na"
        wizard.channel = "phone"
        wizard.save().action_confirm()
        self.assertEqual(line.response, "accepted")
        self.assertEqual(line.acknowledged_by, "Li Na")
        self.assertEqual(line.response_channel, "phone")
        self.assertTrue(line.acknowledged_on)
        self.assertEqual(change.accepted_count, 1)
        with self.assertRaisesRegex(UserError, "who answered"):
            self._line(change, self.customer_2).action_record_response(
                response="rejected", channel="email"
            )
        with self.assertRaises(AccessError):
            self._line(change, self.customer_2).with_user(
                self.employee
            ).action_record_response(
                response="rejected", acknowledged_by="x", channel="email"
            )
        self._line(change, self.customer_2).with_user(
            self.qms_user
        ).action_record_response(
            response="rejected", acknowledged_by="Mr Zhou", channel="email"
        )
        self.assertEqual(change.rejected_count, 1)
        change.with_user(self.qms_manager).action_close()
        with self.assertRaisesRegex(UserError, "not awaiting"):
            line.action_record_response(
                response="rejected", acknowledged_by="Li Na", channel="phone"
            )


@tagged("post_install", "-at_install")
class TestTechnicalChangeDelivery(TechnicalChangeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.qms_change_acceptance_required = True

    def _pending_delivery(self, partner, product=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": (product or self.product).id,
                            "product_uom_qty": 1,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        return picking

    def test_button_batch_and_direct_paths(self):
        change = self._notified_change()
        picking = self._pending_delivery(self.customer)
        other = self._pending_delivery(self.customer_2)
        with self.assertRaisesRegex(UserError, change.name):
            picking.button_validate()
        with self.assertRaisesRegex(UserError, "has not accepted"):
            (picking | other).button_validate()
        with self.assertRaisesRegex(UserError, "has not accepted"):
            picking.move_ids._action_done()
        with self.assertRaisesRegex(UserError, "has not accepted"):
            picking.with_user(self.stock_user).button_validate()
        self.assertEqual(picking.state, "assigned")
        self._line(change, self.customer).action_record_response(
            response="accepted", acknowledged_by="Li Na", channel="phone"
        )
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        # the customer who rejected stays blocked; a closed change still holds
        self._line(change, self.customer_2).action_record_response(
            response="rejected", acknowledged_by="Mr Zhou", channel="email"
        )
        change.with_user(self.qms_manager).action_close()
        with self.assertRaisesRegex(UserError, "Rejected"):
            other.button_validate()

    def test_not_concerned(self):
        self._notified_change()
        # a customer not affected, another product, before the effective date
        self._pending_delivery(self.customer_4).button_validate()
        self._pending_delivery(self.customer, self.other_product).button_validate()

    def test_before_the_effective_date(self):
        later = self._change(effective_date=fields.Date.today() + timedelta(days=10))
        later.with_user(self.qms_manager).action_approve()
        later.action_find_affected()
        later.action_notify()
        picking = self._pending_delivery(self.customer)
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_draft_change_and_setting_off(self):
        change = self._change()
        change.action_find_affected()
        self._pending_delivery(self.customer).button_validate()
        change.with_user(self.qms_manager).action_approve()
        picking = self._pending_delivery(self.customer)
        with self.assertRaisesRegex(UserError, "has not accepted"):
            picking.button_validate()
        self.company.qms_change_acceptance_required = False
        picking.button_validate()
        self.assertEqual(picking.state, "done")
