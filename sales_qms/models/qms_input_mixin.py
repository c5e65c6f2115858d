import binascii
import math
import re
from base64 import b64decode
from datetime import date, datetime

from odoo import api, fields, models
from odoo.exceptions import MissingError, ValidationError

INT_MAX = 2**31 - 1
# longest text a user may write in one field of a Sales QMS record
MAX_CHAR = 2_000
MAX_TEXT = 200_000
# a file (signature, picture) in base64
MAX_FILE = 20_000_000
# larger than any quantity or amount of a sales record
MAX_NUMBER = 1e15
# PostgreSQL stores no NUL character in a text
NUL = "\x00"
BASE64_SPACES = re.compile(rb"\s+")
# field type -> method checking a user's value for it
INPUT_CHECKS = {
    "many2one": "_qms_check_many2one",
    "one2many": "_qms_check_x2many",
    "many2many": "_qms_check_x2many",
    "integer": "_qms_check_integer",
    "float": "_qms_check_float",
    "monetary": "_qms_check_float",
    "char": "_qms_check_text",
    "text": "_qms_check_text",
    "html": "_qms_check_text",
    "selection": "_qms_check_selection",
    "boolean": "_qms_check_boolean",
    "binary": "_qms_check_binary",
    "date": "_qms_check_date",
    "datetime": "_qms_check_datetime",
}


class QmsInputMixin(models.AbstractModel):
    """Values from users checked before the ORM and PostgreSQL see them.

    RPC callers and imports can send anything: a string for an id, an id that
    does not exist, NaN or infinity for a quantity, a value outside a
    selection, megabytes of text. The ORM lets some of these through to
    PostgreSQL (a psycopg2 error) or fails with a ValueError or KeyError; here
    each is refused with a ValidationError that names the field. Code running as
    superuser is trusted and not checked (it is the system's own).
    """

    _name = "qms.input.mixin"
    _description = "Sales QMS input checks"

    # numeric fields with a range: {field name: (lowest, highest)}, None for
    # no bound; checked on user input (constraints guard what must hold always)
    _qms_field_ranges = {}

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._qms_check_input(vals)
            if self._transient:
                self._qms_check_required_relations(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._qms_check_input(vals)
        # the ORM would update nothing and answer True: say the record is gone
        if not self.env.su and self._name.startswith("qms."):
            self._qms_check_exists()
        return super().write(vals)

    def unlink(self):
        # the ORM would delete nothing and answer True: say the record is gone
        if not self.env.su and self._name.startswith("qms."):
            self._qms_check_exists()
        return super().unlink()

    @api.model
    def _qms_check_required_relations(self, vals):
        """A wizard's required lists (the records it acts on) are given: the
        ORM checks required columns only."""
        if self.env.su:
            return
        for name, field in self._fields.items():
            if (
                field.required
                and field.type in ("one2many", "many2many")
                and not vals.get(name)
                and not self.env.context.get(f"default_{name}")
                and name not in self.default_get([name])
            ):
                raise ValidationError(
                    self.env._(
                        "%(model)s: %(field)s is required.",
                        model=self._description,
                        field=field.get_description(self.env)["string"],
                    )
                )

    def _qms_check_exists(self):
        """Refuse ids that do not exist (deleted, never created, negative)."""
        missing = self - self.exists()
        if missing:
            raise MissingError(
                self.env._(
                    "%(model)s %(ids)s does not exist or was deleted.",
                    model=self._description,
                    ids=", ".join(map(str, missing.ids))[:80],
                )
            )

    def _qms_check_readable(self):
        """What an action that opens, lists or prints records of these checks
        first: they exist and the user may read them (a button called over RPC
        on a missing or foreign record is refused, not answered)."""
        self._qms_check_exists()
        self.check_access("read")

    @api.model
    def _qms_check_input(self, vals):
        """Refuse wrong values from a user. Overrides that read ``vals`` before
        calling ``super()`` call this first (the mixin's own check comes after
        them in the method resolution order)."""
        if self.env.su:
            return
        if not isinstance(vals, dict):
            raise ValidationError(
                self.env._(
                    "%(model)s: the values must be a dictionary of fields.",
                    model=self._description,
                )
            )
        # on core models, core checks its own fields; these checks are for ours
        own = self._name.startswith("qms.")
        for name, value in vals.items():
            if not (own or str(name).startswith("qms_")):
                continue
            field = self._fields.get(name)
            if field is None:
                raise ValidationError(
                    self.env._(
                        "%(model)s has no field %(field)s.",
                        model=self._description,
                        field=str(name)[:80],
                    )
                )
            error = self._qms_input_error(field, value)
            if error:
                raise ValidationError(
                    self.env._(
                        "%(model)s, %(field)s: %(error)s",
                        model=self._description,
                        field=field.get_description(self.env)["string"],
                        error=error,
                    )
                )

    def _qms_input_error(self, field, value):
        """Why ``value`` cannot go into ``field``, or None."""
        if value is None or (value is False and field.type != "boolean"):
            return None
        check = INPUT_CHECKS.get(field.type)
        return getattr(self, check)(field, value) if check else None

    def _qms_check_many2one(self, field, value):
        return self._qms_ids_error(field.comodel_name, [value])

    def _qms_check_integer(self, field, value):
        if isinstance(value, bool) or not isinstance(value, int):
            return self.env._("a whole number is expected")
        if abs(value) > INT_MAX:
            return self.env._("%(value)s is out of range", value=value)
        return self._qms_range_error(field, value)

    def _qms_check_float(self, field, value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.env._("a number is expected")
        if not math.isfinite(value):
            return self.env._("%(value)s is not a number", value=value)
        if abs(value) > MAX_NUMBER:
            return self.env._("%(value)s is out of range", value=value)
        return self._qms_range_error(field, value)

    def _qms_range_error(self, field, value):
        low, high = self._qms_field_ranges.get(field.name, (None, None))
        if low is not None and high is not None and not low <= value <= high:
            return self.env._(
                "%(value)s is not between %(low)s and %(high)s",
                value=value,
                low=low,
                high=high,
            )
        if low is not None and value < low:
            if low == 0:
                return self.env._("%(value)s is negative", value=value)
            return self.env._("%(value)s is less than %(low)s", value=value, low=low)
        if high is not None and value > high:
            return self.env._("%(value)s is more than %(high)s", value=value, high=high)
        return None

    def _qms_check_text(self, field, value):
        if not isinstance(value, str):
            return self.env._("a text is expected")
        limit = MAX_CHAR if field.type == "char" else MAX_TEXT
        if len(value) > limit:
            return self.env._(
                "the text is too long (%(length)s characters, at most %(limit)s)",
                length=len(value),
                limit=limit,
            )
        if NUL in value:
            return self.env._("the text holds a NUL character")
        return None

    def _qms_check_selection(self, field, value):
        if not isinstance(value, str):
            return self.env._("one of the listed values is expected")
        allowed = [key for key, _label in field._description_selection(self.env)]
        if value not in allowed:
            return self.env._(
                "%(value)s is not one of %(allowed)s",
                value=value[:80],
                allowed=", ".join(allowed),
            )
        return None

    def _qms_check_boolean(self, field, value):
        if value not in (True, False, 0, 1):
            return self.env._("true or false is expected")
        return None

    def _qms_check_binary(self, field, value):
        if not isinstance(value, (str, bytes)):
            return self.env._("a file is expected")
        if len(value) > MAX_FILE:
            return self.env._(
                "the file is too large (%(size)s MB, at most %(limit)s MB)",
                size=len(value) // 1_000_000,
                limit=MAX_FILE // 1_000_000,
            )
        # files travel in base64 (line breaks allowed)
        data = value.encode() if isinstance(value, str) else value
        try:
            b64decode(BASE64_SPACES.sub(b"", data), validate=True)
        except (binascii.Error, ValueError):
            return self.env._("the file is not in base64")
        return None

    def _qms_check_date(self, field, value):
        return self._qms_date_error(fields.Date, value, date)

    def _qms_check_datetime(self, field, value):
        return self._qms_date_error(fields.Datetime, value, datetime)

    def _qms_check_x2many(self, field, value):
        return self._qms_commands_error(field, value)

    def _qms_date_error(self, field_class, value, kind):
        if isinstance(value, kind):
            return None
        error = self.env._("%(value)s is not a valid date", value=str(value)[:40])
        if not isinstance(value, str):
            return error
        try:
            if kind is date:
                field_class.to_date(value)
            else:
                field_class.to_datetime(value)
        except ValueError:
            return error
        return None

    def _qms_ids_error(self, model_name, ids):
        if isinstance(ids, models.BaseModel):
            ids = ids.ids
        bad = [
            i
            for i in ids
            if isinstance(i, bool) or not isinstance(i, int) or not 0 < i <= INT_MAX
        ]
        if bad:
            return self.env._(
                "%(value)s is not a record id", value=", ".join(map(str, bad))[:80]
            )
        Model = self.env[model_name]
        missing = set(ids) - set(Model.browse(ids).sudo().exists().ids)
        if missing:
            return self.env._(
                "no %(model)s with id %(ids)s",
                model=Model._description,
                ids=", ".join(map(str, sorted(missing)))[:80],
            )
        return None

    def _qms_commands_error(self, field, commands):
        if not isinstance(commands, (list, tuple)):
            return self.env._("a list of commands is expected")
        ids = []
        for command in commands:
            if isinstance(command, int) and not isinstance(command, bool):
                ids.append(command)  # a bare id, as the ORM accepts for many2many
                continue
            if not isinstance(command, (list, tuple)) or not command:
                return self.env._("%(value)s is not a command", value=str(command)[:40])
            code = command[0]
            if code not in (0, 1, 2, 3, 4, 5, 6):
                return self.env._("%(value)s is not a command", value=str(command)[:40])
            if code in (1, 2, 3, 4) and len(command) > 1:
                ids.append(command[1])
            elif code in (0, 1) and len(command) > 2:
                if not isinstance(command[2], dict):
                    return self.env._("the values of a line must be a dictionary")
            elif code == 6:
                if len(command) < 3 or not isinstance(command[2], (list, tuple)):
                    return self.env._("a list of ids is expected")
                ids.extend(command[2])
        return self._qms_ids_error(field.comodel_name, ids) if ids else None
