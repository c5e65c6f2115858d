from odoo import api, fields, models
from odoo.exceptions import UserError


class QmsDeliveryInspectionLine(models.Model):
    _name = "qms.delivery.inspection.line"
    _inherit = ["qms.system.fields.mixin"]
    _description = "Pre-delivery Inspection Checklist Item"
    _order = "sequence, id"

    inspection_id = fields.Many2one(
        "qms.delivery.inspection", required=True, ondelete="cascade", index=True
    )
    # the inspection's company, written once at creation (a related field would
    # cost one more UPDATE on every confirmed delivery)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Item", required=True)
    result = fields.Selection(
        [("pass", "Pass"), ("fail", "Fail"), ("na", "N/A")],
        help="Empty until the item has been checked.",
    )
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        inspections = self.env["qms.delivery.inspection"]
        for vals in vals_list:
            self._qms_check_input(vals)
            if vals.get("inspection_id"):
                vals["company_id"] = inspections.browse(
                    vals["inspection_id"]
                ).company_id.id
        lines = super().create(vals_list)
        lines.inspection_id._check_checklist_open()
        if any(vals.get("result") == "fail" for vals in vals_list):
            lines.inspection_id._qms_stamp_failed()
        return lines

    def write(self, vals):
        if "inspection_id" in vals and any(
            line.inspection_id.id != vals["inspection_id"] for line in self
        ):
            raise UserError(
                self.env._("A checklist item cannot move to another inspection.")
            )
        self.inspection_id._check_checklist_open()
        res = super().write(vals)
        if vals.get("result") == "fail":
            self.inspection_id._qms_stamp_failed()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        self.inspection_id._check_checklist_open()
