import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "qms.system.fields.mixin"]
    _qms_field_ranges = {"qms_capacity_qty": (0, None)}

    qms_lot_initial_status = fields.Selection(
        [("qualified", "Qualified"), ("pending", "Pending inspection")],
        string="Initial Lot Status",
        default="qualified",
        required=True,
        help="Inspection status of the new lots of this product. Choose "
        "'Pending inspection' for products that need an incoming inspection: "
        "their lots cannot ship until a QC inspector qualifies them.",
    )
    qms_lot_count = fields.Integer(
        string="Lots", compute="_compute_qms_lot_count", compute_sudo=True
    )

    # contract review: the product's part in the classification of a contract
    qms_new_development = fields.Boolean(
        string="New Development",
        help="A product under new development: contracts selling it are special.",
    )
    qms_special_technical = fields.Boolean(
        string="Special Technical Requirements",
        help="Beyond the standard technical capability: contracts selling it "
        "are special.",
    )
    qms_capacity_qty = fields.Float(
        string="Capacity per Order",
        help="Largest quantity one contract can commit to; more makes the "
        "contract special (0: no limit).",
    )

    @api.constrains("qms_capacity_qty")
    def _check_qms_capacity_qty(self):
        for template in self:
            capacity = template.qms_capacity_qty
            if not math.isfinite(capacity) or capacity < 0:
                raise ValidationError(
                    self.env._(
                        "%(product)s: the capacity per order must be zero (no limit) "
                        "or a positive quantity.",
                        product=template.display_name,
                    )
                )

    @api.depends("product_variant_ids")
    def _compute_qms_lot_count(self):
        counts = dict(
            self.env["stock.lot"]._read_group(
                [("product_id.product_tmpl_id", "in", self.ids)],
                ["product_id"],
                ["__count"],
            )
        )
        for template in self:
            template.qms_lot_count = sum(
                count
                for product, count in counts.items()
                if product.product_tmpl_id == template
            )

    @api.readonly
    def action_qms_open_lots(self):
        """The product's lots, grouped by inspection status."""
        self._qms_check_readable()
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.stock_lot_action_qms"
        )
        action["domain"] = [("product_id.product_tmpl_id", "=", self.id)]
        action["context"] = {
            "default_product_id": self.product_variant_id.id,
            "group_by": ["qms_status"],
        }
        return action
