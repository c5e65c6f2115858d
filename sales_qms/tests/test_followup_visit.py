from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_after_sales import AfterSalesCommon


@tagged("post_install", "-at_install")
class TestFollowupVisit(AfterSalesCommon):
    def _visit(self, **kw):
        vals = {
            "partner_id": self.customer.id,
            "sale_order_id": self.order.id,
            "picking_id": self.picking.id,
            "user_id": self.salesman.id,
        }
        vals.update(kw)
        return self.env["qms.followup.visit"].with_user(self.service).create(vals)

    # ------------------------------------------------------------ scheduling
    def test_cron_plans_visit_after_delivery(self):
        self.company.qms_followup_visit_days = 20
        Visit = self.env["qms.followup.visit"]
        # deliveries made before this test already have theirs or are planned now
        Visit._cron_schedule_visits()
        with freeze_time("2026-03-02 09:00:00"):
            order, picking = self._deliver(self.customer, self.lot_never_delivered, 4)
            self.assertEqual(picking.date_done.date(), date(2026, 3, 2))
        with freeze_time("2026-03-03 02:00:00"):
            visits = Visit._cron_schedule_visits()
        visit = visits.filtered(lambda v: v.picking_id == picking)
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.scheduled_date, date(2026, 3, 22))
        self.assertEqual(visit.sale_order_id, order)
        # assigned to the salesperson of the order, with an activity
        self.assertEqual(visit.user_id, self.salesman)
        self.assertEqual(visit.activity_ids.user_id, self.salesman)
        self.assertEqual(visit.activity_ids.date_deadline, date(2026, 3, 22))
        # the next run plans nothing twice
        with freeze_time("2026-03-04 02:00:00"):
            again = Visit._cron_schedule_visits()
        self.assertFalse(again.filtered(lambda v: v.picking_id == picking))
        self.assertEqual(Visit.search_count([("picking_id", "=", picking.id)]), 1)

    def test_cron_respects_opt_out_and_company_setting(self):
        Visit = self.env["qms.followup.visit"]
        Visit._cron_schedule_visits()
        self.other_customer.qms_no_followup_visit = True
        _order, opted_out = self._deliver(
            self.other_customer, self.lot_never_delivered, 2
        )
        self.assertFalse(
            Visit._cron_schedule_visits().filtered(lambda v: v.picking_id == opted_out)
        )
        self.company.qms_followup_visit_auto = False
        _order, picking = self._deliver(self.customer, self.lot_never_delivered, 2)
        self.assertFalse(Visit._cron_schedule_visits())
        self.company.qms_followup_visit_auto = True
        self.assertEqual(Visit._cron_schedule_visits().picking_id, picking)

    def test_customer_without_salesperson_goes_to_customer_service(self):
        self.env["qms.followup.visit"]._cron_schedule_visits()
        self.company.qms_claim_service_user_id = self.service
        walk_in = self.env["res.partner"].create({"name": "Walk-in customer"})
        order, picking = self._deliver(walk_in, self.lot_never_delivered, 1)
        order.user_id = False
        visit = self.env["qms.followup.visit"]._cron_schedule_visits()
        self.assertEqual(visit.picking_id, picking)
        self.assertEqual(visit.user_id, self.service)

    # ------------------------------------------------------------ outcome
    def test_done_requires_scores_in_range(self):
        visit = self._visit()
        with self.assertRefused(ValidationError, "scores"):
            visit.action_done()
        with self.assertRefused(ValidationError, "between 1 and 5"):
            visit.write({"score_quality": 6})
        with self.assertRefused(ValidationError, "between 1 and 5"):
            visit.write({"score_service": -1})
        visit.write(
            {
                "score_quality": 4,
                "score_delivery": 5,
                "score_service": 3,
                "comments": "Seams open after washing",
            }
        )
        visit.action_done()
        self.assertEqual(visit.state, "done")
        self.assertAlmostEqual(visit.score_average, 4.0)
        # a done visit is a record
        with self.assertRefused(UserError):
            visit.write({"score_quality": 5})
        # re-sending the state with the change is no way around it
        with self.assertRefused(UserError):
            visit.write({"state": "done", "score_quality": 1})
        with self.assertRefused(UserError):
            visit.sudo().unlink()

    def test_problem_becomes_claim_in_one_click(self):
        visit = self._visit(comments="Zip broke")
        action = visit.action_create_claim()
        claim = self.env["qms.claim"].browse(action["res_id"])
        self.assertEqual(claim.visit_id, visit)
        self.assertEqual(claim.channel, "visit")
        self.assertEqual(claim.picking_id, self.picking)
        self.assertEqual(claim.partner_id, self.customer)
        self.assertEqual(visit.claim_ids, claim)
        self.assertEqual(visit.claim_count, 1)

    def test_salesperson_sees_only_own_visits(self):
        mine = self._visit()
        theirs = self._visit(
            partner_id=self.other_customer.id,
            sale_order_id=False,
            picking_id=False,
            user_id=self.other_salesman.id,
        )
        Visit = self.env["qms.followup.visit"].with_user(self.salesman)
        self.assertEqual(Visit.search([("id", "in", (mine | theirs).ids)]), mine)
        with self.assertRefused(AccessError):
            theirs.with_user(self.salesman).write({"comments": "x"})

    def test_satisfaction_per_customer_product_month(self):
        done = self._visit()
        done.write({"score_quality": 2, "score_delivery": 4, "score_service": 3})
        done.action_done()
        self._visit(picking_id=False)  # planned: not counted
        self.env.flush_all()
        Report = self.env["qms.satisfaction.report"]
        rows = Report._read_group(
            [("partner_id", "=", self.customer.id)],
            ["product_id", "date:month"],
            ["score_quality:avg", "score_average:avg", "__count"],
        )
        self.assertEqual(len(rows), 1)
        product, _month, quality, average, count = rows[0]
        self.assertEqual(product, self.product)
        self.assertEqual(quality, 2)
        self.assertEqual(average, 3)
        self.assertEqual(count, 1)
        self.assertFalse(
            Report.with_user(self.other_salesman).search(
                [("partner_id", "=", self.customer.id)]
            )
        )

    def test_satisfaction_reads_pending_writes(self):
        """The view flushes what it reads: a visit done a moment ago, not yet
        written to the database, is counted."""
        visit = self._visit()
        visit.write({"score_quality": 5, "score_delivery": 5, "score_service": 5})
        visit.action_done()
        rows = self.env["qms.satisfaction.report"].search_read(
            [("visit_id", "=", visit.id)], ["score_average"]
        )
        self.assertEqual([r["score_average"] for r in rows], [5.0])


@tagged("post_install", "-at_install")
class TestContactLog(AfterSalesCommon):
    def test_log_and_keep(self):
        claim = self._new_claim()
        Log = self.env["qms.contact.log"]
        log = Log.with_user(self.salesman).create(
            {
                "partner_id": self.customer_contact.id,
                "direction": "in",
                "channel": "fax",
                "summary": "Fax: 3 coveralls with open seams",
                "claim_id": claim.id,
            }
        )
        self.assertEqual(log.commercial_partner_id, self.customer)
        self.assertEqual(claim.contact_log_ids, log)
        with self.assertRefused(UserError):
            log.sudo().unlink()
        other = Log.create(
            {
                "partner_id": self.other_customer.id,
                "direction": "out",
                "channel": "letter",
                "summary": "Letter",
                "user_id": self.other_salesman.id,
            }
        )
        self.assertEqual(
            Log.with_user(self.salesman).search([("id", "in", (log | other).ids)]),
            log,
        )
        self.assertEqual(
            Log.with_user(self.service).search([("id", "in", (log | other).ids)]),
            log | other,
        )
