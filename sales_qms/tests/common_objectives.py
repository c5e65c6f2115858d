"""Quality objectives, indicators and management review: a clean period (March
2020, before any demo record) of the test company in the Shanghai time zone,
a second company, and builders of the records the indicators count. Dates are
set with freezegun, as the users' actions would set them."""

from contextlib import contextmanager
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user

from .common import QMS_USER, QmsCommon, pass_inspection

MARCH = (date(2020, 3, 1), date(2020, 3, 31))
APRIL = (date(2020, 4, 1), date(2020, 4, 30))


class ObjectivesCommon(QmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_notrack=True)
        )
        # periods are cut at midnight in the company's time zone (UTC+8)
        cls.company.partner_id.tz = "Asia/Shanghai"
        # the objectives of the demo company are not this test's
        cls.env["qms.objective"].search([]).active = False
        cls.other_company = cls.env["res.company"].create(
            {"name": "QMS Objectives Other Co."}
        )
        cls.gm = new_test_user(
            cls.env,
            login="qms_gm_t",
            name="QMS General Manager",
            groups=QMS_USER,
            email="qms_gm@example.com",
        )

    # ------------------------------------------------------------ helpers
    @contextmanager
    def assertRefused(self, exception, regex=None):
        """assertRaises (savepoint) plus a check of the message."""
        with self.assertRaises(exception) as cm:
            yield cm
        if regex:
            self.assertRegex(str(cm.exception), regex)

    @classmethod
    def _indicator(cls, code):
        return cls.env.ref(f"sales_qms.qms_indicator_{code}")

    def value(self, code, period=MARCH, company=None):
        return self._indicator(code).compute_value(
            (company or self.company).id, *period
        )

    @classmethod
    def _order(cls, lines, commitment=None, company=None, confirm=True):
        company = company or cls.company
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "user_id": cls.salesman.id if company == cls.company else False,
                    "commitment_date": commitment,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_uom_qty": qty}
                        )
                        for product, qty in lines
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()
        return order

    @classmethod
    def _validate(cls, picking, inspect=True):
        if inspect:
            pass_inspection(picking, cls.keeper, cls.inspector)
        picking.move_ids.picked = True
        res = picking.with_context(skip_sms=True).button_validate()
        assert res is True, res
        assert picking.state == "done", picking.state
        return picking

    @classmethod
    def _claim(cls, when, company=None, **vals):
        with freeze_time(when):
            env = cls.env if company else cls.env(user=cls.service)
            return env["qms.claim"].create(
                {
                    "partner_id": cls.customer.id,
                    "claim_type": "complaint",
                    "severity": "minor",
                    "company_id": (company or cls.company).id,
                    **vals,
                }
            )

    @classmethod
    def _claim_stage(cls, claim, when, stage, **vals):
        with freeze_time(when):
            env_claim = (
                claim
                if claim.company_id != cls.company
                else claim.with_user(cls.service)
            )
            env_claim.write({"stage": stage, **vals})

    @classmethod
    def _visit(
        cls, scheduled, done_on=None, scores=(5, 5, 5), company=None, cancel=False
    ):
        env = cls.env if company else cls.env(user=cls.service)
        visit = env["qms.followup.visit"].create(
            {
                "partner_id": cls.customer.id,
                "scheduled_date": scheduled,
                "company_id": (company or cls.company).id,
            }
        )
        if cancel:
            visit.action_cancel()
        elif done_on:
            with freeze_time(done_on):
                visit.write(
                    dict(
                        zip(
                            ("score_quality", "score_delivery", "score_service"),
                            scores,
                            strict=True,
                        )
                    )
                )
                visit.action_done()
        return visit
