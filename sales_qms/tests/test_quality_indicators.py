"""Each indicator against a hand-counted data set of March 2020 (company in
the Shanghai time zone, UTC+8), with its edge cases: no data, returns,
cancelled orders, the period's boundaries in local time, another company's
records."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import QMS_USER, SIGNATURE
from .common_objectives import APRIL, MARCH, ObjectivesCommon

NO_DATA = False


@tagged("post_install", "-at_install")
class TestContractReviewIndicators(ObjectivesCommon):
    """Orders O1..O6, review rounds R1 (approved after 12 h), R2 (rejected by
    Sales after 24 h), R3 (pending), R6 (April in local time)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reviewers = {}
        departments = cls.env["qms.department"].search(
            [("company_id", "in", [False, cls.company.id])]
        )
        for dept in departments:
            user = new_test_user(
                cls.env,
                login=f"qms_obj_rev_{dept.code}",
                name=f"Reviewer {dept.code}",
                groups=QMS_USER,
            )
            dept.user_ids = [Command.set(user.ids)]
            cls.reviewers[dept.code] = user
        cls.product = cls._make_product(
            "Objectives coverall", list_price=100.0, standard_price=50.0
        )
        lines = [(cls.product, 5)]
        # R1: requested 10 March 00:00 UTC, every department approves at 12:00
        with freeze_time("2020-03-10 00:00:00"):
            cls.o1 = cls._order(lines, confirm=False)
            cls.o1.with_user(cls.salesman).action_qms_request_review()
        with freeze_time("2020-03-10 12:00:00"):
            cls._approve_all(cls.o1)
        with freeze_time("2020-03-10 13:00:00"):
            cls.o1.with_user(cls.salesman).action_confirm()
        # R2: requested 12 March, Sales rejects after 24 h
        with freeze_time("2020-03-12 00:00:00"):
            cls.o2 = cls._order(lines, confirm=False)
            cls.o2.with_user(cls.salesman).action_qms_request_review()
        with freeze_time("2020-03-13 00:00:00"):
            line = cls.o2.sudo().qms_review_id.line_ids.filtered(
                lambda x: x.department_id.code == "sales"
            )
            reviewer = line.with_user(cls.reviewers["sales"])
            reviewer.write({"comment": "Delivery date cannot be met"})
            reviewer.action_reject()
        with freeze_time("2020-03-14 00:00:00"):
            # R3: still pending
            cls.o3 = cls._order(lines, confirm=False)
            cls.o3.with_user(cls.salesman).action_qms_request_review()
            # O4 confirmed without review, O5 confirmed then cancelled
            cls.company.qms_review_required = False
            cls.o4 = cls._order(lines)
            cls.o5 = cls._order(lines)
            cls.o5._action_cancel()
            cls.company.qms_review_required = True
        # O6: reviewed and confirmed on 31 March UTC = 1 April in Shanghai
        with freeze_time("2020-03-31 16:30:00"):
            cls.o6 = cls._order(lines, confirm=False)
            cls.o6.with_user(cls.salesman).action_qms_request_review()
            cls._approve_all(cls.o6)
        with freeze_time("2020-03-31 17:00:00"):
            cls.o6.with_user(cls.salesman).action_confirm()

    @classmethod
    def _approve_all(cls, order):
        review = order.sudo().qms_review_id
        for line in review.line_ids.sorted("is_final"):
            if line.state == "pending":
                line.with_user(line.reviewer_ids[0]).action_approve()

    def test_reviewed_before_confirmation(self):
        self.assertEqual(self.o1.qms_review_id.state, "approved")
        self.assertEqual(self.o5.state, "cancel")
        # March: O1 reviewed, O4 not; O5 cancelled and O6 (April locally) out
        self.assertEqual(self.value("review_before_confirm"), 50.0)
        self.assertEqual(self.value("review_before_confirm", APRIL), 100.0)
        self.assertIs(
            self.value("review_before_confirm", company=self.other_company), NO_DATA
        )

    def test_review_lead_time_and_rejection_rate(self):
        # R1 12 h, R2 24 h; R3 undecided; R6 decided in April (local)
        self.assertEqual(self.value("review_lead_time"), 18.0)
        self.assertEqual(self.value("review_rejection_rate"), 50.0)
        self.assertEqual(self.value("review_lead_time", APRIL), 0.0)
        self.assertEqual(self.value("review_rejection_rate", APRIL), 0.0)
        self.assertIs(
            self.value("review_lead_time", company=self.other_company), NO_DATA
        )

    def test_per_department(self):
        lead = {
            row["department_id"]: row
            for row in self._indicator("review_lead_time").compute_breakdown(
                self.company.id, *MARCH
            )
        }
        rejection = {
            row["department_id"]: row
            for row in self._indicator("review_rejection_rate").compute_breakdown(
                self.company.id, *MARCH
            )
        }
        sales = self.env["qms.department"].search(
            [("code", "=", "sales"), ("company_id", "in", [False, self.company.id])]
        )
        technical = self.env["qms.department"].search(
            [("code", "=", "technical"), ("company_id", "in", [False, self.company.id])]
        )
        # Sales decided twice: 12 h (approved in R1) and 24 h (rejected in R2)
        self.assertEqual(lead[sales.id]["value"], 18.0)
        self.assertEqual(lead[sales.id]["count"], 2)
        self.assertEqual(rejection[sales.id]["value"], 50.0)
        self.assertEqual(lead[technical.id]["value"], 12.0)
        self.assertEqual(lead[technical.id]["count"], 1)
        self.assertEqual(rejection[technical.id]["value"], 0.0)
        self.assertEqual(lead[sales.id]["department"], "Sales")
        # indicators without a breakdown give none
        self.assertEqual(
            self._indicator("nc_lots").compute_breakdown(self.company.id, *MARCH), []
        )

    def test_records_behind_the_figure(self):
        action = self._indicator("review_before_confirm").action_view_records(
            self.company.id, *MARCH
        )
        orders = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(orders, self.o1 | self.o4)


@tagged("post_install", "-at_install")
class TestDeliveryIndicators(ObjectivesCommon):
    """Deliveries of March 2020 (commitment 15 March unless said):
    D1 2 lines, on time, passed first time, 1 piece returned on 16 March;
    D2 1 line, done 15 March 17:00 UTC = 16 March in Shanghai (late), its
       checklist failed once before passing;
    D3 1 line, no commitment date, left by an emergency release;
    D4 1 line (commitment 31 March), failed, left by a concession;
    D5 done in April; DB in the other company.
    Claims: Ca 5 March, Cb 6 March rejected, Cc 29 Feb 17:00 UTC (1 March in
    Shanghai), Cd in the other company.
    Lots: L1 (100 received) non-conforming twice in March, L2 (40) pending
    disposition, L3 (30) non-conforming in April, LB in the other company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._switch_off_review()
        cls.other_company.qms_review_required = False
        cls.p1 = cls._make_product("Objectives jacket")
        cls.p2 = cls._make_product("Objectives gloves")
        cls._stock(cls.p1, 1000)
        cls._stock(cls.p2, 1000)
        cls._build_deliveries()
        cls._build_other_company()
        cls._build_claims()
        cls._build_lots()

    @classmethod
    def _build_deliveries(cls):
        commitment = "2020-03-15 08:00:00"  # 16:00 in Shanghai
        with freeze_time("2020-03-01 02:00:00"):
            cls.d1 = cls._order([(cls.p1, 5), (cls.p2, 5)], commitment).picking_ids
            cls.d2 = cls._order([(cls.p1, 3)], commitment).picking_ids
            cls.d3 = cls._order([(cls.p1, 2)]).picking_ids
            cls.d4 = cls._order([(cls.p2, 4)], "2020-03-31 08:00:00").picking_ids
            cls.d5 = cls._order([(cls.p2, 1)], commitment).picking_ids
        with freeze_time("2020-03-14 02:00:00"):
            cls._validate(cls.d1)
        with freeze_time("2020-03-16 04:00:00"):
            cls._return(cls.d1, cls.p1, 1)
        with freeze_time("2020-03-15 10:00:00"):
            cls.d2.move_ids.picked = True
            inspection = cls.d2.qms_inspection_id.with_user(cls.inspector)
            inspection.line_ids[0].write({"result": "fail"})
        with freeze_time("2020-03-15 17:00:00"):
            cls._validate(cls.d2)
        with freeze_time("2020-03-20 03:00:00"):
            cls.d3.move_ids.picked = True
            release = cls._release(cls.d3, "emergency")
            release.with_user(cls.qms_manager).action_approve()
            cls._validate(cls.d3, inspect=False)
        with freeze_time("2020-03-25 03:00:00"):
            cls.d4.move_ids.picked = True
            inspection = cls.d4.qms_inspection_id.with_user(cls.inspector)
            inspection.line_ids.write({"result": "pass"})
            inspection.line_ids[0].write({"result": "fail"})
            release = cls._release(
                cls.d4,
                "concession",
                consent_partner_id=cls.customer.id,
                consent_date="2020-03-24",
                consent_document=SIGNATURE,
            )
            release.with_user(cls.qms_manager).action_approve()
            cls._validate(cls.d4, inspect=False)
        with freeze_time("2020-04-02 03:00:00"):
            cls._validate(cls.d5)

    @classmethod
    def _build_other_company(cls):
        other_out = cls.env["stock.picking.type"].search(
            [("company_id", "=", cls.other_company.id), ("code", "=", "outgoing")]
        )
        other_out.qms_inspection_required = False
        other_stock = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.other_company.id)], limit=1)
            .lot_stock_id
        )
        cls._stock(cls.p1, 100, location=other_stock)
        with freeze_time("2020-03-10 03:00:00"):
            cls.db = cls._order(
                [(cls.p1, 1)], "2020-03-15 08:00:00", company=cls.other_company
            ).picking_ids
            cls._validate(cls.db.with_company(cls.other_company), inspect=False)

    @classmethod
    def _build_claims(cls):
        cls.ca = cls._claim("2020-03-05 03:00:00")
        cls.cb = cls._claim("2020-03-06 03:00:00")
        cls._claim_stage(
            cls.cb, "2020-03-06 04:00:00", "rejected", rejection_reason="Not ours"
        )
        cls.cc = cls._claim("2020-02-29 17:00:00")
        cls.cd = cls._claim("2020-03-05 03:00:00", company=cls.other_company)

    @classmethod
    def _build_lots(cls):
        """Received by inventory adjustments, then decided."""
        cls.lp = cls._make_product("Objectives coverall (lot)", tracking="lot")
        with freeze_time("2020-03-01 02:00:00"):
            cls.l1, cls.l2, cls.l3 = (
                cls._received_lot(name, qty)
                for name, qty in (("OBJ-L1", 100), ("OBJ-L2", 40), ("OBJ-L3", 30))
            )
            cls.lb = cls._received_lot("OBJ-LB", 70, company=cls.other_company)
            # lots of a product shared between companies have no company
            cls.l4 = cls._received_lot("OBJ-L4", 25, shared=True)
            cls.ls = cls._received_lot(
                "OBJ-LS", 15, company=cls.other_company, shared=True
            )
        with freeze_time("2020-03-10 03:00:00"):
            cls._set_status(cls.l1, "nonconforming")
            cls._set_status(cls.l2, "pending_disposition")
            cls._set_status(cls.lb, "nonconforming")
            cls._set_status(cls.l4, "nonconforming")
            cls._set_status(cls.ls, "nonconforming")
        with freeze_time("2020-03-12 03:00:00"):
            cls._set_status(cls.l1, "qualified")
        with freeze_time("2020-03-20 03:00:00"):
            cls._set_status(cls.l1, "nonconforming")
        with freeze_time("2020-04-03 03:00:00"):
            cls._set_status(cls.l3, "nonconforming")

    @classmethod
    def _return(cls, picking, product, qty):
        wizard = (
            cls.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        for line in wizard.product_return_moves:
            line.quantity = qty if line.product_id == product else 0
        action = wizard.action_create_returns()
        returned = cls.env["stock.picking"].browse(action["res_id"])
        returned.move_ids.picked = True
        returned.button_validate()
        assert returned.state == "done"
        return returned

    @classmethod
    def _release(cls, picking, kind, **vals):
        release = (
            cls.env["qms.delivery.release"]
            .with_user(cls.salesman)
            .create(
                {
                    "picking_id": picking.id,
                    "kind": kind,
                    "reason": "Customer line stopped",
                    **vals,
                }
            )
        )
        release.action_request()
        return release

    @classmethod
    def _received_lot(cls, name, qty, company=None, shared=False):
        company = company or cls.company
        lot = cls.env["stock.lot"].create(
            {
                "name": name,
                "product_id": cls.lp.id,
                "company_id": False if shared else company.id,
            }
        )
        location = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", company.id)], limit=1)
            .lot_stock_id
        )
        quant = (
            cls.env["stock.quant"]
            .with_company(company)
            .with_context(inventory_mode=True)
            .create(
                {
                    "product_id": cls.lp.id,
                    "location_id": location.id,
                    "lot_id": lot.id,
                    "inventory_quantity": qty,
                }
            )
        )
        quant.action_apply_inventory()
        return lot

    @classmethod
    def _set_status(cls, lot, status):
        if lot.company_id == cls.other_company:
            lot = lot.with_company(lot.company_id)
        else:
            lot = lot.with_user(cls.inspector)
        lot.action_qms_set_status(status, f"Objectives test: {status}")

    def test_data_set(self):
        self.assertEqual(self.d2.qms_inspection_id.result, "passed")
        self.assertTrue(self.d2.qms_inspection_id.failed_on)
        self.assertFalse(self.d1.qms_inspection_id.failed_on)
        self.assertEqual(self.d4.qms_inspection_id.result, "failed")
        self.assertEqual(self.d5.state, "done")
        self.assertEqual(len(self.d1.move_line_ids), 2)

    def test_on_time_delivery(self):
        # D1 on time, D2 late (16 March locally), D4 on time; D3 has no
        # commitment date; the return of D1 is no delivery
        self.assertAlmostEqual(self.value("on_time_delivery"), 66.6667)
        # April: D5, committed for 15 March, is late
        self.assertEqual(self.value("on_time_delivery", APRIL), 0.0)
        self.assertEqual(
            self.value("on_time_delivery", company=self.other_company), 100.0
        )

    def test_first_pass(self):
        # inspected deliveries D1..D4: only D1 passed without failing or release
        self.assertEqual(self.value("inspection_first_pass"), 25.0)
        self.assertEqual(self.value("inspection_first_pass", APRIL), 100.0)
        self.assertIs(
            self.value("inspection_first_pass", company=self.other_company), NO_DATA
        )

    def test_releases(self):
        self.assertEqual(self.value("emergency_releases"), 1.0)
        self.assertEqual(self.value("concessions"), 1.0)
        self.assertEqual(self.value("concessions", APRIL), 0.0)
        self.assertEqual(
            self.value("emergency_releases", company=self.other_company), 0.0
        )

    def test_claims_per_1000_delivered_lines(self):
        # claims Ca and Cc (1 March locally), Cb rejected; lines D1 2 + D2 1 +
        # D3 1 + D4 1 = 5, the return is not a delivered line
        self.assertEqual(self.value("claims_per_1000_lines"), 400.0)
        # April: one line (D5), no claim
        self.assertEqual(self.value("claims_per_1000_lines", APRIL), 0.0)
        self.assertEqual(
            self.value("claims_per_1000_lines", company=self.other_company), 1000.0
        )

    def test_nonconforming_lots(self):
        # L1 counted once although declared twice; L2 is pending disposition;
        # L4 has no company (shared product) and entered this company's stock
        self.assertFalse(self.l4.qms_status_log_ids.company_id)
        self.assertEqual(self.value("nc_lots"), 2.0)
        self.assertEqual(self.value("nc_lot_qty"), 125.0)
        self.assertEqual(self.value("nc_lots", APRIL), 1.0)
        self.assertEqual(self.value("nc_lot_qty", APRIL), 30.0)
        # the other company: LB (its own) and LS (shared, in its stock)
        self.assertEqual(self.value("nc_lots", company=self.other_company), 2.0)
        self.assertEqual(self.value("nc_lot_qty", company=self.other_company), 85.0)
        action = self._indicator("nc_lots").action_view_records(self.company.id, *MARCH)
        logs = self.env[action["res_model"]].search(action["domain"])
        self.assertEqual(logs.lot_id, self.l1 | self.l4)

    def test_records_behind_the_figures(self):
        Indicator = self.env["qms.indicator"]
        for code, expected in (
            ("on_time_delivery", self.d1 | self.d2 | self.d4),
            ("emergency_releases", self.d3.qms_release_ids),
            ("claims_per_1000_lines", self.ca | self.cc),
        ):
            action = Indicator.browse(self._indicator(code).id).action_view_records(
                self.company.id, *MARCH
            )
            records = self.env[action["res_model"]].search(action["domain"])
            self.assertEqual(records, expected, code)


@tagged("post_install", "-at_install")
class TestAfterSalesIndicators(ObjectivesCommon):
    """Claims (created → resolved → closed, in UTC):
    C1 minor, 1 March 01:00 → 11 March 01:00 (10 d) → 12 March: within SLA;
    C2 critical, 2 March → 6 March (4 d, deadline 4 March) → 20 March: late;
    C3 rejected; C4 20 Feb → 1 March (10 d) → closed 2 April;
    C6 critical, 10 March → 12 March 17:00 (= 13 March locally, deadline
       12 March: late) → closed 12 March 18:00;
    CB the other company.
    Visits (scheduled, done, scores): V1 5 March, on time, 5/5/5; V2 10 March,
    done 12 March, 3/4/2; V3 20 March, still planned; V4 25 March cancelled;
    V5 25 Feb, done 2 March, 1/1/1; V6 April; VB the other company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        feedback = {"customer_feedback": "Accepted"}
        cls.c1 = cls._claim("2020-03-01 01:00:00")
        cls._claim_stage(cls.c1, "2020-03-11 01:00:00", "resolved")
        cls._claim_stage(cls.c1, "2020-03-12 01:00:00", "closed", **feedback)
        cls.c2 = cls._claim("2020-03-02 00:00:00", severity="critical")
        cls._claim_stage(cls.c2, "2020-03-06 00:00:00", "resolved")
        cls._claim_stage(cls.c2, "2020-03-20 00:00:00", "closed", **feedback)
        cls.c3 = cls._claim("2020-03-05 00:00:00")
        cls._claim_stage(
            cls.c3, "2020-03-05 02:00:00", "rejected", rejection_reason="Misuse"
        )
        cls.c4 = cls._claim("2020-02-20 00:00:00")
        cls._claim_stage(cls.c4, "2020-03-01 00:00:00", "resolved")
        cls._claim_stage(cls.c4, "2020-04-02 00:00:00", "closed", **feedback)
        cls.c6 = cls._claim("2020-03-10 00:00:00", severity="critical")
        cls._claim_stage(cls.c6, "2020-03-12 17:00:00", "resolved")
        cls._claim_stage(cls.c6, "2020-03-12 18:00:00", "closed", **feedback)
        cls.cb = cls._claim("2020-03-03 00:00:00", company=cls.other_company)
        cls._claim_stage(cls.cb, "2020-03-04 00:00:00", "resolved")
        cls._claim_stage(cls.cb, "2020-03-04 01:00:00", "closed", **feedback)

        cls.v1 = cls._visit("2020-03-05", "2020-03-05 04:00:00", (5, 5, 5))
        cls.v2 = cls._visit("2020-03-10", "2020-03-12 04:00:00", (3, 4, 2))
        cls.v3 = cls._visit("2020-03-20")
        cls.v4 = cls._visit("2020-03-25", cancel=True)
        cls.v5 = cls._visit("2020-02-25", "2020-03-02 04:00:00", (1, 1, 1))
        cls.v6 = cls._visit("2020-04-02", "2020-04-02 04:00:00", (5, 5, 5))
        cls.vb = cls._visit(
            "2020-03-05", "2020-03-05 04:00:00", (1, 2, 3), company=cls.other_company
        )

    def test_data_set(self):
        # closing a resolved claim keeps the day it was resolved on
        self.assertEqual(str(self.c1.date_resolved), "2020-03-11 01:00:00")
        self.assertEqual(str(self.c1.date_closed), "2020-03-12 01:00:00")
        self.assertEqual(str(self.c2.deadline), "2020-03-04")
        self.assertEqual(str(self.c6.deadline), "2020-03-12")
        self.assertEqual(str(self.v2.date_done), "2020-03-12")

    def test_closing_a_batch(self):
        """Closed together, a resolved claim keeps its date and an unresolved
        one is resolved when it is closed."""
        resolved = self._claim("2020-03-20 01:00:00")
        self._claim_stage(resolved, "2020-03-21 01:00:00", "resolved")
        unresolved = self._claim("2020-03-20 01:00:00")
        self._claim_stage(
            resolved | unresolved,
            "2020-03-25 01:00:00",
            "closed",
            customer_feedback="Accepted",
        )
        self.assertEqual(str(resolved.date_resolved), "2020-03-21 01:00:00")
        self.assertEqual(str(unresolved.date_resolved), "2020-03-25 01:00:00")
        self.assertEqual((resolved | unresolved).mapped("stage"), ["closed"] * 2)

    def test_claims_closed_within_sla(self):
        # closed in March: C1 on time, C2 late, C6 late by the local date
        self.assertAlmostEqual(self.value("claims_closed_in_sla"), 33.3333)
        # April: C4 resolved 1 March within its 15 days
        self.assertEqual(self.value("claims_closed_in_sla", APRIL), 100.0)
        self.assertEqual(
            self.value("claims_closed_in_sla", company=self.other_company), 100.0
        )

    def test_claim_resolution_days(self):
        # resolved in March: C1 10, C2 4, C4 10, C6 65 h / 24
        self.assertAlmostEqual(
            self.value("claim_resolution_days"), (10 + 4 + 10 + 65 / 24) / 4, places=4
        )
        self.assertIs(self.value("claim_resolution_days", APRIL), NO_DATA)
        self.assertEqual(
            self.value("claim_resolution_days", company=self.other_company), 1.0
        )

    def test_satisfaction_index(self):
        # scores of V1 (100 ×3), V2 (50, 75, 25) and V5 (0 ×3): 450 / 9
        self.assertEqual(self.value("satisfaction_index"), 50.0)
        self.assertEqual(self.value("satisfaction_index", APRIL), 100.0)
        self.assertEqual(
            self.value("satisfaction_index", company=self.other_company), 25.0
        )

    def test_visits_on_time(self):
        # due in March: V1 on time, V2 late, V3 not done; V4 cancelled
        self.assertAlmostEqual(self.value("visits_on_time"), 33.3333)
        self.assertEqual(self.value("visits_on_time", APRIL), 100.0)


@tagged("post_install", "-at_install")
class TestIndicatorEngine(ObjectivesCommon):
    def test_no_data(self):
        """A company without records: rates have no value, counts are 0."""
        values = (
            self.env["qms.indicator"]
            .search([])
            ._qms_values(
                self.env["qms.indicator"]._qms_period(self.other_company.id, *MARCH)
            )
        )
        by_code = {i.code: v for i, v in values.items()}
        for code in ("emergency_releases", "concessions", "nc_lots", "nc_lot_qty"):
            self.assertEqual(by_code.pop(code), 0.0, code)
        self.assertEqual(set(by_code.values()), {False})

    def test_one_query_per_indicator(self):
        Indicator = self.env["qms.indicator"]
        # sales target achievement reads the targets' own figures (the
        # computation of qms.sales.target, a few queries for all targets)
        indicators = Indicator.search([("code", "!=", "sales_target_achievement")])
        period = Indicator._qms_period(self.company.id, *MARCH)
        indicators._qms_values(period)  # warm the caches
        with_sql = [i for i in indicators if getattr(i, f"_qms_sql_{i.code}")(period)]
        self.env.flush_all()
        with self.assertQueryCount(len(with_sql)):
            indicators._qms_values(period)

    def test_sales_targets_and_service_requests(self):
        """Sales target achievement and service requests within SLA, on real
        records (a closed target counts its actual at closing)."""
        self.assertIs(self.value("sales_target_achievement"), NO_DATA)
        self.assertIs(self.value("service_sla"), NO_DATA)
        cr = self.env.cr
        Target = self.env["qms.sales.target"].sudo()
        targets = {}
        for key, company, date_from, period, target, actual, state in (
            ("a", self.company, "2020-03-01", "month", 100, 90, "closed"),
            ("b", self.company, "2020-03-01", "month", 300, 330, "closed"),
            ("draft", self.company, "2020-03-01", "month", 500, 0, "draft"),
            ("year", self.company, "2020-01-01", "year", 900, 10, "closed"),
            ("other", self.other_company, "2020-03-01", "month", 100, 10, "closed"),
        ):
            record = Target.create(
                {
                    "company_id": company.id,
                    "user_id": self.env.user.id,
                    "period": period,
                    "date_from": date_from,
                    "measure": "ordered",
                    "target_value": target,
                }
            )
            self.env.flush_all()
            cr.execute(
                "UPDATE qms_sales_target SET state = %s, closed_actual_value = %s "
                "WHERE id = %s",
                [state, actual, record.id],
            )
            self.env.invalidate_all()
            targets[key] = record
        Request = self.env["qms.service.request"].sudo()
        repair = self.env.ref("sales_qms.service_type_repair")
        for company, state, sla, rating, done in (
            (self.company, "done", "met", 5, "2020-03-04 10:00"),
            (self.company, "closed", "met", 0, "2020-03-10 10:00"),
            (self.company, "done", "missed", 1, "2020-03-06 10:00"),
            (self.company, "cancelled", "missed", 0, "2020-03-06 10:00"),
            (self.company, "done", "missed", 5, "2020-04-02 10:00"),
            (self.other_company, "done", "missed", 5, "2020-03-09 10:00"),
        ):
            request = Request.create(
                {
                    "company_id": company.id,
                    "partner_id": self.customer.id,
                    "service_type_id": repair.id,
                }
            )
            # its stored computes first, then the figures of the case
            self.env.flush_all()
            cr.execute(
                """UPDATE qms_service_request
                      SET state = %s, sla_status = %s, customer_rating = %s,
                          date_done = %s
                    WHERE id = %s""",
                [state, sla, rating, done, request.id],
            )
            self.env.invalidate_all()
        # the mean of 90 % and 110 %: the draft and the yearly target are out
        self.assertEqual(self.value("sales_target_achievement"), 100.0)
        self.assertEqual(
            self.value("sales_target_achievement", company=self.other_company), 10.0
        )
        # done or closed in March: 2 met out of 3; cancelled and April out
        self.assertAlmostEqual(self.value("service_sla"), 66.6667)
        self.assertEqual(self.value("service_sla", company=self.other_company), 0.0)
        # the ratings 5 and 1 join the visit scores (100 and 0): 550 / 11
        self.assertEqual(self.value("satisfaction_index"), 50.0)

    def test_who_may_compute(self):
        indicator = self._indicator("claims_closed_in_sla")
        with self.assertRefused(AccessError, "Sales QMS users"):
            indicator.with_user(self.employee).compute_value(self.company.id, *MARCH)
        with self.assertRefused(AccessError, "do not work in"):
            indicator.with_user(self.qms_user).compute_value(
                self.other_company.id, *MARCH
            )
        self.assertIs(
            indicator.with_user(self.qms_user).compute_value(self.company.id, *MARCH),
            NO_DATA,
        )

    def test_rpc_input(self):
        indicator = self._indicator("nc_lots").with_user(self.qms_user)
        for args in (
            ("1", "2020-03-01", "2020-03-31"),
            (self.company.id, "March", "2020-03-31"),
            (self.company.id, "2020-03-31", "2020-03-01"),
            (self.company.id, False, "2020-03-31"),
            (99999999, "2020-03-01", "2020-03-31"),
        ):
            with self.assertRaises(UserError, msg=str(args)):
                indicator.compute_value(*args)

    def test_catalogue(self):
        codes = set(self.env["qms.indicator"].search([]).mapped("code"))
        self.assertEqual(len(codes), 16)
        for code in codes:
            self.assertTrue(hasattr(self.env["qms.indicator"], f"_qms_sql_{code}"))
        with self.assertRefused(ValidationError, "no computation"):
            self.env["qms.indicator"].create(
                {"name": "Unknown", "code": "unknown", "process": "sales"}
            )
