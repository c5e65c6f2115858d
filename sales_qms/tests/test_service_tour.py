"""The service flow in the browser: from a new request to the customer's
signed service report."""

from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common_service import TECHNICIAN, ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceTour(ServiceCommon, HttpCase):
    def test_request_to_signed_service_report(self):
        # a small service department: the same person takes the call and goes
        tour_user = new_test_user(
            self.env,
            login="svc_tour_t",
            name="Tour Technician",
            lang="en_US",
            groups=f"{TECHNICIAN},sales_qms.group_qms_customer_service,"
            "sales_team.group_sale_salesman_all_leads",
        )
        self._certificate(
            tour_user,
            "CERT-TOUR-1",
            self.repair,
            self.today - timedelta(days=5),
            self.today + timedelta(days=100),
        )
        request = (
            self.env["qms.service.request"]
            .with_user(self.service)
            .create(
                {
                    "partner_id": self.customer.id,
                    "installed_product_ids": [Command.set(self.unit.ids)],
                    "service_type_id": self.repair.id,
                    "description": "The card reader does not read the new cards",
                    "scheduled_date": fields.Datetime.now() + timedelta(hours=3),
                }
            )
        )
        self.start_tour(
            f"/odoo/action-sales_qms.qms_service_request_action/{request.id}",
            "sales_qms_service_request_tour",
            login="svc_tour_t",
        )
        self.assertEqual(request.state, "closed")
        self.assertEqual(request.technician_id, tour_user)
        self.assertEqual(request.work_done, "Card reader firmware updated to 1.9")
        self.assertEqual(request.work_hours, 1.5)
        self.assertEqual(request.customer_signed_by, "Huang Wei")
        self.assertEqual(request.customer_rating, 5)
        self.assertTrue(request.customer_signature)
        self.assertEqual(request.signature_collected_by_id, tour_user)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "sales_qms.action_report_qms_service_request", request.ids
            )[0]
            .decode()
        )
        self.assertIn("data:image/png;base64", html)
        self.assertIn("Huang Wei", html)
        self.assertIn("CERT-TOUR-1", html)
