"""The management review report and the quality objectives statistics, as
PDF through wkhtmltopdf, in Chinese and English; the dashboard and the review
in the browser."""

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common_objectives import ObjectivesCommon
from .test_harness import _pdf_text


@tagged("post_install", "-at_install")
class TestQualityReports(ObjectivesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.company.qms_procedure_ref = "HDSS-CX-14"
        cls.objective = cls.env["qms.objective"].create(
            {
                "indicator_id": cls._indicator("claims_closed_in_sla").id,
                "target": 90.0,
                "owner_id": cls.service.id,
            }
        )
        cls.objective._qms_record_values(
            [("2020-01-01", 85.0), ("2020-02-01", 92.5), ("2020-03-01", False)],
            "Paper statistics",
        )
        cls.review = cls.env["qms.management.review"].create(
            {
                "date": "2020-04-10",
                "period_start": "2020-01-01",
                "period_end": "2020-03-31",
                "chair_id": cls.gm.id,
                "participant_ids": [Command.set((cls.gm | cls.qms_manager).ids)],
                "conclusion": "体系运行有效。",
                "decision_ids": [
                    Command.create(
                        {
                            "description": "增加一名质检员",
                            "kind": "resource",
                            "owner_id": cls.qms_manager.id,
                            "due_date": "2020-06-30",
                        }
                    )
                ],
            }
        )
        cls.review.with_user(cls.qms_manager).action_compile_inputs()
        cls.review.with_user(cls.qms_manager).action_submit()
        cls.review.with_user(cls.gm).action_approve()

    def _render(self, report, docids, lang, data=None):
        pdf, fmt = (
            self.env["ir.actions.report"]
            .with_user(self.qms_manager)
            .with_context(force_report_rendering=True, lang=lang)
            ._render_qweb_pdf(report, docids, data=data)
        )
        self.assertEqual(fmt, "pdf")
        return _pdf_text(pdf)

    def test_management_review_report_chinese(self):
        text = self._render(
            "sales_qms.action_report_management_review", self.review.ids, "zh_CN"
        )
        self.assertIn("管理评审报告", text)
        self.assertIn(f"HDSS-CX-14/{self.review.name}", text)
        self.assertIn(self.company.name, text)
        self.assertIn("增加一名质检员", text)
        self.assertIn("体系运行有效。", text)
        self.assertIn("QMS General Manager", text)
        # the page band on every page: page x of y and the document number
        pages = [page for page in text.split("\f") if page.strip()]
        self.assertGreater(len(pages), 1)
        for number, page in enumerate(pages, start=1):
            self.assertRegex(page, rf"第 {number} 页.共 {len(pages)} 页")
            self.assertIn(f"HDSS-CX-14/{self.review.name}", page)

    def test_management_review_report_english(self):
        text = self._render(
            "sales_qms.action_report_management_review", self.review.ids, "en_US"
        )
        self.assertIn("Management Review Report", text)
        self.assertIn("Status of actions from previous management reviews", text)
        self.assertIn("Claims closed within SLA", text)
        self.assertIn("Attendance and Approval", text)

    def test_quality_objectives_statistics(self):
        wizard = (
            self.env["qms.objective.report.wizard"]
            .with_user(self.qms_manager)
            .create({"year": 2020})
        )
        self.assertEqual(wizard.action_print()["type"], "ir.actions.report")
        for lang, title in (
            ("zh_CN", "质量目标统计表"),
            ("en_US", "Quality Objectives Statistics"),
        ):
            text = self._render(
                "sales_qms.action_report_quality_objectives",
                wizard.ids,
                lang,
                data=wizard._prepare_report_data(),
            )
            self.assertIn(title, text)
            self.assertIn("85.0", text)
            self.assertIn("92.5", text)
            self.assertIn("1/2", text)  # met once out of two measured months
            self.assertIn("HDSS-CX-14/QO-2020", text)


@tagged("post_install", "-at_install")
class TestQualityTours(HttpCase):
    def test_dashboard_tour(self):
        """A plain QMS user opens the dashboard, a trend, the records."""
        new_test_user(
            self.env,
            login="qms_dashboard_user",
            lang="en_US",
            groups="sales_qms.group_qms_user",
        )
        self.env["qms.objective"].search([]).active = False
        objective = self.env["qms.objective"].create(
            {
                "indicator_id": self.env.ref(
                    "sales_qms.qms_indicator_claims_closed_in_sla"
                ).id,
                "target": 90.0,
            }
        )
        first = fields.Date.today().replace(day=1)
        objective._qms_record_values(
            [
                (first - relativedelta(months=12 - i), value)
                for i, value in enumerate(
                    [88, 91, 93, 95, 89, 97, 96, 92, 94, 98, 99, 95]
                )
            ],
            "Tour",
        )
        self.start_tour(
            "/odoo/action-sales_qms.qms_objective_dashboard_action",
            "sales_qms_quality_dashboard_tour",
            login="qms_dashboard_user",
        )

    def test_management_review_tour(self):
        """The QMS manager compiles a review's inputs and submits it."""
        manager = new_test_user(
            self.env,
            login="qms_review_manager",
            lang="en_US",
            groups="sales_qms.group_qms_manager",
        )
        gm = new_test_user(
            self.env, login="qms_review_gm", groups="sales_qms.group_qms_user"
        )
        review = self.env["qms.management.review"].create(
            {"chair_id": gm.id, "participant_ids": [Command.set((gm | manager).ids)]}
        )
        self.start_tour(
            f"/odoo/action-sales_qms.qms_management_review_action/{review.id}",
            "sales_qms_management_review_tour",
            login="qms_review_manager",
        )
        self.assertEqual(review.state, "in_review")
        self.assertEqual(review.inputs_compiled_by, manager)
