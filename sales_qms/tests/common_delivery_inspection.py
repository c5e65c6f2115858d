"""Products, lots and deliveries for the pre-delivery inspection tests, on the
role users of ``QmsCommon`` (no demo data)."""

from .common import SIGNATURE, QmsCommon, pass_inspection

__all__ = ["SIGNATURE", "DeliveryInspectionCase", "pass_inspection"]


class DeliveryInspectionCase(QmsCommon):
    """The transaction tests and the browser tests (with ``HttpCase``) share it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._switch_off_review()
        cls.picking_type_out.qms_inspection_required = True
        cls.product = cls._make_product("QMS Coverall")
        cls.lot_product = cls._make_product("QMS Lot Coverall", tracking="lot")
        cls.lot_a = cls.env["stock.lot"].create(
            {"name": "QMS-LOT-A", "product_id": cls.lot_product.id}
        )
        cls.lot_b = cls.env["stock.lot"].create(
            {"name": "QMS-LOT-B", "product_id": cls.lot_product.id}
        )
        cls._stock(cls.product, 100)
        cls._stock(cls.lot_product, 50, lot=cls.lot_a)
        cls._stock(cls.lot_product, 50, lot=cls.lot_b)

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
            .with_user(requester or self.stock_user)
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
