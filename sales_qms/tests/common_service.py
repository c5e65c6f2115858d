"""Technicians, equipment tracked in the installed base and deliveries to a
customer, for the service process tests; built here, no demo data."""

from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from .common import SIGNATURE, QmsCommon

TECHNICIAN = "sales_qms.group_qms_service_technician"


class ServiceCommon(QmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_notrack=True)
        )
        cls._switch_off_review()
        cls._switch_off_inspection()
        cls.technician = new_test_user(
            cls.env, login="svc_technician_t", name="Tech Valid", groups=TECHNICIAN
        )
        cls.technician2 = new_test_user(
            cls.env, login="svc_technician2_t", name="Tech Expired", groups=TECHNICIAN
        )
        cls.repair = cls.env.ref("sales_qms.service_type_repair")
        cls.training = cls.env.ref("sales_qms.service_type_training")
        cls.consulting = cls.env.ref("sales_qms.service_type_consulting")
        cls.commissioning = cls.env.ref("sales_qms.service_type_commissioning")
        cls.onsite = cls.env.ref("sales_qms.service_type_onsite")
        cls.today = fields.Date.context_today(cls.env["qms.service.request"])
        cls.cert = cls._certificate(
            cls.technician,
            "CERT-VALID-1",
            cls.repair | cls.training | cls.commissioning | cls.onsite,
            cls.today - timedelta(days=100),
            cls.today + timedelta(days=300),
        )
        cls.cert_expired = cls._certificate(
            cls.technician2,
            "CERT-OLD-9",
            cls.repair,
            cls.today - timedelta(days=400),
            cls.today - timedelta(days=10),
        )
        cls.cabinet = cls._make_product(
            "Service test cabinet",
            tracking="serial",
            qms_track_installed=True,
            qms_warranty_months=24,
        )
        cls.part = cls._make_product("Service test card reader", list_price=100)
        cls._stock(cls.part, 50)
        cls.serials = cls._serials(cls.cabinet, "SVC-CAB-", 4)
        cls.delivery = cls._deliver(cls.customer, cls.cabinet, cls.serials[:2])
        cls.unit = cls.env["qms.installed.product"].search(
            [("lot_id", "=", cls.serials[0].id)]
        )

    # ------------------------------------------------------------ helpers
    @contextmanager
    def assertRefused(self, exception, regex=None):
        """assertRaises (which rolls back to a savepoint, unlike unittest's
        assertRaisesRegex) plus a check of the message."""
        with self.assertRaises(exception) as cm:
            yield cm
        if regex:
            self.assertRegex(str(cm.exception), regex)

    @classmethod
    def _certificate(cls, user, number, types, valid_from, valid_to):
        return (
            cls.env["qms.service.qualification"]
            .with_user(cls.service)
            .create(
                {
                    "user_id": user.id,
                    "certificate_number": number,
                    "title": "junior",
                    "service_type_ids": [Command.set(types.ids)],
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                }
            )
        )

    @classmethod
    def _serials(cls, product, prefix, count):
        lots = cls.env["stock.lot"].create(
            [
                {"name": f"{prefix}{n:03d}", "product_id": product.id}
                for n in range(1, count + 1)
            ]
        )
        for lot in lots:
            cls._stock(product, 1, lot=lot)
        return lots

    @classmethod
    def _deliver(cls, partner, product, lots=None, qty=None, picking_type=None):
        """A done delivery of ``lots`` (one move line each) or of ``qty``."""
        picking_type = picking_type or cls.picking_type_out
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner.id,
                "location_id": cls.stock_location.id,
                "location_dest_id": cls.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty or len(lots),
                            "product_uom": product.uom_id.id,
                            "location_id": cls.stock_location.id,
                            "location_dest_id": cls.customer_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        move = picking.move_ids
        move.move_line_ids.unlink()
        cls.env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": product.id,
                    "product_uom_id": product.uom_id.id,
                    "lot_id": lot.id,
                    "quantity": qty or 1,
                    "location_id": cls.stock_location.id,
                    "location_dest_id": cls.customer_location.id,
                }
                for lot in (lots or [cls.env["stock.lot"]])
            ]
        )
        move.picked = True
        picking.button_validate()
        assert picking.state == "done", picking.state
        return picking

    def _request(self, user=None, **vals):
        values = {
            "partner_id": self.customer.id,
            "installed_product_ids": [Command.set(self.unit.ids)],
            "service_type_id": self.repair.id,
            "description": "Doors 12-15 do not open",
        }
        values.update(vals)
        return (
            self.env["qms.service.request"]
            .with_user(user or self.service)
            .create(values)
        )

    def _scheduled(self, technician=None, **vals):
        request = self._request(
            technician_id=(technician or self.technician).id,
            scheduled_date=fields.Datetime.now() + timedelta(hours=2),
            **vals,
        )
        request.action_schedule()
        return request.with_user(self.env.uid)

    def _done(self, **vals):
        request = self._scheduled(**vals)
        as_tech = request.with_user(self.technician)
        as_tech.action_start()
        as_tech.write(
            {
                "work_done": "Door lock solenoids cleaned",
                "work_hours": 2.0,
                "customer_signed_by": "Huang Wei",
            }
        )
        as_tech.action_done()
        return request

    def _signed(self, **vals):
        request = self._done(**vals)
        request.with_user(self.technician).write(
            {"customer_signature": SIGNATURE, "customer_rating": 4}
        )
        return request
