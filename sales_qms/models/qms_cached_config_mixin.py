from odoo import api, models


class QmsCachedConfigMixin(models.AbstractModel):
    """Configuration that hot paths read through an ormcache: any change to it,
    translations included, clears the registry cache (in every worker) once
    made. A refused change clears nothing: clearing first let any refused call
    (bad input over RPC) empty every cache of every worker."""

    _name = "qms.cached.config.mixin"
    _description = "Sales QMS configuration read through a cache"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    def update_field_translations(self, field_name, translations, source_lang=None):
        res = super().update_field_translations(
            field_name, translations, source_lang=source_lang
        )
        self.env.registry.clear_cache()
        return res
