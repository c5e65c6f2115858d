from odoo import api, models


class QmsCachedConfigMixin(models.AbstractModel):
    """Configuration that hot paths read through an ormcache: any change to it,
    translations included, clears the registry cache (in every worker)."""

    _name = "qms.cached.config.mixin"
    _description = "Sales QMS configuration read through a cache"

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        self.env.registry.clear_cache()
        return super().unlink()

    def update_field_translations(self, field_name, translations, source_lang=None):
        self.env.registry.clear_cache()
        return super().update_field_translations(
            field_name, translations, source_lang=source_lang
        )
