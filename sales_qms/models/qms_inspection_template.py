from odoo import api, fields, models
from odoo.exceptions import ValidationError


class QmsInspectionTemplate(models.Model):
    _name = "qms.inspection.template"
    _description = "Pre-delivery Inspection Checklist Template"
    _order = "is_default, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    is_default = fields.Boolean(
        string="Default",
        default=False,
        help="Used for the products whose category has no template of its own.",
    )
    categ_ids = fields.Many2many(
        "product.category",
        string="Product Categories",
        help="The template applies to the products of these categories and of "
        "their sub-categories.",
    )
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    line_ids = fields.One2many(
        "qms.inspection.template.line", "template_id", string="Checklist Items"
    )

    @api.constrains("is_default", "categ_ids")
    def _check_default_or_category(self):
        for template in self:
            if not template.is_default and not template.categ_ids:
                raise ValidationError(
                    self.env._(
                        "The checklist template %s needs product categories or the "
                        "Default box.",
                        template.name,
                    )
                )

    @api.model
    def _get_items_for_products(self, products, company):
        """Names of the checklist items for these products: the templates of their
        categories (and parents), else the default template."""
        domain = [("company_id", "in", [False, company.id])]
        templates = self.search(domain)
        matched = self.browse()
        # a category matches its own templates and those of its parents
        categ_ids = {
            int(categ_id)
            for categ in products.categ_id
            for categ_id in (categ.parent_path or "").split("/")
            if categ_id
        }
        for template in templates.filtered("categ_ids"):
            if categ_ids & set(template.categ_ids.ids):
                matched |= template
        if not matched:
            matched = templates.filtered("is_default")[:1]
        names = []
        for line in matched.line_ids.sorted(
            lambda item: (item.template_id.sequence, item.sequence, item.id)
        ):
            if line.name not in names:
                names.append(line.name)
        return names
