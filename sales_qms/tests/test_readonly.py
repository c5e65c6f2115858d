"""The public read-only entry points of sales_qms.

Odoo 18 answers the web client's calls of methods declared ``@api.readonly``
(``/web/dataset/call_kw`` and ``call_button``) on a read-only cursor, from a
PostgreSQL replica when one is configured (``db_replica_host``). Every such
method of sales_qms is listed here and run as its user in a read-only
transaction: one that wrote would fail (on a replica it would be retried on the
primary, costing a second round trip)."""

import inspect

import psycopg2

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_after_sales import AfterSalesCommon


def _sales_qms_readonly_methods(env):
    """{(model, method)} declared @api.readonly in sales_qms's own code."""
    found = set()
    for model_name in env.registry:
        for klass in type(env[model_name]).mro():
            if not klass.__module__.startswith("odoo.addons.sales_qms."):
                continue
            for name, member in vars(klass).items():
                if inspect.isfunction(member) and getattr(member, "_readonly", False):
                    found.add((model_name, name))
    return found


@tagged("post_install", "-at_install")
class TestReadonlyEntryPoints(AfterSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.claim = cls._new_claim()
        cls.visit = cls.env["qms.followup.visit"].create(
            {
                "partner_id": cls.customer.id,
                "sale_order_id": cls.order.id,
                "scheduled_date": fields.Date.today(),
            }
        )
        cls.inspection = cls.picking.qms_inspection_id
        # a contract review round of an order
        cls.company.qms_review_required = True
        cls.quotation = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": 1})
                ],
            }
        )
        reviewer = new_test_user(
            cls.env, login="qms_ro_reviewer", groups="sales_qms.group_qms_user"
        )
        cls.env["qms.department"].search([]).user_ids = [Command.link(reviewer.id)]
        cls.review = cls.quotation.sudo()._qms_create_review("initial")
        cls.company.qms_review_required = False
        cls.employee = new_test_user(cls.env, login="qms_ro_employee")

    def _calls(self):
        """(model, method) -> (records as their user, arguments)."""
        service, sales = self.service, self.salesman
        inspector = self.inspector
        today = fields.Date.today()
        return {
            ("stock.lot", "action_qms_recall_scope"): (
                self.lot.with_user(inspector),
                (),
            ),
            ("stock.lot", "action_qms_view_claims"): (self.lot.with_user(service), ()),
            ("stock.lot", "action_qms_view_inspections"): (
                self.lot.with_user(inspector),
                (),
            ),
            ("stock.lot", "action_qms_open_status_wizard"): (
                self.lot.with_user(inspector),
                (),
            ),
            ("res.partner", "action_qms_received_lots"): (
                self.customer.with_user(inspector),
                (),
            ),
            ("product.template", "action_qms_open_lots"): (
                self.product.product_tmpl_id.with_user(inspector),
                (),
            ),
            ("sale.order", "action_qms_view_reviews"): (
                self.quotation.with_user(sales),
                (),
            ),
            ("sale.order", "action_view_qms_claims"): (self.order.with_user(sales), ()),
            ("sale.order", "action_qms_open_downgrade"): (
                self.quotation.with_user(sales),
                (),
            ),
            ("qms.followup.visit", "action_view_claims"): (
                self.visit.with_user(service),
                (),
            ),
            ("qms.claim", "action_view_return"): (self.claim.with_user(service), ()),
            ("qms.claim", "action_view_replacement"): (
                self.claim.with_user(service),
                (),
            ),
            ("qms.claim", "action_view_credit_note"): (
                self.claim.with_user(service),
                (),
            ),
            ("stock.picking", "action_qms_request_release"): (
                self.picking.with_user(self.keeper),
                (),
            ),
            ("stock.picking", "action_qms_view_releases"): (
                self.picking.with_user(self.keeper),
                (),
            ),
            ("qms.delivery.inspection", "action_open_picking"): (
                self.inspection.with_user(inspector),
                (),
            ),
            ("qms.delivery.inspection", "action_print"): (
                self.inspection.with_user(inspector),
                (),
            ),
            ("qms.contract.review", "action_print"): (self.review.with_user(sales), ()),
            ("report.sales_qms.report_service_monthly", "get_figures"): (
                self.env["report.sales_qms.report_service_monthly"].with_user(service),
                (str(today.replace(day=1)), str(today)),
            ),
        }

    def _call_read_only(self, records, method, args):
        """Call in a read-only transaction: a write fails at once or at the
        flush; everything is rolled back afterwards."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("SAVEPOINT qms_readonly")
        cr.execute("SET TRANSACTION READ ONLY")
        try:
            result = getattr(records, method)(*args)
            records.env.flush_all()
            return result
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT qms_readonly")
            cr.execute("RELEASE SAVEPOINT qms_readonly")
            self.env.invalidate_all()

    def test_every_readonly_method_is_listed(self):
        declared = _sales_qms_readonly_methods(self.env)
        self.assertEqual(
            declared,
            set(self._calls()),
            "a sales_qms method declared @api.readonly is not exercised here "
            "(or a listed one lost its declaration)",
        )

    def test_readonly_methods_do_not_write(self):
        for (model, method), (records, args) in self._calls().items():
            with self.subTest(model=model, method=method):
                self.assertEqual(records._name, model)
                try:
                    result = self._call_read_only(records, method, args)
                except psycopg2.errors.ReadOnlySqlTransaction as exc:
                    self.fail(f"{model}.{method} writes: {exc}")
                self.assertTrue(result)

    def test_monthly_figures(self):
        today = fields.Date.today()
        Report = self.env["report.sales_qms.report_service_monthly"]
        figures = Report.with_user(self.service).get_figures(
            str(today.replace(day=1)), str(today)
        )
        self.assertEqual(figures["company_id"], self.company.id)
        self.assertGreaterEqual(figures["claims_received"], 1)
        # the same numbers as the printed report
        printed = Report._get_report_values(
            [], {"date_from": figures["date_from"], "date_to": figures["date_to"]}
        )
        for key in ("claims_received", "open_claims", "visits_due"):
            self.assertEqual(figures[key], printed[key], key)
        # who may not print the report may not read its figures either
        with self.assertRaises(AccessError):
            Report.with_user(self.employee).get_figures()
