"""Data for the tests of the screens each role works in (issue 15): a reviewer
per department, a lot-tracked product in stock, deliveries and claims, on the
role users of QmsCommon. No demo data, except where a test says so."""

from odoo import Command
from odoo.tests import new_test_user

from .common import QMS_USER, QmsCommon
from .test_harness import _pdf_text

# pdftotext reads some simplified characters of Noto CJK as the look-alike
# radicals of the CJK Radicals Supplement, which NFKC does not fold
# (and the door radical of 户 as NFKC's 戶)
RADICALS = str.maketrans(
    "⻚⻅⻔⻢⻓⻋⻛⻜⻉⻄⻘⻩⻨⻬⻰⻳⻝戶", "页见门马长车风飞贝西青黄麦齐龙龟食户"
)


def pdf_text(pdf):
    """The text of a PDF as a reader reads it."""
    return _pdf_text(pdf).translate(RADICALS)


DEPARTMENT_CODES = (
    "sales",
    "technical",
    "production",
    "quality",
    "purchasing",
    "finance",
    "warehouse",
    "gm",
)


class UiCommon(QmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company.write(
            {
                "qms_review_required": True,
                "qms_review_segregation": True,
                "qms_crit_new_product": True,
                "qms_new_product_mode": "flag",
                "qms_crit_collection": False,
                "qms_crit_margin": True,
                "qms_margin_threshold": 15.0,
                "qms_representative_id": cls.qms_manager.id,
                "qms_procedure_ref": "HDSS-CX-14",
            }
        )
        cls.reviewers = {
            code: new_test_user(
                cls.env,
                login=f"qms_ui_{code}",
                name=f"UI Reviewer {code.title()}",
                groups=QMS_USER,
            )
            for code in DEPARTMENT_CODES
        }
        cls.departments = {
            dept.code: dept
            for dept in cls.env["qms.department"].search(
                [("company_id", "in", [False, cls.company.id])]
            )
        }
        for code, dept in cls.departments.items():
            dept.user_ids = [Command.set(cls.reviewers[code].ids)]
        cls.product = cls._make_product(
            "UI anti-static coverall",
            tracking="lot",
            list_price=100.0,
            standard_price=50.0,
        )
        cls.lot = cls.env["stock.lot"].create(
            {"name": "UI-LOT-1", "product_id": cls.product.id}
        )
        cls._stock(cls.product, 500, lot=cls.lot)
        cls.picking_type_out.qms_inspection_required = True

    # ------------------------------------------------------------ contract review
    def _order(self, qty=5, product=None, **vals):
        return (
            self.env["sale.order"]
            .with_user(self.salesman)
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.salesman.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": (product or self.product).id,
                                "product_uom_qty": qty,
                            }
                        )
                    ],
                    **vals,
                }
            )
        )

    def _line(self, order, code):
        return order.qms_review_id.line_ids.filtered(
            lambda x: x.department_id.code == code
        )

    def _approve_all(self, order):
        for line in (
            order.sudo()
            .qms_review_id.line_ids.sorted("is_final")
            .filtered(lambda x: x.state == "pending")
        ):
            line.with_user(line.reviewer_ids[0]).action_approve()

    # ------------------------------------------------------------ deliveries
    def _delivery(self, qty=10, lang=None):
        env = self.env(context=dict(self.env.context, lang=lang)) if lang else self.env
        picking = env["stock.picking"].create(
            {
                "picking_type_id": self.picking_type_out.id,
                "partner_id": self.customer.id,
                "location_id": self.stock_location.id,
                "location_dest_id": self.customer_location.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": qty,
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.stock_location.id,
                            "location_dest_id": self.customer_location.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        return picking
