from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


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
    # the item as it was when copied, in every language of its template item:
    # each reader (screen, printed record) reads their own
    name = fields.Char(string="Item", required=True, translate=True)
    template_line_id = fields.Many2one(
        "qms.inspection.template.line",
        string="Template Item",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The checklist template item this item was copied from.",
    )
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
        lines._qms_copy_template_translations()
        if any(vals.get("result") == "fail" for vals in vals_list):
            lines.inspection_id._qms_stamp_failed()
        return lines

    def _qms_copy_template_translations(self):
        """Give the items copied from a template every translation of their
        template item, as it is now (one query for all of them)."""
        copied = self.filtered("template_line_id")
        if not copied:
            return
        self.env["qms.inspection.template.line"].flush_model(["name"])
        self.env.cr.execute(
            SQL(
                """UPDATE qms_delivery_inspection_line line
                      SET name = item.name
                     FROM qms_inspection_template_line item
                    WHERE item.id = line.template_line_id
                      AND line.id = ANY(%s)""",
                copied.ids,
            )
        )
        copied.invalidate_recordset(["name"])

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

    # one click per answer, without opening the row (the checklist rules of
    # write() apply: a signed checklist is frozen)
    def action_set_pass(self):
        return self.write({"result": "pass"})

    def action_set_fail(self):
        return self.write({"result": "fail"})

    def action_set_na(self):
        return self.write({"result": "na"})

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        self.inspection_id._check_checklist_open()
