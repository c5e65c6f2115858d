from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_sales_plan import SalesPlanCommon
from .test_harness import _pdf_text


@tagged("post_install", "-at_install")
class TestSalesPlan(SalesPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.start = date(2030, 5, 1)
        cls.end = date(2030, 5, 31)
        cls.purchasing = cls.env["qms.department"].search(
            [("code", "=", "purchasing")], limit=1
        )
        cls.purchasing.user_ids = [Command.set(cls.qms_user.ids)]

    def _receipt(self, product, qty, when):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.stock_location.id,
                "scheduled_date": when,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": self.env.ref(
                                "stock.stock_location_suppliers"
                            ).id,
                            "location_dest_id": self.stock_location.id,
                            "date": when,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        return picking

    def _plan(self, user=None, **vals):
        return (
            self.env["qms.sales.plan"]
            .with_user(user or self.sales_manager)
            .create({"date_from": self.start, "date_to": self.end, **vals})
        )

    def _demand(self):
        # contract due in the period, 4 of 10 already delivered
        self._stock(self.coverall, 4)
        contract = self._sell(
            self.salesman,
            self.coverall,
            10,
            commitment_date=datetime(2030, 5, 10, 8),
        )
        self._deliver(contract, qty=4)
        # quotation due in the period
        self._sell(
            self.other_salesman,
            self.coverall,
            20,
            confirm=False,
            commitment_date=datetime(2030, 5, 20, 8),
        )
        # due after the period: not in this plan
        self._sell(
            self.salesman,
            self.coverall,
            50,
            commitment_date=datetime(2030, 6, 2, 8),
        )
        self._sell(
            self.salesman, self.gloves, 5, commitment_date=datetime(2030, 5, 3, 8)
        )
        # stock: 8 coveralls on hand, 5 arriving in the period, 100 after it
        self._stock(self.coverall, 8)
        self._stock(self.gloves, 100)
        self._receipt(self.coverall, 5, datetime(2030, 5, 15, 8))
        self._receipt(self.coverall, 100, datetime(2030, 6, 15, 8))

    def test_lines_with_shortfall_and_incoming_stock(self):
        self._demand()
        plan = self._plan()
        plan.action_compute_lines()
        line = plan.line_ids.filtered(lambda x: x.product_id == self.coverall)
        self.assertEqual(line.contract_qty, 6)
        self.assertEqual(line.quotation_qty, 20)
        self.assertEqual(line.planned_qty, 26)
        self.assertEqual(line.available_qty, 13)
        self.assertEqual(line.shortfall_qty, 13)
        gloves = plan.line_ids.filtered(lambda x: x.product_id == self.gloves)
        self.assertEqual(gloves.shortfall_qty, 0)
        self.assertEqual(plan.shortfall_count, 1)

        # contracts only
        plan2 = self._plan(include_quotations=False)
        plan2.action_compute_lines()
        line2 = plan2.line_ids.filtered(lambda x: x.product_id == self.coverall)
        self.assertEqual(line2.planned_qty, 6)
        self.assertEqual(line2.shortfall_qty, 0)

        # the planner's own figure survives a recomputation
        line.with_user(self.sales_manager).planned_qty = 40
        plan.action_compute_lines()
        self.assertEqual(line.planned_qty, 40)
        self.assertTrue(line.planned_manual)
        self.assertEqual(line.shortfall_qty, 27)

    def test_computed_figures_are_the_systems(self):
        self._demand()
        plan = self._plan()
        plan.action_compute_lines()
        line = plan.line_ids[:1]
        for field in ("available_qty", "contract_qty", "shortfall_qty"):
            with self.assertRaisesRegex(AccessError, "recorded by the system"):
                line.with_user(self.sales_manager).write({field: 9999})
        with self.assertRaisesRegex(AccessError, "recorded by the system"):
            plan.with_user(self.sales_manager).write(
                {
                    "line_ids": [
                        Command.create(
                            {"product_id": self.gloves.id, "available_qty": 1e6}
                        )
                    ]
                }
            )
        with self.assertRaisesRegex(AccessError, "recorded by the system"):
            plan.with_user(self.sales_manager).write({"state": "approved"})

    def test_rights_and_approval(self):
        self._demand()
        with self.assertRaisesRegex(AccessError, "sales manager"):
            self._plan(user=self.salesman)
        plan = self._plan()
        with self.assertRaises(AccessError):
            plan.with_user(self.salesman).action_compute_lines()
        with self.assertRaisesRegex(UserError, "compute its lines first"):
            plan.action_approve()
        plan.with_user(self.sales_manager).action_compute_lines()
        # salespeople and the purchasing department read the plan
        self.assertTrue(plan.with_user(self.salesman).line_ids)
        self.assertTrue(plan.with_user(self.qms_user).line_ids)
        with self.assertRaises(AccessError):
            plan.with_user(self.salesman).action_approve()
        plan.with_user(self.sales_manager).action_approve()
        self.assertEqual(plan.state, "approved")
        with self.assertRaisesRegex(UserError, "approved sales plan"):
            plan.with_user(self.sales_manager).action_compute_lines()
        with self.assertRaisesRegex(UserError, "approved sales plan"):
            plan.line_ids[:1].with_user(self.sales_manager).planned_qty = 1
        with self.assertRaisesRegex(UserError, "approved sales plan"):
            plan.with_user(self.sales_manager).write({"date_to": date(2030, 6, 30)})
        with self.assertRaisesRegex(UserError, "approved sales plan"):
            plan.with_user(self.qms_manager).unlink()

    def test_notify_purchasing(self):
        self._demand()
        plan = self._plan()
        plan.action_compute_lines()
        with self.assertRaisesRegex(UserError, "approve the plan"):
            plan.action_notify_purchasing()
        plan.action_approve()
        with self.assertRaises(AccessError):
            plan.with_user(self.salesman).action_notify_purchasing()
        plan.with_user(self.sales_manager).action_notify_purchasing()
        activity = plan.activity_ids.filtered(lambda a: a.user_id == self.qms_user)
        self.assertEqual(len(activity), 1)
        self.assertIn("QMS plan coverall", activity.note)
        self.assertIn("13", activity.note)
        self.assertEqual(len(activity.attachment_ids), 1)
        self.assertTrue(activity.attachment_ids.name.endswith(".pdf"))
        self.assertTrue(plan.notified_on)
        # the purchasing user sees the plan the activity points to
        self.assertEqual(plan.with_user(self.qms_user).name, plan.name)

    def test_notify_needs_purchasing_users_and_a_shortfall(self):
        self._demand()
        plan = self._plan()
        plan.action_compute_lines()
        plan.action_approve()
        self.purchasing.user_ids = [Command.clear()]
        with self.assertRaisesRegex(UserError, "purchasing department"):
            plan.action_notify_purchasing()
        covered = self._plan(include_quotations=False)
        covered.action_compute_lines()
        covered.action_approve()
        self.purchasing.user_ids = [Command.set(self.qms_user.ids)]
        with self.assertRaisesRegex(UserError, "no shortfall"):
            covered.action_notify_purchasing()

    def test_plan_pdf_in_chinese(self):
        self._demand()
        plan = self._plan()
        plan.action_compute_lines()
        self.env["res.lang"]._activate_lang("zh_CN")
        pdf, _fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, lang="zh_CN")
            ._render_qweb_pdf("sales_qms.action_report_qms_sales_plan", plan.ids)
        )
        text = _pdf_text(pdf)
        self.assertIn("销售计划", text)
        self.assertIn("短缺", text)
        self.assertIn(plan.name, text)
        self.assertIn("QMS plan coverall", text)
        self.assertIn(self.company.name, text)
        pdf, _fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, lang="en_US")
            ._render_qweb_pdf("sales_qms.action_report_qms_sales_plan", plan.ids)
        )
        self.assertIn("Shortfall", _pdf_text(pdf))
