"""The lot status flow in the browser, as a QC inspector."""

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import QmsCommon


@tagged("post_install", "-at_install")
class TestLotStatusTour(QmsCommon, HttpCase):
    def test_change_status_from_the_lot_form(self):
        # the lot menu shows to users who see lots
        self.inspector.groups_id = [
            Command.link(self.env.ref("stock.group_production_lot").id)
        ]
        product = self._make_product("Tour coverall", tracking="lot")
        lot = self.env["stock.lot"].create(
            {"name": "LOT-TOUR-1", "product_id": product.id}
        )
        self.start_tour(
            f"/odoo/action-sales_qms.stock_lot_action_qms/{lot.id}",
            "sales_qms_lot_status_tour",
            login=self.inspector.login,
        )
        self.assertEqual(lot.qms_status, "nonconforming")
        self.assertEqual(
            lot.qms_status_log_ids.sorted("id")[-1].reason,
            "Tour: seams open on 3 samples",
        )
