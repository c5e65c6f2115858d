"""Service documents in Chinese and English: Service Report (服务报告单),
Annual Service Plan (年度售后服务计划), Technician Evaluation (服务人员考评表),
and the service requests in the monthly service report (服务月报)."""

from odoo import Command
from odoo.tests import tagged

from .common_service import ServiceCommon
from .test_harness import _pdf_text


@tagged("post_install", "-at_install")
class TestServiceReports(ServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.company.qms_procedure_ref = "HDSS-CX-14"

    def _render(self, report, docids, lang="zh_CN", data=None):
        pdf, fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, lang=lang)
            ._render_qweb_pdf(report, docids, data=data)
        )
        self.assertEqual(fmt, "pdf")
        return _pdf_text(pdf)

    def test_service_report_in_chinese_and_english(self):
        request = self._signed()
        request.with_user(self.service).action_close()
        self.customer.lang = "zh_CN"
        text = self._render("sales_qms.action_report_qms_service_request", request.ids)
        for expected in (
            "服务报告单",
            request.name,
            "HDSS-CX-14",
            self.company.name,
            "Door lock solenoids cleaned",
            "Huang Wei",
            "CERT-VALID-1",
            "SVC-CAB-001",
            "签字",
        ):
            self.assertIn(expected, text)
        self.assertRegex(text, r"第 1 页.共 1 页")
        self.customer.lang = "en_US"
        text = self._render(
            "sales_qms.action_report_qms_service_request", request.ids, lang="en_US"
        )
        for expected in ("Service Report", "Signed By", "Parts Used", "Work Done"):
            if expected == "Parts Used":
                continue  # no parts on this request
            self.assertIn(expected, text)
        # the signature is in the document
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "sales_qms.action_report_qms_service_request", request.ids
            )[0]
            .decode()
        )
        self.assertIn("data:image/png;base64", html)

    def test_plan_report(self):
        plan = (
            self.env["qms.service.plan"]
            .with_user(self.service)
            .create(
                {
                    "name": "年度售后服务计划 2031",
                    "year": 2031,
                    "line_ids": [
                        Command.create(
                            {
                                "planned_month": "3",
                                "installed_product_id": self.unit.id,
                                "service_type_id": self.repair.id,
                                "user_id": self.technician.id,
                                "description": "季度保养",
                            }
                        )
                    ],
                }
            )
        )
        plan.with_user(self.service).action_submit()
        plan.with_user(self.qms_manager).action_approve()
        text = self._render("sales_qms.action_report_qms_service_plan", plan.ids)
        for expected in (
            "年度售后服务计划",
            "2031",
            "季度保养",
            "SVC-CAB-001",
            self.qms_manager.name,
            self.service.name,
            "HDSS-CX-14",
        ):
            self.assertIn(expected, text)
        # the page band of the audit records
        self.assertRegex(text, r"第 1 页.共 1 页")

    def test_evaluation_report(self):
        self._signed()
        month_start = self.today.replace(day=1)
        evaluation = (
            self.env["qms.service.evaluation"]
            .with_user(self.service)
            ._generate(month_start, self.today, self.company)
            .filtered(lambda e: e.user_id == self.technician)
        )
        evaluation.with_user(self.service).write(
            {"score_quality": 4, "score_attitude": 4, "score_skill": 5}
        )
        evaluation.with_user(self.qms_manager).action_approve()
        text = self._render(
            "sales_qms.action_report_qms_service_evaluation", evaluation.ids
        )
        for expected in ("服务人员考评表", "Tech Valid", self.qms_manager.name):
            self.assertIn(expected, text)
        self.assertRegex(text, r"第 1 页.共 1 页")

    def test_monthly_report_counts_the_service_requests(self):
        request = self._signed()
        request.with_user(self.service).action_close()
        wizard = self.env["qms.service.report.wizard"].create(
            {"date_from": self.today.replace(day=1), "date_to": self.today}
        )
        data = wizard._prepare_report_data()
        Report = self.env["report.sales_qms.report_service_monthly"]
        values = Report._get_report_values(wizard.ids, data)
        by_type = {row["label"]: row for row in values["service_by_type"]}
        self.assertGreaterEqual(by_type["Repair"]["done"], 1)
        self.assertGreaterEqual(values["service_done"], 1)
        tech = {row["name"]: row for row in values["service_technicians"]}
        self.assertEqual(tech["Tech Valid"]["requests_done"], 1)
        text = self._render(
            "sales_qms.action_report_service_monthly", wizard.ids, data=data
        )
        for expected in ("客户服务月报", "服务请求", "服务人员", "Tech Valid"):
            self.assertIn(expected, text)
