"""Portal: a customer sees the products installed at their company with their
service history, and files a service request for one installed product or one
delivered lot; nothing of another customer."""

import re

from odoo.tests import HttpCase, tagged

from .common_service import ServiceCommon


@tagged("post_install", "-at_install")
class TestServicePortal(ServiceCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.qms_service_manager_id = cls.service
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Other portal customer", "is_company": True}
        )
        cls.other_delivery = cls._deliver(
            cls.other_customer, cls.cabinet, cls.serials[2]
        )
        cls.their_unit = cls.env["qms.installed.product"].search(
            [("picking_id", "=", cls.other_delivery.id)]
        )
        cls.gloves = cls._make_product("Portal gloves", tracking="lot")
        cls.glove_lot = cls.env["stock.lot"].create(
            {"name": "GLOVE-LOT-1", "product_id": cls.gloves.id}
        )
        cls._stock(cls.gloves, 100, lot=cls.glove_lot)
        cls.glove_delivery = cls._deliver(
            cls.customer, cls.gloves, [cls.glove_lot], qty=20
        )
        cls.history = cls._request_cls()

    @classmethod
    def _request_cls(cls):
        return (
            cls.env["qms.service.request"]
            .with_user(cls.service)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "installed_product_ids": [(6, 0, cls.unit.ids)],
                    "service_type_id": cls.repair.id,
                    "description": "Earlier repair",
                }
            )
        )

    def _csrf(self, html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def test_installed_products_and_history(self):
        self.authenticate(self.portal.login, self.portal.login)
        res = self.url_open("/my/installed-products")
        self.assertEqual(res.status_code, 200)
        self.assertIn("SVC-CAB-001", res.text)
        self.assertNotIn("SVC-CAB-003", res.text)
        res = self.url_open(f"/my/installed-products/{self.unit.id}")
        self.assertIn("SVC-CAB-001", res.text)
        self.assertIn(self.history.name, res.text)
        res = self.url_open(f"/my/installed-products/{self.their_unit.id}")
        self.assertTrue(res.url.endswith("/my"), res.url)
        res = self.url_open("/my/service-requests")
        self.assertIn(self.history.name, res.text)
        res = self.url_open(f"/my/service-requests/{self.history.id}")
        self.assertIn("Earlier repair", res.text)
        res = self.url_open("/my/home")
        self.assertIn("/my/installed-products", res.text)

    def test_file_requests(self):
        self.authenticate(self.portal.login, self.portal.login)
        form = self.url_open("/my/service-requests/new").text
        self.assertIn(f'value="unit-{self.unit.id}"', form)
        self.assertNotIn(f'value="unit-{self.their_unit.id}"', form)
        glove_line = self.glove_delivery.move_line_ids
        self.assertIn(f'value="lot-{glove_line.id}"', form)
        Request = self.env["qms.service.request"]
        before = Request.search_count([])

        def post(target, description="Doors jam", type_id=None):
            return self.url_open(
                "/my/service-requests/new",
                data={
                    "csrf_token": self._csrf(form),
                    "target": target,
                    "service_type_id": type_id or self.repair.id,
                    "description": description,
                },
            )

        # another customer's unit, a forged target, an empty description, an
        # unknown service type: refused in the form, nothing written
        for target, description, type_id in (
            (f"unit-{self.their_unit.id}", "x", None),
            ("lot-abc", "x", None),
            (f"unit-{self.unit.id}", "  ", None),
            (f"unit-{self.unit.id}", "x", 999999),
        ):
            with self.subTest(target=target, description=description):
                res = post(target, description, type_id)
                self.assertEqual(res.status_code, 200)
                self.assertIn("o_qms_service_error", res.text)
        self.assertEqual(Request.search_count([]), before)
        # one open request per installed product
        res = post(f"unit-{self.unit.id}")
        self.assertIn("o_qms_service_error", res.text)
        self.assertIn(self.history.name, res.text)
        second = self.serials[1]
        unit2 = self.env["qms.installed.product"].search([("lot_id", "=", second.id)])
        res = post(f"unit-{unit2.id}", "Card reader dead")
        created = Request.search([], order="id desc", limit=1)
        self.assertIn(f"/my/service-requests/{created.id}", res.url)
        self.assertEqual(created.installed_product_ids, unit2)
        self.assertEqual(created.channel, "portal")
        self.assertEqual(created.partner_id, self.portal.partner_id)
        self.assertEqual(created.user_id, self.service)
        self.assertEqual(created.activity_ids.user_id, self.service)
        self.assertEqual(created.state, "new")
        # a delivered lot outside the installed base
        res = post(f"lot-{glove_line.id}", "Gloves tear at the thumb")
        created = Request.search([], order="id desc", limit=1)
        self.assertEqual(
            (created.product_id, created.lot_id), (self.gloves, self.glove_lot)
        )
        self.assertFalse(created.installed_product_ids)

    def test_portal_tour(self):
        self.start_tour(
            f"/my/installed-products/{self.serials_unit(1).id}",
            "sales_qms_portal_service_tour",
            login=self.portal.login,
        )
        created = self.env["qms.service.request"].search([], order="id desc", limit=1)
        self.assertEqual(created.installed_product_ids, self.serials_unit(1))
        self.assertEqual(created.description, "The card reader does not read badges")
        # the first service offered
        first = self.env["qms.service.type"].search(
            [("company_id", "in", [False, self.company.id])], limit=1
        )
        self.assertEqual(created.service_type_id, first)
        self.assertEqual(created.channel, "portal")

    def serials_unit(self, index):
        return self.env["qms.installed.product"].search(
            [("lot_id", "=", self.serials[index].id)]
        )
