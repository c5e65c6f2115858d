"""Users, products and deliveries for the pre-delivery inspection tests."""

import base64

from odoo.tests import TransactionCase, new_test_user

# a 1x1 PNG: what the signature widget sends, in small
SIGNATURE = base64.b64encode(
    base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
        "60e6kgAAAABJRU5ErkJggg=="
    )
)


def pass_inspection(picking, keeper, inspector):
    """Answer every checklist item 'pass' and sign as keeper and inspector: what
    any test that delivers to a customer does before validating."""
    inspection = picking.qms_inspection_id
    inspection.with_user(inspector).line_ids.write({"result": "pass"})
    inspection.with_user(keeper).write({"keeper_signature": SIGNATURE})
    inspection.with_user(inspector).write({"inspector_signature": SIGNATURE})
    return inspection


class DeliveryInspectionMixin:
    """Data and helpers shared by the transaction and the browser tests."""

    @classmethod
    def _setup_delivery_data(cls):
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # orders are confirmed directly here: the contract review has its own tests
        cls.env.company.qms_review_required = False
        stock_user = "stock.group_stock_user"
        cls.keeper = new_test_user(
            cls.env,
            login="qms_keeper_t",
            groups=f"{stock_user},sales_qms.group_qms_warehouse_keeper",
        )
        cls.inspector = new_test_user(
            cls.env,
            login="qms_inspector_t",
            groups=f"{stock_user},sales_qms.group_qms_inspector",
        )
        # holds both roles: may sign either side, never both
        cls.keeper_inspector = new_test_user(
            cls.env,
            login="qms_both_t",
            groups=f"{stock_user},sales_qms.group_qms_warehouse_keeper,"
            "sales_qms.group_qms_inspector",
        )
        cls.manager = new_test_user(
            cls.env,
            login="qms_manager_t",
            groups=f"{stock_user},sales_qms.group_qms_manager",
        )
        cls.manager2 = new_test_user(
            cls.env,
            login="qms_manager2_t",
            groups=f"{stock_user},sales_qms.group_qms_manager",
        )
        cls.clerk = new_test_user(
            cls.env,
            login="qms_clerk_t",
            groups=f"{stock_user},sales_qms.group_qms_user",
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.customer_location = cls.env.ref("stock.stock_location_customers")
        cls.picking_type_out = cls.warehouse.out_type_id
        cls.picking_type_out.qms_inspection_required = True
        cls.customer = cls.env["res.partner"].create({"name": "QMS Test Customer"})
        cls.product = cls.env["product.product"].create(
            {"name": "QMS Coverall", "is_storable": True}
        )
        cls.lot_product = cls.env["product.product"].create(
            {"name": "QMS Lot Coverall", "is_storable": True, "tracking": "lot"}
        )
        cls.lot_a = cls.env["stock.lot"].create(
            {"name": "QMS-LOT-A", "product_id": cls.lot_product.id}
        )
        cls.lot_b = cls.env["stock.lot"].create(
            {"name": "QMS-LOT-B", "product_id": cls.lot_product.id}
        )
        quant = cls.env["stock.quant"]
        quant._update_available_quantity(cls.product, cls.stock_location, 100)
        quant._update_available_quantity(
            cls.lot_product, cls.stock_location, 50, lot_id=cls.lot_a
        )
        quant._update_available_quantity(
            cls.lot_product, cls.stock_location, 50, lot_id=cls.lot_b
        )

    # ------------------------------------------------------------------ helpers
    @classmethod
    def _create_delivery(cls, lines=None, confirm=True, assign=True):
        lines = lines or [(cls.product, 10)]
        picking = cls.env["stock.picking"].create(
            {
                "picking_type_id": cls.picking_type_out.id,
                "partner_id": cls.customer.id,
                "location_id": cls.stock_location.id,
                "location_dest_id": cls.customer_location.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": cls.stock_location.id,
                            "location_dest_id": cls.customer_location.id,
                        },
                    )
                    for product, qty in lines
                ],
            }
        )
        if confirm:
            picking.action_confirm()
        if assign:
            picking.action_assign()
        return picking

    def _answer(self, picking, result="pass", user=None):
        inspection = picking.qms_inspection_id.with_user(user or self.inspector)
        inspection.line_ids.write({"result": result})
        return inspection

    def _sign(self, picking, keeper=None, inspector=None):
        inspection = picking.qms_inspection_id
        inspection.with_user(keeper or self.keeper).write(
            {"keeper_signature": SIGNATURE}
        )
        inspection.with_user(inspector or self.inspector).write(
            {"inspector_signature": SIGNATURE}
        )
        return inspection

    def _pass_and_sign(self, picking):
        self._answer(picking)
        return self._sign(picking)

    def _release(self, picking, kind="emergency", requester=None, **vals):
        release = (
            self.env["qms.delivery.release"]
            .with_user(requester or self.clerk)
            .create(
                {
                    "picking_id": picking.id,
                    "kind": kind,
                    "reason": "Customer line stopped",
                    **vals,
                }
            )
        )
        release.action_request()
        return release


class DeliveryInspectionCase(DeliveryInspectionMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_delivery_data()
