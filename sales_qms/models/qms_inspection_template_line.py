from odoo import fields, models


class QmsInspectionTemplateLine(models.Model):
    _name = "qms.inspection.template.line"
    _inherit = ["qms.cached.config.mixin", "qms.system.fields.mixin"]
    _description = "Pre-delivery Inspection Checklist Template Item"
    _order = "sequence, id"

    template_id = fields.Many2one(
        "qms.inspection.template", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="template_id.company_id", store=True, index="btree_not_null"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Item", required=True, translate=True)
