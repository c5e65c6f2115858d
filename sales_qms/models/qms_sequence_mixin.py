from odoo import api, models


class QmsSequenceMixin(models.AbstractModel):
    """A document numbered from an ``ir.sequence`` when it is created.

    A record created without a number, or with the placeholder ``"/"``, takes
    the next one of the sequence ``_qms_sequence_code``; a number given by the
    caller (an import, a replay) is kept. A model opts in by listing this mixin
    first in ``_inherit``, so that the number is taken right after the model's
    own ``create()`` checks and before the other mixins see the values.
    """

    _name = "qms.sequence.mixin"
    _description = "Sales QMS numbered document"

    # code of the ir.sequence that numbers the records
    _qms_sequence_code = None
    # the field that holds the number
    _qms_sequence_field = "name"
    # the company field whose value in the create values (else the user's
    # current company) the number is taken for; None: the user's current company
    _qms_sequence_company_field = None

    @api.model_create_multi
    def create(self, vals_list):
        # the mixin itself (no code) numbers nothing: a sequence search for no
        # code would take the number of any sequence without one
        if self._qms_sequence_code:
            field = self._qms_sequence_field
            # new dicts: the caller's values stay as given (Odoo replays the
            # whole call after a serialization failure)
            vals_list = [
                vals
                if vals.get(field, "/") != "/"
                else {**vals, field: self._qms_next_number(vals)}
                for vals in vals_list
            ]
        return super().create(vals_list)

    @api.model
    def _qms_next_number(self, vals):
        """The number of the record created with ``vals``."""
        Sequence = self.env["ir.sequence"]
        if self._qms_sequence_company_field:
            company = self.env["res.company"].browse(
                vals.get(self._qms_sequence_company_field) or self.env.company.id
            )
            Sequence = Sequence.with_company(company)
        return (
            Sequence.next_by_code(self._qms_sequence_code)
            or self._qms_sequence_fallback()
        )

    def _qms_sequence_fallback(self):
        """What the number field holds when no sequence gives a number."""
        return "/"
