"""Fields only the system sets, and the decisions that read them (issue 9,
defects 1, 2, 5, 6, 7, 8): refused on every user path, never trusted blindly."""

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SIGNATURE, QmsCommon, pass_inspection


@tagged("post_install", "-at_install")
class TestSystemFields(QmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._make_product("System field coverall", list_price=100)
        cls._stock(cls.product, 100)

    def _quotation(self, user=None):
        return (
            self.env["sale.order"]
            .with_user(user or self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": (user or self.salesman).id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 2}
                        )
                    ],
                }
            )
        )

    def _approved_round(self):
        order = self._quotation()
        order.sudo()._qms_record_paper_review("reviewed on paper")
        self.assertEqual(order.qms_review_state, "approved")
        return order

    # ------------------------------------------------------------ defect 1
    def test_review_link_is_refused_on_every_user_path(self):
        approved = self._approved_round()
        quotation = self._quotation()
        round_id = approved.qms_review_id.id
        with self.assertRaisesRegex(AccessError, "Current Review"):
            quotation.with_user(self.salesman).write({"qms_review_id": round_id})
        with self.assertRaisesRegex(AccessError, "Contract Review"):
            quotation.with_user(self.salesman).write({"qms_review_state": "approved"})
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.salesman).create(
                {"partner_id": self.customer.id, "qms_review_id": round_id}
            )
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.salesman).with_context(
                default_qms_review_id=round_id
            ).create({"partner_id": self.customer.id})
        with self.assertRaises(AccessError):
            quotation.with_user(self.salesman).copy({"qms_review_id": round_id})
        # a QMS manager is no system either
        with self.assertRaises(AccessError):
            quotation.with_user(self.qms_manager).write({"qms_review_id": round_id})
        self.assertFalse(quotation.qms_review_id)
        with self.assertRaisesRegex(UserError, "cannot be confirmed"):
            quotation.with_user(self.salesman).action_confirm()

    def test_confirmation_never_trusts_another_orders_round(self):
        """Even a link set behind the ORM's back does not let an order through."""
        approved = self._approved_round()
        quotation = self._quotation()
        self.env.cr.execute(
            "UPDATE sale_order SET qms_review_id = %s, qms_review_state = 'approved' "
            "WHERE id = %s",
            (approved.qms_review_id.id, quotation.id),
        )
        quotation.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "cannot be confirmed"):
            quotation.with_user(self.salesman).action_confirm()
        self.assertEqual(quotation.state, "draft")

    # ------------------------------------------------------------ defect 2
    def _delivery(self):
        self._switch_off_review()
        order = self._quotation()
        order.with_user(self.salesman).action_confirm()
        return order.picking_ids

    def test_inspection_link_is_refused_and_never_trusted(self):
        signed = self._delivery()
        pass_inspection(signed, self.keeper, self.inspector)
        unsigned = self._delivery()
        inspection = signed.qms_inspection_id
        for user in (self.stock_user, self.keeper, self.qms_manager):
            with self.assertRaisesRegex(AccessError, "Pre-delivery Inspection"):
                unsigned.with_user(user).write({"qms_inspection_id": inspection.id})
        # set behind the ORM's back: the validation reads the inspection's own
        # transfer and refuses
        self.env.cr.execute(
            "UPDATE stock_picking SET qms_inspection_id = %s WHERE id = %s",
            (inspection.id, unsigned.id),
        )
        unsigned.invalidate_recordset()
        with self.assertRaisesRegex(UserError, "the QC inspector has not signed"):
            unsigned.with_user(self.stock_user).button_validate()
        self.assertNotEqual(unsigned.state, "done")

    def test_signers_are_recorded_by_the_system_only(self):
        picking = self._delivery()
        inspection = picking.qms_inspection_id
        inspection.with_user(self.inspector).line_ids.write({"result": "pass"})
        for vals in (
            {"keeper_id": self.keeper.id},
            {"inspector_signed_on": "2026-01-01 00:00:00"},
            {"signed_content_hash": "x"},
        ):
            with self.assertRaises(AccessError):
                inspection.with_user(self.keeper).write(vals)
        inspection.with_user(self.keeper).write({"keeper_signature": SIGNATURE})
        self.assertEqual(inspection.keeper_id, self.keeper)

    # ------------------------------------------------------------ defect 6
    def test_claim_partner_of_the_portal_rule_is_a_system_field(self):
        other = self.env["res.partner"].create(
            {"name": "Other customer", "is_company": True}
        )
        claim = (
            self.env["qms.claim"]
            .with_user(self.service)
            .create({"partner_id": self.customer.id, "description": "torn seam"})
        )
        with self.assertRaises(AccessError):
            claim.with_user(self.service).write({"commercial_partner_id": other.id})
        with self.assertRaises(AccessError):
            self.env["qms.claim"].with_user(self.service).create(
                {
                    "partner_id": self.customer.id,
                    "commercial_partner_id": other.id,
                }
            )
        self.assertEqual(claim.commercial_partner_id, self.customer)

    # ------------------------------------------------------------ defect 7
    def test_capacity_is_a_positive_finite_quantity(self):
        template = self.product.product_tmpl_id
        for value in (-5, float("nan"), float("inf")):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                template.with_user(self.sales_manager).write(
                    {"qms_capacity_qty": value}
                )
            # the constraint holds for trusted code too
            with self.subTest(value=value), self.assertRaises(ValidationError):
                template.sudo().write({"qms_capacity_qty": value})
        template.write({"qms_capacity_qty": 500})
        self.assertEqual(template.qms_capacity_qty, 500)

    # ------------------------------------------------------------ defect 8
    def test_bad_ids_are_refused_cleanly(self):
        Claim = self.env["qms.claim"].with_user(self.service)
        for company in ([1, 2], "abc", 10**12, -1, 999_999):
            with self.subTest(company=company), self.assertRaises(ValidationError):
                Claim.create({"partner_id": self.customer.id, "company_id": company})
        Line = self.env["qms.delivery.inspection.line"].with_user(self.inspector)
        for inspection in ("abc", 10**12, 999_999, [1, 2]):
            with (
                self.subTest(inspection=inspection),
                self.assertRaises(ValidationError),
            ):
                Line.create({"inspection_id": inspection, "name": "x"})

    # ------------------------------------------------------------ defect 5
    def test_company_records_are_kept_within_their_company(self):
        company_b = self.env["res.company"].create({"name": "QMS Company B"})
        template_b = self.env["qms.inspection.template"].create(
            {
                "name": "B checklist",
                "company_id": company_b.id,
                "is_default": True,
                "line_ids": [Command.create({"name": "B item"})],
            }
        )
        item_b = template_b.line_ids
        manager_a = self.qms_manager  # member of company A only
        self.assertNotIn(company_b, manager_a.company_ids)
        Item = self.env["qms.inspection.template.line"].with_user(manager_a)
        self.assertFalse(Item.search([("id", "=", item_b.id)]))
        with self.assertRaises(AccessError):
            item_b.with_user(manager_a).write({"name": "changed from A"})
        with self.assertRaises(AccessError):
            item_b.with_user(manager_a).read(["name"])
        # claim lines follow their claim's company
        customer_b = self.env["res.partner"].create({"name": "B customer"})
        claim_b = (
            self.env["qms.claim"]
            .with_company(company_b)
            .create({"partner_id": customer_b.id, "company_id": company_b.id})
        )
        line_b = self.env["qms.claim.line"].sudo().new({"claim_id": claim_b.id})
        self.assertEqual(line_b.company_id, company_b)
        Line = self.env["qms.claim.line"].with_user(manager_a)
        self.assertFalse(Line.search([("claim_id", "=", claim_b.id)]))

    def test_every_company_model_has_a_company_rule(self):
        """Class check: each sales_qms model whose records belong to a company
        stores company_id and has a multi-company record rule."""
        rules = self.env["ir.rule"].sudo().search([("global", "=", True)])
        ruled = set(rules.mapped("model_id.model"))
        for name, model in self.env.registry.items():
            if not name.startswith("qms.") or model._abstract or model._transient:
                continue
            if "company_id" not in model._fields:
                continue
            with self.subTest(model=name):
                self.assertTrue(model._fields["company_id"].store, name)
                self.assertIn(name, ruled, f"{name} has no company rule")
