"""Planning tests: a sales team led by the sales manager with two salespeople,
a second team with its own manager, products in a category tree, and a helper
that sells (and confirms, and dates) an order."""

from datetime import datetime

from odoo import Command
from odoo.tests import new_test_user

from .common import QMS_USER, SALES_MANAGER, QmsCommon


class SalesPlanCommon(QmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._switch_off_review()
        cls._switch_off_inspection()
        cls.other_manager = new_test_user(
            cls.env,
            login="qms_other_sales_manager_t",
            name="QMS Other Sales Manager",
            groups=f"{SALES_MANAGER},{QMS_USER}",
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "QMS Plan Team", "user_id": cls.sales_manager.id}
        )
        cls.other_team = cls.env["crm.team"].create(
            {"name": "QMS Other Team", "user_id": cls.other_manager.id}
        )
        cls.env["crm.team.member"].create(
            [
                {"crm_team_id": cls.team.id, "user_id": cls.salesman.id},
                {"crm_team_id": cls.team.id, "user_id": cls.other_salesman.id},
            ]
        )
        cls.categ_workwear = cls.env["product.category"].create(
            {"name": "QMS Workwear"}
        )
        cls.categ_antistatic = cls.env["product.category"].create(
            {"name": "QMS Anti-static", "parent_id": cls.categ_workwear.id}
        )
        cls.coverall = cls._make_product(
            "QMS plan coverall",
            categ_id=cls.categ_antistatic.id,
            list_price=200.0,
            standard_price=120.0,
            invoice_policy="order",
            default_code="QPC-1",
        )
        cls.gloves = cls._make_product(
            "QMS plan gloves",
            categ_id=cls.categ_workwear.id,
            list_price=30.0,
            standard_price=20.0,
            invoice_policy="order",
            default_code="QPG-1",
        )
        cls.customer2 = cls.env["res.partner"].create(
            {"name": "QMS plan second customer", "is_company": True}
        )

    @classmethod
    def _sell(
        cls,
        user,
        product,
        qty,
        *,
        price=None,
        confirm=True,
        date=None,
        partner=None,
        **vals,
    ):
        line = {"product_id": product.id, "product_uom_qty": qty}
        if price is not None:
            line["price_unit"] = price
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "user_id": user.id,
                "order_line": [Command.create(line)],
                **vals,
            }
        )
        if confirm:
            order.action_confirm()
            if date:
                order.date_order = (
                    date
                    if isinstance(date, datetime)
                    else datetime.combine(date, datetime.min.time())
                ).replace(hour=10)
        return order

    @classmethod
    def _deliver(cls, order, qty=None):
        """Validate the order's delivery (all of it, or qty of each move)."""
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        for move in picking.move_ids:
            move.quantity = qty if qty is not None else move.product_uom_qty
            move.picked = True
        picking.with_context(
            skip_backorder=True, picking_ids_not_to_backorder=picking.ids
        ).button_validate()
        return picking
