"""Concurrency: serialization points, and calls Odoo replays.

Serialization points: a decision that reads other rows writes a row that a
concurrent decision able to invalidate it writes too, so PostgreSQL makes one of
them fail and Odoo replays it with the other's work in sight.

The stress run (benchmarks/stress_concurrency.py, `make stress`) found the two
races these close, with Odoo on 4 workers: 8 reviewers approving one round at
once left 19 of 50 rounds "Under Review" with every line approved (each read the
others as pending, none wrote the round); an inspector blocking a lot while a
keeper reserved it left it reserved in 2 of 20 races (the status change locked
the lot's quant, core's reservation skipped the locked quant and made a new
one: no common row). Races need two committed transactions, which a test
transaction cannot hold: these tests check that each decision writes its
serialization row (the row's version, xmin, changes); the stress run shows the
races closed.

Replays: after a serialization failure Odoo runs the call again with the same
argument objects, so an override that pops keys from the caller's vals loses
them on the replay. The stress run found it: 6 of 20 inspections signed by the
keeper and the inspector at the same moment kept one signature, the other
signer having been told it was recorded."""

from contextlib import contextmanager, suppress

from odoo.tests import tagged
from odoo.tools import SQL

from .common_after_sales import AfterSalesCommon
from .common_delivery_inspection import SIGNATURE, DeliveryInspectionCase
from .common_lot import LotStatusCase
from .common_review import ContractReviewCase


class _Replayed(Exception):
    pass


class SerializationMixin:
    def _replay(self, call):
        """Run `call` as Odoo runs a call that met a serialization failure:
        once in a transaction that is rolled back, then again with the very
        same arguments (odoo.service.model.retrying)."""
        with suppress(_Replayed), self.env.cr.savepoint():
            call()
            raise _Replayed
        self.env.invalidate_all()
        return call()

    def _xmin(self, record):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT xmin::text FROM %s WHERE id = %s",
                SQL.identifier(record._table),
                record.id,
            )
        )
        return self.env.cr.fetchone()[0]

    @contextmanager
    def assertWritesRow(self, record, writes=True):
        """The block writes `record`'s row (in its own subtransaction, so the
        row's version shows it)."""
        before = self._xmin(record)
        with self.env.cr.savepoint():
            yield
            after = self._xmin(record)
        if writes:
            self.assertNotEqual(after, before, f"{record} was not written")
        else:
            self.assertEqual(after, before, f"{record} was written")


@tagged("post_install", "-at_install")
class TestReviewSerialization(SerializationMixin, ContractReviewCase):
    def test_each_decision_writes_its_round(self):
        order = self._create_order()
        order.action_qms_request_review()
        review = order.qms_review_id
        for code in ("finance", "technical"):
            with self.assertWritesRow(review):
                self._line(order, code).with_user(self.reviewers[code]).action_approve()
        # written although its state did not change: the next decision sees it
        self.assertEqual(review.state, "pending")
        line = self._line(order, "production")
        line.with_user(self.reviewers["production"]).write({"comment": "too late"})
        with self.assertWritesRow(review):
            line.with_user(self.reviewers["production"]).action_reject()
        self.assertEqual(review.state, "rejected")


@tagged("post_install", "-at_install")
class TestLotSerialization(SerializationMixin, LotStatusCase):
    def test_reserving_for_a_customer_writes_the_lot(self):
        picking = self._delivery(10)  # no stock yet: nothing reserved
        self._put_in_stock(self.lot_a, 10)
        with self.assertWritesRow(self.lot_a):
            picking.action_assign()
        self.assertEqual(self._reserved(picking), {self.lot_a: 10})

    def test_moving_inside_the_warehouse_leaves_the_lot_alone(self):
        self._put_in_stock(self.lot_a, 10)
        with self.assertWritesRow(self.lot_a, writes=False):
            self._internal(4)

    def test_shipping_writes_the_lot(self):
        self._put_in_stock(self.lot_a, 10)
        picking = self._delivery(10)
        with self.assertWritesRow(self.lot_a):
            self._validate(picking)
        self.assertEqual(picking.state, "done")

    def test_status_change_writes_the_lot_first(self):
        self._put_in_stock(self.lot_a, 10)
        picking = self._delivery(10)
        with self.assertWritesRow(self.lot_a):
            self._set_status(self.lot_a, "nonconforming")
        self.assertFalse(self._reserved(picking))


@tagged("post_install", "-at_install")
class TestReplayedSignature(SerializationMixin, DeliveryInspectionCase):
    def test_a_replayed_signature_is_recorded(self):
        picking = self._create_delivery()
        inspection = self._answer(picking)
        vals = {"keeper_signature": SIGNATURE}
        self._replay(lambda: inspection.with_user(self.keeper).write(vals))
        self.assertEqual(inspection.keeper_id, self.keeper)
        self.assertTrue(inspection.keeper_signature)
        self.assertEqual(vals, {"keeper_signature": SIGNATURE})


@tagged("post_install", "-at_install")
class TestReplayedClaim(SerializationMixin, AfterSalesCommon):
    def test_a_replayed_closed_claim_stays_closed(self):
        vals = self._claim_vals(stage="closed", customer_feedback="Accepted")
        Claim = self.env["qms.claim"].with_user(self.service)
        claim = self._replay(lambda: Claim.create(vals))
        self.assertEqual(claim.stage, "closed")
        self.assertEqual(vals["stage"], "closed")
        self.assertNotIn("name", vals)


@tagged("post_install", "-at_install")
class TestReplayedLot(SerializationMixin, LotStatusCase):
    def test_a_replayed_lot_keeps_its_status(self):
        vals = {"name": "LOT-REPLAY", "product_id": self.product.id}
        vals["qms_status"] = "pending"
        Lot = self.env["stock.lot"].with_user(self.inspector)
        lot = self._replay(lambda: Lot.create(vals))
        self.assertEqual(lot.qms_status, "pending")
