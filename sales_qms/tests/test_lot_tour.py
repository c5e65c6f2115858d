"""The lot status flow in the browser, as a QC inspector."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestLotStatusTour(HttpCase):
    def test_change_status_from_the_lot_form(self):
        new_test_user(
            self.env,
            login="lot_tour_inspector",
            lang="en_US",
            groups="sales_qms.group_qms_inspector,stock.group_stock_user,"
            "stock.group_production_lot",
        )
        product = self.env["product.product"].create(
            {"name": "Tour coverall", "is_storable": True, "tracking": "lot"}
        )
        lot = self.env["stock.lot"].create(
            {"name": "LOT-TOUR-1", "product_id": product.id}
        )
        self.start_tour(
            f"/odoo/action-sales_qms.stock_lot_action_qms/{lot.id}",
            "sales_qms_lot_status_tour",
            login="lot_tour_inspector",
        )
        self.assertEqual(lot.qms_status, "nonconforming")
        self.assertEqual(
            lot.qms_status_log_ids.sorted("id")[-1].reason,
            "Tour: seams open on 3 samples",
        )
