"""Quality objectives: measured by the monthly job or on demand, then frozen;
a new measure of a period needs a reason and keeps the old value."""

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_objectives import MARCH, ObjectivesCommon


@tagged("post_install", "-at_install")
class TestQualityObjectives(ObjectivesCommon):
    """Claims closed in March 2020: C1 within its SLA, C2 late (50 %)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        feedback = {"customer_feedback": "Accepted"}
        cls.c1 = cls._claim("2020-03-02 02:00:00")
        cls._claim_stage(cls.c1, "2020-03-05 02:00:00", "closed", **feedback)
        cls.c2 = cls._claim("2020-03-02 02:00:00", severity="critical")
        cls._claim_stage(cls.c2, "2020-03-09 02:00:00", "closed", **feedback)
        cls.c3 = cls._claim("2020-03-03 02:00:00", severity="critical")
        Objective = cls.env["qms.objective"]
        cls.sla = Objective.create(
            {
                "indicator_id": cls._indicator("claims_closed_in_sla").id,
                "target": 90.0,
                "frequency": "month",
                "owner_id": cls.service.id,
            }
        )
        cls.resolution = Objective.create(
            {
                "indicator_id": cls._indicator("claim_resolution_days").id,
                "target": 5.0,
                "frequency": "quarter",
                "owner_id": cls.qms_manager.id,
            }
        )
        cls.nc_lots = Objective.create(
            {
                "indicator_id": cls._indicator("nc_lots").id,
                "target": 0.0,
                "frequency": "year",
                "owner_id": cls.qms_manager.id,
            }
        )
        cls.other = Objective.create(
            {
                "indicator_id": cls._indicator("claims_closed_in_sla").id,
                "company_id": cls.other_company.id,
                "target": 90.0,
                "owner_id": cls.qms_manager.id,
            }
        )

    def _measure(self, objectives, *args, user=None, **kw):
        with freeze_time("2020-04-05 02:00:00"):
            ids = objectives.with_user(user or self.qms_manager).action_measure(
                *args, **kw
            )
        return self.env["qms.objective.value"].browse(ids)

    def test_measure_on_demand(self):
        value = self._measure(self.sla, "2020-03-01", "2020-03-31")
        self.assertEqual(len(value), 1)
        self.assertEqual(
            (str(value.period_start), str(value.period_end), value.period_label),
            ("2020-03-01", "2020-03-31", "2020-03"),
        )
        self.assertEqual(value.value, 50.0)
        self.assertTrue(value.has_value)
        self.assertFalse(value.met)
        self.assertEqual(value.result, "missed")
        self.assertEqual(value.target, 90.0)
        self.assertEqual(str(value.computed_on), "2020-04-05 02:00:00")
        self.assertEqual(value.computed_by, self.qms_manager)
        self.assertEqual(value.state, "current")
        self.assertEqual(self.sla.last_value_id, value)
        self.assertFalse(self.sla.last_met)

    def test_frozen_after_the_data_change(self):
        value = self._measure(self.sla, *MARCH)
        # C3 is closed late in March after the measure: the figure changes...
        self._claim_stage(
            self.c3, "2020-03-08 02:00:00", "closed", customer_feedback="OK"
        )
        self.assertAlmostEqual(self.value("claims_closed_in_sla"), 33.3333)
        # ...the measured value does not
        self.env.invalidate_all()
        self.assertEqual(value.value, 50.0)
        with self.assertRefused(UserError, "already measured"):
            self._measure(self.sla, *MARCH)
        self.assertEqual(self.sla.value_ids, value)
        # measured again with a reason: a new value, the old one kept
        new = self._measure(self.sla, *MARCH, reason="C3 closed late, recorded after")
        self.assertEqual(new.value, 33.33)
        self.assertEqual(new.supersedes_id, value)
        self.assertEqual(new.reason, "C3 closed late, recorded after")
        self.assertEqual(value.state, "superseded")
        self.assertEqual(value.value, 50.0)
        self.assertEqual(self.sla.value_ids, value | new)
        self.assertEqual(self.sla.last_value_id, new)

    def test_values_are_audit_records(self):
        value = self._measure(self.sla, *MARCH)
        for user in (self.qms_manager, self.service):
            with self.assertRefused(AccessError):
                value.with_user(user).write({"value": 99.0})
            with self.assertRefused(UserError):
                value.with_user(user).unlink()
            with self.assertRefused(AccessError):
                self.env["qms.objective.value"].with_user(user).create(
                    {
                        "objective_id": self.sla.id,
                        "period_start": "2020-02-01",
                        "period_end": "2020-02-29",
                        "period_label": "2020-02",
                        "value": 100.0,
                        "met": True,
                    }
                )
        # not even superuser code, outside the measure
        with self.assertRefused(AccessError, "frozen"):
            value.sudo().write({"value": 99.0})
        with self.assertRefused(UserError, "never deleted"):
            value.sudo().unlink()
        with self.assertRefused(UserError, "measured values"):
            self.sla.unlink()
        with self.assertRefused(UserError, "measured values"):
            self.sla.write({"frequency": "quarter"})
        # the target may change: measured values keep the target of their day
        self.sla.target = 40.0
        self.assertEqual(value.target, 90.0)
        self.assertFalse(value.met)

    def test_who_measures(self):
        # the owner (customer service, no manager) measures their objective
        value = self._measure(self.sla, *MARCH, user=self.service)
        self.assertEqual(value.computed_by, self.service)
        # nobody else but a QMS manager
        for user in (self.qms_user, self.salesman):
            with self.assertRefused(AccessError):
                self._measure(self.resolution, *MARCH, user=user)
        # the employee cannot even read objectives
        with self.assertRefused(AccessError):
            self._measure(self.resolution, *MARCH, user=self.employee)
        # a batch with one objective of someone else is refused whole
        with self.assertRefused(AccessError, "owner"):
            self._measure(
                self.sla | self.resolution, *MARCH, reason="x", user=self.service
            )
        self.assertEqual(len(self.sla.value_ids), 1)

    def test_periods_and_frequencies(self):
        values = self._measure(self.sla | self.resolution, "2020-01-01", "2020-03-31")
        sla = values.filtered(lambda v: v.objective_id == self.sla)
        resolution = values.filtered(lambda v: v.objective_id == self.resolution)
        self.assertEqual(sla.mapped("period_label"), ["2020-01", "2020-02", "2020-03"])
        self.assertEqual(resolution.period_label, "2020 Q1")
        # Q1: C1 resolved in 3 days, C2 in 7; lower is better, target 5: met
        self.assertEqual(resolution.value, 5.0)
        self.assertTrue(resolution.met)
        # January and February: nothing to measure
        january = sla.filtered(lambda v: v.period_label == "2020-01")
        self.assertFalse(january.has_value)
        self.assertFalse(january.met)
        self.assertEqual(january.result, "no_data")
        self.assertEqual(
            self.env["qms.objective.value"].search(
                [("id", "in", sla.ids), ("result", "=", "no_data")]
            ),
            sla[:2],
        )
        # the year 2020 is not over on 5 April 2020
        with self.assertRefused(UserError, "not over"):
            self._measure(self.nc_lots, "2020-01-01", "2020-03-31")
        with self.assertRefused(ValidationError):
            self._measure(self.sla, "2020-03-31", "2020-03-01")
        with self.assertRefused(ValidationError):
            self._measure(self.sla, "2020-03-01", None)
        with self.assertRefused(ValidationError):
            self._measure(self.sla, "2020-03-01", "2020-03-31", reason=["x"])

    def test_monthly_job(self):
        with freeze_time("2020-04-01 00:30:00"):
            values = self.env["qms.objective"]._cron_measure()
            # March (monthly), Q1 (quarterly) and 2019 (yearly) of each company
            self.assertEqual(
                sorted(values.mapped("period_label")),
                ["2019", "2020 Q1", "2020-03", "2020-03"],
            )
            self.assertEqual(
                values.filtered(lambda v: v.objective_id == self.sla).value, 50.0
            )
            self.assertFalse(
                values.filtered(lambda v: v.objective_id == self.other).has_value
            )
            # run again: nothing new, nothing changed
            self.assertFalse(self.env["qms.objective"]._cron_measure())
        self.assertEqual(len(self.sla.value_ids), 1)

    def test_measure_wizard(self):
        with freeze_time("2020-04-05 02:00:00"):
            wizard = (
                self.env["qms.objective.measure.wizard"]
                .with_user(self.qms_manager)
                .create(
                    {
                        "objective_ids": [(6, 0, self.sla.ids)],
                        "date_from": "2020-03-01",
                        "date_to": "2020-03-31",
                    }
                )
            )
            action = wizard.action_measure()
            self.assertEqual(action["res_model"], "qms.objective.value")
            # wizard re-entry: the second measure needs a reason
            with self.assertRefused(UserError, "already measured"):
                wizard.action_measure()
            wizard.reason = "Double-check"
            wizard.action_measure()
        self.assertEqual(self.sla.value_ids.mapped("state"), ["current", "superseded"])

    def test_one_active_objective_per_indicator(self):
        with self.assertRefused(ValidationError, "already has an active"):
            self.env["qms.objective"].create(
                {
                    "indicator_id": self._indicator("claims_closed_in_sla").id,
                    "target": 80.0,
                    "owner_id": self.qms_manager.id,
                }
            )
        # only QMS managers set objectives
        with self.assertRefused(AccessError):
            self.env["qms.objective"].with_user(self.service).create(
                {
                    "indicator_id": self._indicator("visits_on_time").id,
                    "target": 80.0,
                    "owner_id": self.service.id,
                }
            )
        with self.assertRefused(AccessError):
            self.sla.with_user(self.service).write({"target": 10.0})

    def test_other_company(self):
        # the manager does not work in the other company: neither reads nor
        # measures its objective
        with self.assertRefused(AccessError):
            self._measure(self.other, *MARCH)
        self.assertFalse(
            self.env["qms.objective"]
            .with_user(self.qms_manager)
            .search([("id", "=", self.other.id)])
        )
        with freeze_time("2020-04-05 02:00:00"):
            ids = self.other.action_measure(*MARCH)
        value = self.env["qms.objective.value"].browse(ids)
        # its own records only: nothing to measure there
        self.assertFalse(value.has_value)

    def test_dashboard(self):
        self._measure(self.sla, "2020-01-01", "2020-03-31")
        with freeze_time("2020-04-05 02:00:00"):
            objective = self.sla.with_user(self.qms_user)
            self.assertEqual(objective.trend_count, 1)
            self.assertEqual(objective.trend_met_count, 0)
            self.assertIn('"label": "2020-03"', objective.trend_graph)
            self.assertEqual(objective.target_label, "≥ 90 %")
            action = objective.action_view_last_records()
            records = self.env[action["res_model"]].search(action["domain"])
            self.assertEqual(records, self.c1 | self.c2)
            self.assertEqual(
                objective.action_view_trend()["view_mode"], "graph,list,pivot"
            )
            # first paint: the kanban's read, a fixed number of queries
            fields = [
                "indicator_id",
                "target_label",
                "last_value",
                "last_met",
                "last_period",
                "trend_graph",
                "trend_met_count",
                "trend_count",
            ]
            Objective = self.env["qms.objective"].with_user(self.qms_user)
            Objective.search_read([], fields)
            self.env.invalidate_all()
            with self.assertQueryCount(__system__=8, qms_plain_user_t=8):
                Objective.search_read([], fields)
