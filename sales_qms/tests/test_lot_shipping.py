"""Only qualified lots are reserved for and delivered to customers."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_lot import LotStatusCase


@tagged("post_install", "-at_install")
class TestLotShipping(LotStatusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # lot A is the oldest and would be reserved first (FIFO)
        cls._put_in_stock(cls.lot_a, 10)
        cls._put_in_stock(cls.lot_b, 10)

    def test_reservation_skips_lots_not_qualified(self):
        for status in ("pending", "nonconforming", "pending_disposition"):
            self._set_status(self.lot_a, status)
            picking = self._delivery(15)
            self.assertEqual(self._reserved(picking), {self.lot_b: 10.0}, status)
            self.assertEqual(picking.move_ids.state, "partially_available")
            picking.action_cancel()
        self._set_status(self.lot_a, "qualified")
        picking = self._delivery(15)
        self.assertEqual(sum(self._reserved(picking).values()), 15.0)
        self.assertIn(self.lot_a, picking.move_line_ids.lot_id)

    def test_reservation_context_cannot_be_forged(self):
        """A caller's context key does not widen what a delivery reserves."""
        self._set_status(self.lot_a, "nonconforming")
        for forged in (None, (self.lot_a.id,)):
            picking = self._delivery(15)
            picking.do_unreserve()
            picking.with_context(qms_shipping_lot_ids=forged).action_assign()
            self.assertEqual(self._reserved(picking), {self.lot_b: 10.0}, forged)
            picking.action_cancel()

    def test_internal_moves_keep_reserving(self):
        """Quarantine: a non-conforming lot still moves inside the warehouse."""
        self._set_status(self.lot_a | self.lot_b, "nonconforming")
        quarantine = self.env["stock.location"].create(
            {"name": "Quarantine", "location_id": self.warehouse.view_location_id.id}
        )
        picking = self._internal(20, quarantine)
        self.assertEqual(sum(self._reserved(picking).values()), 20.0)
        self._validate(picking)
        self.assertEqual(picking.state, "done")

    def _delivery_with_lot(self, lot, qty=5):
        """A delivery where the user picked a lot by hand (manual selection)."""
        picking = self._delivery(qty)
        picking.move_line_ids.lot_id = lot
        picking.move_ids.picked = True
        return picking

    def test_validation_refused_whatever_the_path(self):
        self._set_status(self.lot_a, "nonconforming")
        # button, as a stock user
        picking = self._delivery_with_lot(self.lot_a)
        self.assertEqual(picking.move_line_ids.lot_id, self.lot_a)
        with self.assertRaisesRegex(UserError, "LOT-TEST-A"):
            picking.with_user(self.keeper).button_validate()
        # RPC-style _action_done on the picking, the moves, the move lines
        with self.assertRaisesRegex(UserError, "Only qualified lots"):
            picking._action_done()
        with self.assertRaisesRegex(UserError, "Only qualified lots"):
            picking.move_ids._action_done()
        with self.assertRaisesRegex(UserError, "Only qualified lots"):
            picking.move_line_ids._action_done()
        # even a superuser does not ship it
        with self.assertRaisesRegex(UserError, "Only qualified lots"):
            picking.sudo().button_validate()
        # batch: two pickings validated together, one of them clean
        clean = self._delivery(2)
        with self.assertRaisesRegex(UserError, "LOT-TEST-A"):
            (clean | picking).button_validate()
        # backorder wizard: half of it, then "create backorder"
        picking.move_line_ids.quantity = 2
        with self.assertRaisesRegex(UserError, "LOT-TEST-A"):
            self._validate(picking)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(
            self.lot_a.quant_ids.filtered(
                lambda q: q.location_id == self.stock_location
            ).quantity,
            10.0,
        )

    def test_validation_refused_for_every_blocking_status(self):
        for status in ("pending", "nonconforming", "pending_disposition", "scrapped"):
            self._set_status(self.lot_b, status)
            picking = self._delivery_with_lot(self.lot_b, 1)
            with self.assertRaisesRegex(UserError, "LOT-TEST-B"):
                picking.button_validate()
            picking.action_cancel()
        self._set_status(self.lot_b, "qualified")
        picking = self._delivery_with_lot(self.lot_b, 1)
        self._validate(picking)
        self.assertEqual(picking.state, "done")

    def test_move_line_created_by_hand(self):
        """A move line written by hand (no reservation) is checked too."""
        self._set_status(self.lot_a, "pending")
        self._set_status(self.lot_b, "pending")
        picking = self._delivery(3)
        self.assertFalse(picking.move_line_ids)
        self.env["stock.move.line"].create(
            {
                "move_id": picking.move_ids.id,
                "picking_id": picking.id,
                "product_id": self.product.id,
                "lot_id": self.lot_a.id,
                "quantity": 3,
                "location_id": self.stock_location.id,
                "location_dest_id": self.customer_location.id,
                "picked": True,
            }
        )
        with self.assertRaisesRegex(UserError, "LOT-TEST-A"):
            picking.button_validate()

    def test_backorder_wizard(self):
        self._set_status(self.lot_a, "qualified")
        picking = self._delivery(15)  # A 10 + B 5
        self._set_status(self.lot_b, "nonconforming")
        # B was unreserved; the user puts it back by hand on a partial delivery
        self.assertEqual(self._reserved(picking), {self.lot_a: 10.0})
        self.env["stock.move.line"].create(
            {
                "move_id": picking.move_ids.id,
                "picking_id": picking.id,
                "product_id": self.product.id,
                "lot_id": self.lot_b.id,
                "quantity": 2,
                "location_id": self.stock_location.id,
                "location_dest_id": self.customer_location.id,
            }
        )
        picking.move_ids.picked = True
        with self.assertRaisesRegex(UserError, "LOT-TEST-B"):
            self._validate(picking)
        picking.move_line_ids.filtered(lambda ml: ml.lot_id == self.lot_b).unlink()
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(
            sum(picking.backorder_ids.move_ids.mapped("product_uom_qty")), 5.0
        )
        self.assertFalse(picking.backorder_ids.move_line_ids)

    def test_blocking_status_unreserves_and_tells(self):
        picking = self._delivery(5)
        picking.user_id = self.keeper
        self.assertEqual(self._reserved(picking), {self.lot_a: 5.0})
        internal = self._internal(3)
        self.assertEqual(self._reserved(internal), {self.lot_a: 3.0})
        self._set_status(self.lot_a, "nonconforming")
        # off the delivery, which reserves the qualified lot B instead
        self.assertEqual(self._reserved(picking), {self.lot_b: 5.0})
        # the internal move keeps it
        self.assertEqual(self._reserved(internal), {self.lot_a: 3.0})
        activity = picking.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.keeper)
        self.assertIn("LOT-TEST-A", activity.note)
        self.assertFalse(internal.activity_ids)

    def test_pending_disposition_unreserves_without_replacement(self):
        picking = self._delivery(20)
        self.assertEqual(picking.state, "assigned")
        self._set_status(self.lot_b, "pending_disposition")
        self.assertEqual(self._reserved(picking), {self.lot_a: 10.0})
        self.assertEqual(picking.move_ids.state, "partially_available")
        # pending inspection and scrapped do not touch open deliveries
        self._set_status(self.lot_a, "pending")
        self.assertEqual(self._reserved(picking), {self.lot_a: 10.0})

    def test_scrap_stays_possible(self):
        self._set_status(self.lot_a, "nonconforming")
        scrap = (
            self.env["stock.scrap"]
            .with_user(self.keeper)
            .create(
                {
                    "product_id": self.product.id,
                    "lot_id": self.lot_a.id,
                    "scrap_qty": 4,
                    "location_id": self.stock_location.id,
                }
            )
        )
        scrap.action_validate()
        self.assertEqual(self.lot_a.qms_status, "scrapped")
        self.assertEqual(
            self.product.with_context(lot_id=self.lot_a.id).qty_available, 6
        )
        # a scrapped lot is not reserved for customers
        picking = self._delivery(5)
        self.assertEqual(self._reserved(picking), {self.lot_b: 5.0})

    def test_approved_release_lets_the_lot_ship(self):
        """An approved emergency release of the delivery for that lot is the
        one exception; another lot of the same delivery stays blocked."""
        self.warehouse.out_type_id.qms_inspection_required = True
        self._set_status(self.lot_a | self.lot_b, "pending")
        picking = self._delivery(4)
        self.assertFalse(picking.move_line_ids)  # nothing qualified to reserve
        for lot, qty in ((self.lot_a, 3), (self.lot_b, 1)):
            self.env["stock.move.line"].create(
                {
                    "move_id": picking.move_ids.id,
                    "picking_id": picking.id,
                    "product_id": self.product.id,
                    "lot_id": lot.id,
                    "quantity": qty,
                    "location_id": self.stock_location.id,
                    "location_dest_id": self.customer_location.id,
                    "picked": True,
                }
            )
        release = (
            self.env["qms.delivery.release"]
            .with_user(self.salesman)
            .create(
                {
                    "picking_id": picking.id,
                    "kind": "emergency",
                    "reason": "Customer line stopped",
                    "lot_ids": [(6, 0, self.lot_a.ids)],
                }
            )
        )
        release.action_request()
        self.assertFalse(picking._qms_released_lots())
        release.with_user(self.qms_manager).action_approve()
        self.assertEqual(picking._qms_released_lots(), self.lot_a)
        self.assertTrue(self.lot_a.qms_is_released)
        self.assertTrue(self.lot_a._qms_label_mark()["released"])
        self.assertFalse(self.lot_b.qms_is_released)
        # lot B is not released: refused by the lot status check
        with self.assertRaisesRegex(UserError, "LOT-TEST-B"):
            picking.move_line_ids._action_done()
        picking.move_line_ids.filtered(lambda ml: ml.lot_id == self.lot_b).unlink()
        picking.move_ids.product_uom_qty = 3
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(
            self.env["qms.recall.scope"]
            .search([("lot_id", "=", self.lot_a.id)])
            .quantity,
            3.0,
        )


@tagged("post_install", "-at_install")
class TestLotShippingThreeSteps(LotStatusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wh3 = cls.env["stock.warehouse"].create(
            {"name": "Three steps", "code": "WH3", "delivery_steps": "pick_pack_ship"}
        )
        cls.wh3.out_type_id.qms_inspection_required = False
        cls._put_in_stock(cls.lot_a, 10, cls.wh3.lot_stock_id)
        cls._put_in_stock(cls.lot_b, 10, cls.wh3.lot_stock_id)

    def _sale(self, qty, partner=None):
        order = self.env["sale.order"].create(
            {
                "partner_id": (partner or self.partner).id,
                "warehouse_id": self.wh3.id,
                "order_line": [
                    (0, 0, {"product_id": self.product.id, "product_uom_qty": qty})
                ],
            }
        )
        order.action_confirm()
        return order

    def _step(self, order, picking_type):
        # Odoo 18 creates each next step when the previous one is done
        return order.picking_ids.filtered(
            lambda p: p.picking_type_id == picking_type and p.state != "done"
        )

    def _through_pick_and_pack(self, order):
        pick = self._step(order, self.wh3.pick_type_id)
        self._validate(pick)
        self.assertEqual(pick.state, "done")
        pack = self._step(order, self.wh3.pack_type_id)
        pack.action_assign()
        self._validate(pack)
        self.assertEqual(pack.state, "done")
        ship = self._step(order, self.wh3.out_type_id)
        ship.action_assign()
        return ship

    def test_pick_pack_ship(self):
        self._set_status(self.lot_a, "pending")
        order = self._sale(6)
        pick = self._step(order, self.wh3.pick_type_id)
        self.assertEqual(pick.move_ids.location_final_id, self.customer_location)
        # the pick step already skips the pending lot: its goods go to a customer
        self.assertEqual(self._reserved(pick), {self.lot_b: 6.0})
        ship = self._through_pick_and_pack(order)
        self.assertEqual(self._reserved(ship), {self.lot_b: 6.0})
        # lot B turns non-conforming in the output area: off the ship step
        self._set_status(self.lot_b, "nonconforming")
        self.assertFalse(ship.move_line_ids)
        self.assertTrue(ship.activity_ids)
        ship.action_assign()
        self.assertFalse(ship.move_line_ids)
        # choosing it by hand does not ship it either
        self.env["stock.move.line"].create(
            {
                "move_id": ship.move_ids.id,
                "picking_id": ship.id,
                "product_id": self.product.id,
                "lot_id": self.lot_b.id,
                "quantity": 6,
                "location_id": ship.location_id.id,
                "location_dest_id": self.customer_location.id,
                "picked": True,
            }
        )
        with self.assertRaisesRegex(UserError, "LOT-TEST-B"):
            ship.button_validate()
        ship.move_line_ids.unlink()
        ship.move_ids.picked = False
        # requalified after review: it ships, and only the ship step counts
        self._set_status(self.lot_b, "qualified")
        ship.action_assign()
        self._validate(ship)
        self.assertEqual(ship.state, "done")
        scope = self.env["qms.recall.scope"].search([("lot_id", "=", self.lot_b.id)])
        self.assertEqual(scope.picking_id, ship)
        self.assertEqual(scope.quantity, 6.0)
        self.assertEqual(scope.partner_id, self.partner)
        self.assertEqual(scope.sale_order_id, order)
        self.assertFalse(
            self.env["qms.recall.scope"].search([("lot_id", "=", self.lot_a.id)])
        )

    def test_pending_lot_after_pick(self):
        """A lot that turns pending inspection after the pick is not
        unreserved (nothing is wrong with it yet) but no later step reserves
        it for the customer; an internal transfer takes it back to stock."""
        order = self._sale(4)
        pick = self._step(order, self.wh3.pick_type_id)
        self.assertEqual(self._reserved(pick), {self.lot_a: 4.0})
        self._set_status(self.lot_a, "pending")
        self.assertEqual(self._reserved(pick), {self.lot_a: 4.0})
        self._validate(pick)
        self.assertEqual(pick.state, "done")
        pack = self._step(order, self.wh3.pack_type_id)
        pack.action_assign()
        self.assertFalse(pack.move_line_ids)
        self._set_status(self.lot_a, "qualified")
        pack.action_assign()
        self.assertEqual(self._reserved(pack), {self.lot_a: 4.0})
