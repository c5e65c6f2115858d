"""Technicians work only with a valid certificate for the type of service on
the scheduled date (持证上岗): assignment and start are refused otherwise,
whatever the path, with a message naming the missing or expired certificate."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_service import ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceQualification(ServiceCommon):
    def test_state_follows_the_date(self):
        cert = self.cert
        self.assertEqual(cert.state, "valid")
        self.assertEqual(self.cert_expired.state, "expired")
        with freeze_time(fields.Datetime.now() + timedelta(days=290)):
            cert.invalidate_recordset(["state"])
            self.assertEqual(cert.state, "expiring")
            Q = self.env["qms.service.qualification"]
            self.assertIn(cert, Q.search([("state", "=", "expiring")]))
            self.assertNotIn(cert, Q.search([("state", "=", "valid")]))
            self.assertIn(cert, Q.search([("state", "!=", "expired")]))
        with freeze_time(fields.Datetime.now() + timedelta(days=301)):
            cert.invalidate_recordset(["state"])
            self.assertEqual(cert.state, "expired")
            self.assertIn(
                cert,
                self.env["qms.service.qualification"].search(
                    [("state", "in", ["expired"])]
                ),
            )
        # the warning period is a company setting
        self.company.qms_qualification_warning_days = 400
        cert.invalidate_recordset(["state"])
        self.assertEqual(cert.state, "expiring")

    def test_qualified_technicians_for_a_type_on_a_date(self):
        Q = self.env["qms.service.qualification"]
        today = self.today
        self.assertIn(
            self.technician.id, Q._qualified_user_ids(self.repair, today, self.company)
        )
        self.assertNotIn(
            self.technician2.id, Q._qualified_user_ids(self.repair, today, self.company)
        )
        # on a day the old certificate covered, the second technician qualifies
        earlier = today - timedelta(days=200)
        self.assertIn(
            self.technician2.id,
            Q._qualified_user_ids(self.repair, earlier, self.company),
        )
        self.assertNotIn(
            self.technician.id,
            Q._qualified_user_ids(self.repair, earlier, self.company),
        )
        # consulting needs no certificate: every technician of the company
        anyone = Q._qualified_user_ids(self.consulting, today, self.company)
        self.assertTrue({self.technician.id, self.technician2.id} <= set(anyone))
        # an archived certificate no longer counts
        self.cert.active = False
        self.assertNotIn(
            self.technician.id, Q._qualified_user_ids(self.repair, today, self.company)
        )
        # the request form offers the qualified ones
        request = self.env["qms.service.request"].new(
            {"service_type_id": self.repair.id, "company_id": self.company.id}
        )
        self.assertNotIn(self.technician2, request.qualified_technician_ids)

    def test_assignment_with_an_expired_certificate_is_refused(self):
        with self.assertRefused(ValidationError, "CERT-OLD-9.*expired"):
            self._request(technician_id=self.technician2.id)
        request = self._request()
        # an RPC write, as customer service
        with self.assertRefused(ValidationError, "CERT-OLD-9.*expired"):
            request.with_user(self.service).write(
                {"technician_id": self.technician2.id}
            )
        # a batch write: one unqualified technician refuses the batch
        other = self._request()
        with self.assertRaises(ValidationError):
            (request | other).with_user(self.service).write(
                {"technician_id": self.technician2.id}
            )
        (request | other).invalidate_recordset()
        self.assertFalse((request | other).technician_id)
        # a type the certificate does not cover, named in the message
        with self.assertRefused(ValidationError, "no certificate for Training"):
            self._request(
                technician_id=self.technician2.id,
                service_type_id=self.training.id,
            ).write({})
        # a scheduled date after the end of a valid certificate
        late = fields.Datetime.now() + timedelta(days=320)
        with self.assertRefused(ValidationError, "CERT-VALID-1.*ends on"):
            request.with_user(self.service).write(
                {"technician_id": self.technician.id, "scheduled_date": late}
            )
        # a certificate not valid yet
        self.cert.valid_from = self.today + timedelta(days=5)
        with self.assertRefused(ValidationError, "CERT-VALID-1.*valid only from"):
            request.with_user(self.service).write({"technician_id": self.technician.id})

    def test_not_a_technician(self):
        with self.assertRefused(ValidationError, "is not a service technician"):
            self._request(technician_id=self.salesman.id)
        with self.assertRefused(ValidationError, "is not a service technician"):
            self._certificate(self.salesman, "X-1", self.repair, self.today, self.today)

    def test_start_needs_a_certificate_valid_today(self):
        request = self._scheduled()
        # the certificate is withdrawn (archived) after the assignment
        self.cert.active = False
        with self.assertRefused(ValidationError, "no certificate"):
            request.with_user(self.technician).action_start()
        self.cert.active = True
        with freeze_time(fields.Datetime.now() + timedelta(days=305)):
            with self.assertRefused(ValidationError, "CERT-VALID-1.*expired"):
                request.with_user(self.technician).action_start()
        request.with_user(self.technician).action_start()
        self.assertEqual(request.state, "in_progress")

    def test_type_change_is_checked_too(self):
        request = self._scheduled(technician=self.technician)
        self.cert.service_type_ids = [Command.set(self.repair.ids)]
        with self.assertRefused(ValidationError, "no certificate for Training"):
            request.with_user(self.service).write({"service_type_id": self.training.id})

    def test_who_records_certificates(self):
        Q = self.env["qms.service.qualification"]
        vals = {
            "user_id": self.technician.id,
            "certificate_number": "SELF-1",
            "title": "senior",
            "service_type_ids": [Command.set(self.repair.ids)],
            "valid_from": self.today,
            "valid_to": self.today + timedelta(days=10),
        }
        with self.assertRaises(AccessError):
            Q.with_user(self.technician).create(vals)
        with self.assertRaises(AccessError):
            self.cert.with_user(self.technician).write({"valid_to": "2099-01-01"})
        # technicians read their own certificates only
        self.assertEqual(Q.with_user(self.technician).search([]), self.cert)
        with self.assertRaises(AccessError):
            self.cert_expired.with_user(self.technician).read(["certificate_number"])
        with self.assertRaises(AccessError):
            self.cert.with_user(self.service).write({"expiry_warned_on": self.today})
        with self.assertRefused(ValidationError, "ends before it starts"):
            Q.with_user(self.service).create(
                {**vals, "valid_to": self.today - timedelta(days=1)}
            )
        # certificates are records of competence: archived, never deleted
        with self.assertRaises(AccessError):
            self.cert.with_user(self.qms_manager).unlink()
        with self.assertRefused(UserError, "never deleted"):
            self.cert.sudo().unlink()

    def test_cron_warns_once_before_expiry(self):
        self.company.qms_service_manager_id = self.service
        Q = self.env["qms.service.qualification"]
        with freeze_time(fields.Datetime.now() + timedelta(days=275)):
            warned = Q._cron_warn_expiry()
            self.assertIn(self.cert, warned)
            activities = self.cert.activity_ids
            self.assertEqual(activities.user_id, self.technician | self.service)
            self.assertIn("CERT-VALID-1", activities[0].note)
            # once
            self.assertNotIn(self.cert, Q._cron_warn_expiry())
            self.assertEqual(len(self.cert.activity_ids), 2)
        # renewed: warned again before the new end
        self.cert.with_user(self.service).valid_to = self.today + timedelta(days=700)
        self.assertFalse(self.cert.expiry_warned_on)
        self.assertNotIn(self.cert, Q._cron_warn_expiry())
