import secrets

from odoo import api, models, tools
from odoo.exceptions import AccessError
from odoo.tools import SQL

# Only _qms_system_write() puts this token in the context. It is drawn at start-up
# and never leaves the server process, so no RPC caller, import or other addon's
# sudo() can forge the key that lets a write set a system field.
_SYSTEM_WRITE_TOKEN = secrets.token_hex(16)


class QmsSystemFieldsMixin(models.AbstractModel):
    """Fields that only the system sets.

    A field that is read-only in a view is still writable over RPC, through an
    import, a one2many command of the parent, ``copy(default=...)`` or a
    ``default_<field>`` context key. The fields a decision or a record rule
    relies on are therefore refused on every write that does not come from
    ``_qms_system_write()`` (superuser code included):

    - every stored computed or related field without an inverse (on core
      models: the ``qms_`` ones only, core owns its own);
    - the names listed in ``_qms_system_fields`` (links to audit records,
      signers and times recorded by the system, ...).

    Writing a value a record already has changes nothing and is let through
    (an import or a form saving what it read). The system sets the fields with
    ``_qms_system_write()``, which goes through the whole ``write()`` chain, so
    addons installed after sales_qms see every write.
    """

    _name = "qms.system.fields.mixin"
    _inherit = ["qms.input.mixin"]
    _description = "Sales QMS fields set by the system only"

    # stored fields, besides the computed ones, that the system alone writes
    _qms_system_fields = ()

    @api.model
    @tools.ormcache()
    def _qms_system_field_names(self):
        own = self._name.startswith("qms.")
        names = set(self._qms_system_fields)
        for name, field in self._fields.items():
            if not (own or name.startswith("qms_")):
                continue
            if field.store and field.compute and not field.inverse and field.readonly:
                names.add(name)
        return frozenset(names)

    def _qms_is_system_write(self):
        return self.env.context.get("qms_system_write") == _SYSTEM_WRITE_TOKEN

    def _qms_check_system_fields(self, names):
        forbidden = self._qms_system_field_names() & set(names)
        if forbidden:
            raise AccessError(
                self.env._(
                    "%(model)s: %(fields)s are recorded by the system and cannot be "
                    "written.",
                    model=self._description,
                    fields=", ".join(
                        sorted(
                            self._fields[name].get_description(self.env)["string"]
                            for name in forbidden
                        )
                    ),
                )
            )

    def _qms_changed_system_fields(self, vals):
        """The system fields ``vals`` would change on these records."""
        changed = set()
        for name in self._qms_system_field_names() & set(vals):
            field = self._fields[name]
            if field.type in ("one2many", "many2many"):
                changed.add(name)
                continue
            for record in self:
                try:
                    new = field.convert_to_record(
                        field.convert_to_cache(vals[name], record), record
                    )
                except (ValueError, TypeError):
                    changed.add(name)
                    break
                if new != record[name]:
                    changed.add(name)
                    break
        return changed

    @api.model_create_multi
    def create(self, vals_list):
        if not self._qms_is_system_write():
            defaults = {
                key[8:] for key in self.env.context if key.startswith("default_")
            }
            self._qms_check_system_fields(defaults.union(*vals_list))
        return super().create(vals_list)

    def write(self, vals):
        if not self._qms_is_system_write():
            self._qms_check_system_fields(self._qms_changed_system_fields(vals))
        return super().write(vals)

    @api.model
    def _qms_system_create(self, vals_list):
        """Create records whose values include fields only the system sets
        (records made from a document, measured values), through the whole
        create chain; they come back in the caller's environment (without the
        key)."""
        records = (
            self.sudo()
            .with_context(qms_system_write=_SYSTEM_WRITE_TOKEN)
            .create(vals_list)
        )
        return self.browse(records.ids)

    def _qms_system_write(self, vals):
        """Write fields that only the system sets, through the whole write chain."""
        return (
            self.sudo().with_context(qms_system_write=_SYSTEM_WRITE_TOKEN).write(vals)
        )

    def _qms_serialize(self):
        """Write these rows now, changing nothing: the serialization point of a
        decision that reads other rows. Of two transactions that both write a
        row, the one that did not see the other's commit fails with a
        serialization error and Odoo replays it, now seeing the other's work.
        A decision and a concurrent one that would invalidate it write a
        common row this way, so neither commits on a stale read (a lock alone
        is not enough: core reserves quants with SKIP LOCKED, and a row only
        locked, not written, lets the waiting transaction go on with its old
        snapshot)."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "UPDATE %s SET write_date = write_date WHERE id = ANY(%s)",
                    SQL.identifier(self._table),
                    list(self.ids),
                )
            )
