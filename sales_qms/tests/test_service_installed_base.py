"""The installed base (用户信息管理系统): recorded by deliveries in bulk, taken
out by returns, updated by claims' replacements; who may change it."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_service import ServiceCommon


@tagged("post_install", "-at_install")
class TestServiceInstalledBase(ServiceCommon):
    def test_delivery_records_one_unit_per_serial(self):
        units = self.env["qms.installed.product"].search(
            [("picking_id", "=", self.delivery.id)]
        )
        self.assertEqual(len(units), 2)
        self.assertEqual(units.lot_id, self.serials[:2])
        unit = self.unit
        self.assertEqual(unit.partner_id, self.customer)
        self.assertEqual(unit.site_partner_id, self.customer)
        self.assertEqual(unit.state, "delivered")
        self.assertEqual(unit.quantity, 1)
        self.assertEqual(unit.delivery_move_line_id.picking_id, self.delivery)
        self.assertEqual(unit.company_id, self.company)
        self.assertTrue(unit.warranty_end)
        self.assertTrue(unit.under_warranty)
        self.assertEqual(self.customer.qms_installed_count, 2)

    def test_lot_and_untracked_products_one_unit_per_line(self):
        lotted = self._make_product(
            "Service test tester", tracking="lot", qms_track_installed=True
        )
        lot = self.env["stock.lot"].create(
            {"name": "TST-LOT-1", "product_id": lotted.id}
        )
        self._stock(lotted, 10, lot=lot)
        picking = self._deliver(self.customer, lotted, [lot], qty=4)
        unit = self.env["qms.installed.product"].search(
            [("picking_id", "=", picking.id)]
        )
        self.assertEqual(len(unit), 1)
        self.assertEqual((unit.lot_id, unit.quantity), (lot, 4))
        plain = self._make_product("Service test plain", qms_track_installed=True)
        self._stock(plain, 5)
        picking = self._deliver(self.customer, plain, qty=3)
        unit = self.env["qms.installed.product"].search(
            [("picking_id", "=", picking.id)]
        )
        self.assertEqual((len(unit), unit.quantity, unit.lot_id.id), (1, 3, False))
        # products not flagged stay out of the base
        other = self._make_product("Service test not tracked", tracking="serial")
        lots = self._serials(other, "NT-", 1)
        picking = self._deliver(self.customer, other, lots)
        self.assertFalse(
            self.env["qms.installed.product"].search([("picking_id", "=", picking.id)])
        )

    def _validate_delivery(self, product, lots):
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.picking_type_out.id,
                "partner_id": self.customer.id,
                "location_id": self.stock_location.id,
                "location_dest_id": self.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": len(lots),
                            "product_uom": product.uom_id.id,
                            "location_id": self.stock_location.id,
                            "location_dest_id": self.customer_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        self.env.flush_all()
        self.env.invalidate_all()
        return picking

    def test_added_queries_do_not_grow_with_the_lines(self):
        """Validating a delivery of tracked products costs the same number of
        added queries for 5 or 25 serials: the units are created at once."""
        added = {}
        # the first run fills the caches a running server already has
        for count in (2, 5, 25):
            counts = {}
            for flagged in (False, True):
                product = self._make_product(
                    f"Bulk {count} {flagged}",
                    tracking="serial",
                    qms_track_installed=flagged,
                )
                lots = self._serials(product, f"BULK-{count}-{flagged}-", count)
                picking = self._validate_delivery(product, lots)
                before = self.env.cr.sql_log_count
                picking.button_validate()
                counts[flagged] = self.env.cr.sql_log_count - before
                self.assertEqual(picking.state, "done")
                units = self.env["qms.installed.product"].search(
                    [("picking_id", "=", picking.id)]
                )
                self.assertEqual(len(units), count if flagged else 0)
            added[count] = counts[True] - counts[False]
        del added[2]
        self.assertEqual(added[5], added[25], added)
        self.assertLessEqual(added[25], 20, added)

    def test_return_takes_the_unit_out(self):
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=self.delivery.id, active_model="stock.picking")
            .create({"picking_id": self.delivery.id})
        )
        wizard.product_return_moves.quantity = 1
        ret = wizard._create_return()
        ret.move_ids.move_line_ids.unlink()
        move = ret.move_ids
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": ret.id,
                "product_id": self.cabinet.id,
                "product_uom_id": self.cabinet.uom_id.id,
                "lot_id": self.serials[1].id,
                "quantity": 1,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
            }
        )
        move.picked = True
        ret.button_validate()
        self.assertEqual(ret.state, "done")
        returned = self.env["qms.installed.product"].search(
            [("lot_id", "=", self.serials[1].id)]
        )
        self.assertEqual(returned.state, "returned")
        self.assertTrue(returned.return_date)
        self.assertEqual(self.unit.state, "delivered")
        # delivered again, to another customer: a new unit, the old one kept
        other = self.env["res.partner"].create({"name": "Second-hand customer"})
        self._deliver(other, self.cabinet, self.serials[1])
        units = self.env["qms.installed.product"].search(
            [("lot_id", "=", self.serials[1].id)]
        )
        self.assertEqual(
            sorted(units.mapped("state")), ["delivered", "returned"], units
        )
        self.assertEqual(
            units.filtered(lambda u: u.state == "delivered").partner_id, other
        )

    def test_partial_return_of_a_lot_line(self):
        lotted = self._make_product(
            "Partial return tester", tracking="lot", qms_track_installed=True
        )
        lot = self.env["stock.lot"].create({"name": "PR-LOT", "product_id": lotted.id})
        self._stock(lotted, 10, lot=lot)
        picking = self._deliver(self.customer, lotted, [lot], qty=5)
        unit = self.env["qms.installed.product"].search(
            [("picking_id", "=", picking.id)]
        )
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        wizard.product_return_moves.quantity = 2
        ret = wizard._create_return()
        ret.move_ids.move_line_ids.unlink()
        move = ret.move_ids
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": ret.id,
                "product_id": lotted.id,
                "product_uom_id": lotted.uom_id.id,
                "lot_id": lot.id,
                "quantity": 2,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
            }
        )
        move.picked = True
        ret.button_validate()
        self.assertEqual((unit.state, unit.quantity), ("delivered", 3))

    def test_claim_replacement_links_the_new_unit(self):
        claim = (
            self.env["qms.claim"]
            .with_user(self.service)
            .create(
                {
                    "partner_id": self.customer.id,
                    "claim_type": "exchange",
                    "picking_id": self.delivery.id,
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": self.cabinet.id,
                                "lot_id": self.serials[0].id,
                                "quantity": 1,
                            }
                        )
                    ],
                }
            )
        )
        # the replacement delivery (as the claim's Create Replacement plans it)
        replacement = self._deliver(self.customer, self.cabinet, self.serials[2])
        claim.sudo().replacement_picking_id = replacement
        # its validation happened before the link here: run the hook again
        new_unit = self.env["qms.installed.product"].search(
            [("lot_id", "=", self.serials[2].id)]
        )
        self.env["qms.installed.product"]._link_replacements(new_unit)
        self.assertEqual(new_unit.claim_id, claim)
        self.assertEqual(self.unit.replaced_by_id, new_unit)
        self.assertIn(new_unit, claim.installed_product_ids)

    def test_claim_replacement_validated_after_the_link(self):
        claim = self.env["qms.claim"].create(
            {
                "partner_id": self.customer.id,
                "claim_type": "exchange",
                "picking_id": self.delivery.id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": self.cabinet.id,
                            "lot_id": self.serials[1].id,
                            "quantity": 1,
                        }
                    )
                ],
            }
        )
        claim.with_user(self.service).action_create_replacement()
        replacement = claim.replacement_picking_id
        replacement.action_assign()
        move = replacement.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": replacement.id,
                "product_id": self.cabinet.id,
                "product_uom_id": self.cabinet.uom_id.id,
                "lot_id": self.serials[3].id,
                "quantity": 1,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
            }
        )
        move.picked = True
        replacement.button_validate()
        new_unit = self.env["qms.installed.product"].search(
            [("lot_id", "=", self.serials[3].id)]
        )
        self.assertEqual(new_unit.claim_id, claim)
        old = self.env["qms.installed.product"].search(
            [("lot_id", "=", self.serials[1].id)]
        )
        self.assertEqual(old.replaced_by_id, new_unit)

    def test_who_changes_the_installed_base(self):
        unit = self.unit
        # a delivered unit keeps what its delivery recorded
        with self.assertRefused(UserError, "as delivered"):
            unit.with_user(self.service).write({"quantity": 5})
        with self.assertRaises(AccessError):
            unit.with_user(self.service).write({"state": "installed"})
        with self.assertRaises(AccessError):
            unit.with_user(self.service).write({"delivery_move_line_id": False})
        # the service history is written from the requests, never from the unit
        other_unit = self.env["qms.installed.product"].search(
            [("lot_id", "=", self.serials[1].id)]
        )
        request = self._request(installed_product_ids=[Command.set(other_unit.ids)])
        with self.assertRaises(AccessError):
            unit.with_user(self.service).write(
                {"service_request_ids": [Command.link(request.id)]}
            )
        # customer service configures it and marks it installed
        unit.with_user(self.service).write(
            {
                "configuration": "60 compartments",
                "component_ids": [
                    Command.create({"name": "Controller", "version": "fw 2.4"})
                ],
            }
        )
        unit.with_user(self.service).action_install("2026-01-10")
        self.assertEqual(unit.state, "installed")
        self.assertEqual(str(unit.install_date), "2026-01-10")
        # technicians update only the units of their requests, and only the
        # configuration
        with self.assertRaises(AccessError):
            unit.with_user(self.technician).write({"configuration": "not mine"})
        self._request(technician_id=self.technician.id)
        unit.invalidate_recordset()
        unit.with_user(self.technician).write({"configuration": "firmware 2.5"})
        unit.component_ids.with_user(self.technician).write({"version": "fw 2.5"})
        with self.assertRaises(AccessError):
            unit.with_user(self.technician).write({"site_partner_id": False})
        with self.assertRaises(AccessError):
            unit.with_user(self.technician).action_scrap()
        # salespeople read their customers' base, not others'
        self.assertEqual(
            unit.with_user(self.salesman).read(["name"])[0]["name"], unit.name
        )
        with self.assertRaises(AccessError):
            unit.with_user(self.other_salesman).read(["name"])
        with self.assertRaises(AccessError):
            unit.with_user(self.salesman).write({"configuration": "x"})
        with self.assertRaises(AccessError):
            self.env["qms.installed.product"].with_user(self.salesman).create(
                {"partner_id": self.customer.id, "product_id": self.cabinet.id}
            )
        # a unit with history is never deleted
        with self.assertRaises(UserError):
            unit.with_user(self.service).unlink()
        unit.with_user(self.service).action_scrap()
        self.assertEqual(unit.state, "scrapped")

    def test_portal_user_reads_only_own_company_units(self):
        other = self.env["res.partner"].create({"name": "Other customer"})
        picking = self._deliver(other, self.cabinet, self.serials[2])
        theirs = self.env["qms.installed.product"].search(
            [("picking_id", "=", picking.id)]
        )
        Units = self.env["qms.installed.product"].with_user(self.portal)
        self.assertEqual(
            Units.search([]),
            self.env["qms.installed.product"].search(
                [("picking_id", "=", self.delivery.id)]
            ),
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.portal).read(["name"])
        with self.assertRaises(AccessError):
            self.unit.with_user(self.portal).write({"configuration": "x"})
