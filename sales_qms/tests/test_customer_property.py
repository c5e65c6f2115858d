"""Customer property: registration, verification, loss or damage reported to
the customer, hand-over back with a signature."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SIGNATURE
from .common_customer import CustomerCase


@tagged("post_install", "-at_install")
class TestCustomerProperty(CustomerCase):
    def _property(self, user=None, **vals):
        return (
            self.env["qms.customer.property"]
            .with_user(user or self.salesman)
            .create(
                {
                    "name": "Customer logo artwork and 2 rolls of reflective tape",
                    "partner_id": self.customer.id,
                    "kind": "material",
                    "condition_on_receipt": "Sealed, undamaged",
                    "location": "Warehouse A, shelf 3",
                    **vals,
                }
            )
        )

    def test_register_verify_use(self):
        prop = self._property()
        self.assertTrue(prop.reference.startswith("CP/"))
        self.assertEqual(prop.state, "received")
        self.assertEqual(prop.user_id, self.salesman)
        prop.with_user(self.stock_user).action_verify()
        self.assertEqual(prop.verified_by, self.stock_user)
        prop.action_use()
        self.assertEqual(prop.state, "in_use")
        with self.assertRaisesRegex(UserError, "verified when it is received"):
            prop.action_verify()
        self.assertEqual(self.customer.qms_customer_property_count, 1)

    def test_lot_must_be_of_the_product(self):
        lot_product = self._make_product("Customer tooling", tracking="serial")
        lot = self.env["stock.lot"].create(
            {"name": "MOULD-01", "product_id": lot_product.id}
        )
        with self.assertRaises(ValidationError):
            self._property(product_id=self.product.id, lot_id=lot.id)
        prop = self._property(kind="tooling", product_id=lot_product.id, lot_id=lot.id)
        self.assertEqual(prop.lot_id, lot)

    def test_damage_reaches_the_customer(self):
        self.customer.email = "buyer@example.com"
        prop = self._property()
        # the button opens the form that asks what happened
        action = prop.action_report_problem()
        self.assertEqual(action["res_model"], "qms.customer.property.wizard")
        with self.assertRaisesRegex(UserError, "decision asked"):
            prop.action_report_problem(kind="damaged", description="Tape wet")
        prop.action_report_problem(
            kind="damaged",
            description="One roll of tape got wet in the roof leak of 12 Nov",
            decision="replace",
        )
        self.assertEqual(prop.state, "damaged")
        self.assertEqual(prop.problem_reported_by, self.salesman)
        message = prop.message_ids.filtered(lambda m: self.customer in m.partner_ids)
        self.assertEqual(len(message), 1)
        self.assertIn("roof leak", message.body)
        self.assertIn("Replace it", message.body)
        notification = message.sudo().notification_ids.filtered(
            lambda n: n.res_partner_id == self.customer
        )
        self.assertEqual(notification.notification_type, "email")
        log = prop.contact_log_ids
        self.assertEqual((log.direction, log.channel), ("out", "email"))
        self.assertEqual(log.partner_id, self.customer)
        # reported once; a damaged property can still be handed back
        with self.assertRaisesRegex(UserError, "cannot become"):
            prop.action_report_problem(kind="lost", description="x", decision="other")

    def test_wizard_reports_loss(self):
        prop = self._property()
        action = prop.action_report_problem()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.problem_kind = "lost"
        form.problem_description = "Drawing set missing after the audit"
        form.decision_requested = "other"
        wizard = form.save()
        wizard.action_confirm()
        self.assertEqual(prop.state, "lost")
        # the same wizard sent again changes nothing
        with self.assertRaisesRegex(UserError, "cannot become"):
            wizard.action_confirm()
        with self.assertRaisesRegex(UserError, "cannot become"):
            prop.action_return(received_by="Li Na", signature=SIGNATURE)
        with self.assertRaisesRegex(UserError, "kept as recorded"):
            prop.write({"name": "renamed"})

    def test_hand_back_with_signature(self):
        prop = self._property()
        self.assertEqual(
            prop.action_return()["res_model"], "qms.customer.property.wizard"
        )
        with self.assertRaisesRegex(UserError, "signature"):
            prop.action_return(received_by="Li Na")
        prop.action_return(received_by="Li Na", signature=SIGNATURE)
        self.assertEqual(prop.state, "returned")
        self.assertEqual(prop.returned_to, "Li Na")
        self.assertEqual(prop.returned_by, self.salesman)
        self.assertTrue(prop.returned_on and prop.return_signature)
        with self.assertRaisesRegex(UserError, "cannot become"):
            prop.action_consume()

    def test_rpc_writes_and_wrong_users(self):
        prop = self._property()
        for vals in (
            {"state": "returned"},
            {"returned_to": "someone"},
            {"return_signature": SIGNATURE},
            {"problem_kind": "lost"},
            {"verified_by": self.salesman.id},
        ):
            with self.assertRaises(AccessError):
                prop.write(vals)
        with self.assertRaises(AccessError):
            self._property(state="returned")
        with self.assertRaises(AccessError):
            prop.with_user(self.employee).action_use()
        # the warehouse reads the register, the sales side keeps it
        stock_only = new_test_user(
            self.env, login="qms_stock_only_t", groups="stock.group_stock_user"
        )
        self.assertTrue(prop.with_user(stock_only).name)
        with self.assertRaises(AccessError):
            prop.with_user(stock_only).action_verify()
        with self.assertRaises(AccessError):
            prop.with_user(self.portal).read(["name"])
        with self.assertRaises(UserError):
            prop.unlink()

    def test_batch_hand_back(self):
        props = self._property() | self._property(name="Sample garments", kind="sample")
        props.action_return(received_by="Li Na", signature=SIGNATURE)
        self.assertEqual(set(props.mapped("state")), {"returned"})
