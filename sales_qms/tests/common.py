"""The one test base of sales_qms: a user per role of the procedures, created with
``new_test_user`` on Odoo's ``BaseCommon``; capability test modules add only their
own data. No test relies on demo data."""

import base64
from contextlib import contextmanager

from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon

# a 1x1 PNG: what the signature widget sends, in small
SIGNATURE = base64.b64encode(
    base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
        "60e6kgAAAABJRU5ErkJggg=="
    )
)

SALESMAN = "sales_team.group_sale_salesman"
SALES_ALL = "sales_team.group_sale_salesman_all_leads"
SALES_MANAGER = "sales_team.group_sale_manager"
STOCK_USER = "stock.group_stock_user"
QMS_USER = "sales_qms.group_qms_user"
QMS_MANAGER = "sales_qms.group_qms_manager"
KEEPER = "sales_qms.group_qms_warehouse_keeper"
INSPECTOR = "sales_qms.group_qms_inspector"
SERVICE = "sales_qms.group_qms_customer_service"

# login suffix -> (name, groups): the roles of the procedures
ROLES = {
    "salesman": ("QMS Salesperson", f"{SALESMAN},{QMS_USER}"),
    "other_salesman": ("QMS Other Salesperson", f"{SALESMAN},{QMS_USER}"),
    "sales_manager": ("QMS Sales Manager", f"{SALES_MANAGER},{QMS_USER}"),
    "qms_manager": ("QMS Manager", f"{QMS_MANAGER},{SALES_ALL},{STOCK_USER}"),
    "qms_manager2": ("QMS Second Manager", f"{QMS_MANAGER},{SALES_ALL},{STOCK_USER}"),
    "keeper": ("QMS Warehouse Keeper", f"{KEEPER},{STOCK_USER}"),
    "inspector": ("QMS QC Inspector", f"{INSPECTOR},{STOCK_USER}"),
    # holds both roles: may sign either side of an inspection, never both
    "keeper_inspector": (
        "QMS Keeper and Inspector",
        f"{KEEPER},{INSPECTOR},{STOCK_USER}",
    ),
    "service": ("QMS Customer Service", f"{SERVICE},{SALES_ALL}"),
    "stock_user": ("QMS Stock User", f"{STOCK_USER},{QMS_USER}"),
    "plain_stock_user": ("QMS Stock User Without QMS Role", STOCK_USER),
    "qms_user": ("QMS Plain User", QMS_USER),
    "employee": ("QMS Employee Without Rights", "base.group_user"),
    "portal": ("QMS Portal Customer", "base.group_portal"),
}


def pass_inspection(picking, keeper, inspector):
    """Answer every checklist item 'pass' and sign as keeper and inspector: what
    any test that delivers to a customer does before validating."""
    inspection = picking.qms_inspection_id
    inspection.with_user(inspector).line_ids.write({"result": "pass"})
    inspection.with_user(keeper).write({"keeper_signature": SIGNATURE})
    inspection.with_user(inspector).write({"inspector_signature": SIGNATURE})
    return inspection


class QmsCommon(BaseCommon):
    """Role users (``cls.salesman``, ``cls.keeper``, ... see ROLES), messages in
    English, the company's rules switched on as shipped.

    Capability bases switch off what they do not test (``_switch_off_review``,
    ``_switch_off_inspection``) and add their own records."""

    @classmethod
    def default_env_context(cls):
        # messages are asserted in English whatever the admin's language
        return {**super().default_env_context(), "lang": "en_US"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        for role, (name, groups) in ROLES.items():
            user = new_test_user(
                cls.env,
                login=f"qms_{role}_t",
                name=name,
                groups=groups,
                email=f"qms_{role}@example.com",
            )
            setattr(cls, role, user)
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "东莞精密电子有限公司 (QMS test customer)",
                "is_company": True,
                "user_id": cls.salesman.id,
                "email": "buyer@example.com",
            }
        )
        cls.portal.partner_id.parent_id = cls.customer
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.picking_type_out = cls.warehouse.out_type_id

    @contextmanager
    def assertRefused(self, exception, regex=None):
        """assertRaises (which rolls back to a savepoint, unlike unittest's
        assertRaisesRegex) plus a check of the message."""
        with self.assertRaises(exception) as cm:
            yield cm
        if regex:
            self.assertRegex(str(cm.exception), regex)

    @classmethod
    def _switch_off_review(cls):
        """Orders are confirmed directly: the contract review has its own tests."""
        cls.company.qms_review_required = False

    @classmethod
    def _switch_off_inspection(cls):
        """Deliveries leave without the pre-delivery inspection (its own tests)."""
        cls.env["stock.picking.type"].search(
            [("code", "=", "outgoing")]
        ).qms_inspection_required = False

    @classmethod
    def _make_product(cls, name, tracking="none", **vals):
        return cls.env["product.product"].create(
            {"name": name, "is_storable": True, "tracking": tracking, **vals}
        )

    @classmethod
    def _stock(cls, product, qty, lot=None, location=None):
        cls.env["stock.quant"]._update_available_quantity(
            product, location or cls.stock_location, qty, lot_id=lot
        )
