from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError


class QmsInspectionTemplate(models.Model):
    _name = "qms.inspection.template"
    _inherit = ["qms.cached.config.mixin", "qms.system.fields.mixin"]
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
    @tools.ormcache("company_id", "self.env.lang")
    def _qms_catalogue(self, company_id):
        """(is default, category ids, ((item id, item name), ...)) of the
        company's templates, in their order: read once per company and language,
        not per delivery."""
        templates = self.sudo().search([("company_id", "in", [False, company_id])])
        return tuple(
            (
                template.is_default,
                frozenset(template.categ_ids.ids),
                tuple(
                    (line.id, line.name)
                    for line in template.line_ids.sorted(
                        lambda item: (item.sequence, item.id)
                    )
                ),
            )
            for template in templates
        )

    @api.model
    def _get_template_items(self, products, company):
        """(template item id, name) of the checklist items for these products: the
        templates of their categories (and parents), else the default template; an
        item named alike in two templates is asked once."""
        catalogue = self._qms_catalogue(company.id)
        # a category matches its own templates and those of its parents
        categ_ids = {
            int(categ_id)
            for categ in products.categ_id
            for categ_id in (categ.parent_path or "").split("/")
            if categ_id
        }
        matched = [names for _default, categs, names in catalogue if categ_ids & categs]
        if not matched:
            matched = [names for default, _c, names in catalogue if default][:1]
        items, seen = [], set()
        for names in matched:
            for item_id, name in names:
                if name not in seen:
                    seen.add(name)
                    items.append((item_id, name))
        return items
