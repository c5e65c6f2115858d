from odoo import Command, fields
from odoo.tests import tagged

from .common_after_sales import AfterSalesCommon
from .test_harness import _pdf_text


@tagged("post_install", "-at_install")
class TestAfterSalesReports(AfterSalesCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.customer.lang = "zh_CN"

    def _render(self, report, docids, data=None):
        pdf, fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, lang="zh_CN")
            ._render_qweb_pdf(report, docids, data=data)
        )
        self.assertEqual(fmt, "pdf")
        return _pdf_text(pdf)

    def test_claim_report_in_chinese(self):
        claim = self._new_claim(
            claim_type="return",
            root_cause="缝线工艺不良",
            action_ids=[Command.create({"description": "重新培训缝纫工"})],
        )
        text = self._render("sales_qms.action_report_qms_claim", claim.ids)
        # (the title is in Noto Sans CJK SC, whose 户 pdftotext reads as 戶)
        self.assertIn("投诉/索赔处理单", text)
        self.assertIn(claim.name, text)
        self.assertIn("东莞精密电子有限公司", text)
        self.assertIn("AS-LOT-DELIVERED", text)
        self.assertIn("缝线工艺不良", text)
        self.assertIn("重新培训缝纫工", text)
        self.assertIn(self.company.name, text)

    def test_monthly_figures_read_pending_writes(self):
        """The report's SQL flushes what it reads: a claim closed a moment ago,
        not yet written to the database, is counted as resolved."""
        Report = self.env["report.sales_qms.report_service_monthly"]
        today = fields.Date.context_today(self.env["qms.claim"])
        self.env.flush_all()
        before = Report._compute_figures(self.company, today.replace(day=1), today)
        self._new_claim(action_ids=[Command.create({"description": "Re-train"})])
        self._new_claim(customer_feedback="OK").write({"stage": "closed"})
        after = Report._compute_figures(self.company, today.replace(day=1), today)
        self.assertEqual(after["claims_resolved"], before["claims_resolved"] + 1)
        self.assertEqual(after["open_claims"], before["open_claims"] + 1)
        self.assertEqual(after["open_action_total"], before["open_action_total"] + 1)

    def test_monthly_figures_and_pdf(self):
        closed = self._new_claim(severity="critical", customer_feedback="满意")
        closed.write({"stage": "closed"})
        self._new_claim(
            claim_type="return",
            action_ids=[Command.create({"description": "Check seams"})],
        )
        visit = self.env["qms.followup.visit"].create(
            {
                "partner_id": self.customer.id,
                "picking_id": self.picking.id,
                "score_quality": 4,
                "score_delivery": 2,
                "score_service": 3,
            }
        )
        visit.action_done()
        today = fields.Date.context_today(self.env["qms.claim"])
        wizard = self.env["qms.service.report.wizard"].create(
            {"date_from": today.replace(day=1), "date_to": today}
        )
        data = wizard._prepare_report_data()
        Report = self.env["report.sales_qms.report_service_monthly"]
        # once to warm the caches a running server has (selection labels)
        Report._get_report_values(wizard.ids, data)
        self.env.flush_all()
        # one query per figure: claims by type, their resolution, visits and
        # their satisfaction, open actions, service requests by type, the
        # types' names, requests by technician...
        with self.assertQueryCount(__system__=11):
            values = Report._get_report_values(wizard.ids, data)
        self.assertGreaterEqual(values["claims_received"], 2)
        self.assertGreaterEqual(values["claims_resolved"], 1)
        self.assertGreaterEqual(values["visits_done"], 1)
        self.assertGreaterEqual(values["open_action_total"], 1)
        by_type = {row["label"]: row for row in values["claims_by_type"]}
        self.assertGreaterEqual(by_type["Complaint"]["critical"], 1)
        action = wizard.action_print()
        # the report itself, or first the document layout configurator
        self.assertIn(action["type"], ("ir.actions.report", "ir.actions.act_window"))
        text = self._render(
            "sales_qms.action_report_service_monthly", wizard.ids, data=data
        )
        self.assertIn("服务月报", text)
        self.assertIn(self.company.name, text)
