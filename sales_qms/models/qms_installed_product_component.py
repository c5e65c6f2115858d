from odoo import api, fields, models


class QmsInstalledProductComponent(models.Model):
    """A part of an installed product's configuration: a component with its lot
    or serial, or a software / firmware version."""

    _name = "qms.installed.product.component"
    _description = "Installed Product Component"
    _inherit = ["qms.system.fields.mixin"]
    _order = "installed_product_id, sequence, id"

    installed_product_id = fields.Many2one(
        "qms.installed.product",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Component", required=True)
    product_id = fields.Many2one("product.product")
    serial_number = fields.Char(string="Lot/Serial Number")
    version = fields.Char(string="Software/Firmware Version")
    note = fields.Char()
    company_id = fields.Many2one(
        related="installed_product_id.company_id", store=True, index=True
    )

    # whoever may update the installed product may update its components: a
    # technician those of their requests, customer service all
    @api.model_create_multi
    def create(self, vals_list):
        components = super().create(vals_list)
        components.installed_product_id.check_access("write")
        return components

    def write(self, vals):
        self.installed_product_id.check_access("write")
        res = super().write(vals)
        self.installed_product_id.check_access("write")
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_check_access(self):
        self.installed_product_id.check_access("write")
