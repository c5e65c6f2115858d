"""From a lot: the claims and the pre-delivery inspections that concern it, on
the lot form and in the recall scope report."""

from odoo.tests import tagged

from .common_after_sales import AfterSalesCommon


@tagged("post_install", "-at_install")
class TestLotLinks(AfterSalesCommon):
    def test_lot_shows_its_claims_and_inspections(self):
        claim = self._new_claim()
        lot = self.lot.with_user(self.service)
        self.assertEqual(lot.qms_claim_count, 1)
        self.assertEqual(lot.qms_inspection_count, 1)
        self.assertEqual(lot._qms_claims(), claim)
        self.assertEqual(lot._qms_inspections(), self.picking.qms_inspection_id)
        action = lot.action_qms_view_claims()
        self.assertEqual(self.env["qms.claim"].search(action["domain"]), claim)
        action = lot.action_qms_view_inspections()
        self.assertEqual(
            self.env["qms.delivery.inspection"].search(action["domain"]),
            self.picking.qms_inspection_id,
        )
        # a lot that went nowhere concerns nothing
        self.assertEqual(self.lot_never_delivered.qms_claim_count, 0)
        self.assertEqual(self.lot_never_delivered.qms_inspection_count, 0)

    def test_counts_hidden_from_users_outside_qms(self):
        self._new_claim()
        stock_user = self.plain_stock_user
        lot = self.lot.with_user(stock_user)
        self.assertEqual((lot.qms_claim_count, lot.qms_inspection_count), (0, 0))

    def test_recall_report_lists_claims_and_inspections(self):
        claim = self._new_claim()
        inspection = self.picking.qms_inspection_id
        html = (
            self.env["ir.actions.report"]
            .with_user(self.service)
            ._render_qweb_html(
                "sales_qms.qms_recall_scope_report_document", self.lot.ids
            )[0]
            .decode()
        )
        self.assertIn(claim.name, html)
        self.assertIn(inspection.name, html)
