"""The answer to a technical change recorded in the browser, as a QMS user."""

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common_customer import CustomerCase


@tagged("post_install", "-at_install")
class TestCustomerTour(HttpCase, CustomerCase):
    def test_record_answer_from_the_change_form(self):
        new_test_user(
            self.env,
            login="qms_tour_quality",
            lang="en_US",
            groups="sales_qms.group_qms_user",
        )
        order = self._order()
        order.action_confirm()
        change = self.env["qms.technical.change"].create(
            {
                "title": "Tour change",
                "product_ids": [Command.set(self.product.ids)],
                "description": "Tour: new zipper",
                "effective_date": fields.Date.today(),
            }
        )
        change.with_user(self.qms_manager).action_approve()
        change.action_find_affected()
        change.action_notify()
        self.start_tour(
            f"/odoo/action-sales_qms.qms_technical_change_action/{change.id}",
            "sales_qms_technical_change_tour",
            login="qms_tour_quality",
        )
        line = change.affected_line_ids
        self.assertEqual(line.response, "accepted")
        self.assertEqual(line.acknowledged_by, "Tour: Li Na")
        self.assertEqual(line.response_channel, "phone")
