import base64

from reportlab.graphics import renderSVG
from reportlab.graphics.barcode import createBarcodeDrawing

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .qms_input_mixin import INT_MAX
from .qms_lot_status import QMS_LOT_BLOCKING_STATUS, QMS_LOT_STATUS


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "qms.system.fields.mixin"]
    # changed only by action_qms_set_status, which logs why
    _qms_system_fields = ("qms_status",)

    # ------------------------------------------------------------ fields
    qms_status = fields.Selection(
        QMS_LOT_STATUS,
        string="Inspection Status",
        default="qualified",
        required=True,
        readonly=True,
        index=True,
        copy=False,
        tracking=True,
        help="Only qualified lots are reserved for and delivered to customers. "
        "The status changes through 'Change Status' (QC inspectors and QMS "
        "managers) or by scrapping the lot.",
    )
    qms_status_log_ids = fields.One2many(
        "qms.lot.status.log", "lot_id", string="Status History", readonly=True
    )
    qms_claim_count = fields.Integer(
        string="Claims", compute="_compute_qms_related_counts"
    )
    qms_inspection_count = fields.Integer(
        string="Pre-delivery Inspections", compute="_compute_qms_related_counts"
    )
    qms_is_released = fields.Boolean(
        string="Emergency Release",
        compute="_compute_qms_is_released",
        help="An approved emergency release or concession lets this lot ship "
        "on an open delivery although it is not qualified.",
    )

    def _compute_qms_is_released(self):
        released = self._qms_released()
        for lot in self:
            lot.qms_is_released = lot in released

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        # the caller's dicts stay as they are: after a serialization failure
        # Odoo replays the call with the same arguments, the status included
        vals_list = [dict(vals) for vals in vals_list]
        is_decider = self._qms_is_status_decider()
        product_ids = {
            vals.get("product_id") or self.env.context.get("default_product_id")
            for vals in vals_list
        }
        products = self.env["product.product"].browse(p for p in product_ids if p)
        initial = {p.id: p.product_tmpl_id.qms_lot_initial_status for p in products}
        statuses = []
        for vals in vals_list:
            product_id = vals.get("product_id") or self.env.context.get(
                "default_product_id"
            )
            start = initial.get(product_id, "qualified")
            wanted = vals.pop("qms_status", None)
            if wanted and wanted != start and not is_decider:
                raise AccessError(self._qms_status_access_message())
            statuses.append(wanted or start)
        lots = super().create(vals_list)
        default = self._fields["qms_status"].default(self)
        for status in set(statuses) - {default}:
            lots.browse(
                [lot.id for lot, s in zip(lots, statuses, strict=True) if s == status]
            ).with_context(mail_notrack=True)._qms_system_write({"qms_status": status})
        self.env["qms.lot.status.log"].sudo().create(
            [
                lot._prepare_qms_status_log_vals(
                    False, lot.qms_status, self.env._("Lot created"), False
                )
                for lot in lots
            ]
        )
        return lots

    def _qms_check_system_fields(self, names):
        if "qms_status" in names:
            raise UserError(
                self.env._(
                    "The inspection status of a lot changes only through "
                    "'Change Status' (action_qms_set_status) with a reason, "
                    "so that the change is logged."
                )
            )
        return super()._qms_check_system_fields(names)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_qms_decided(self):
        # the creation line goes with the lot; a decided status is history
        decided = (
            self.env["qms.lot.status.log"]
            .sudo()
            .search_count(
                [("lot_id", "in", self.ids), ("old_status", "!=", False)], limit=1
            )
        )
        if decided:
            raise UserError(
                self.env._(
                    "A lot whose inspection status was decided cannot be "
                    "deleted: its status history is a quality record."
                )
            )

    # ------------------------------------------------------------ status
    @api.model
    def _qms_is_status_decider(self):
        return self.env.su or self.env.user.has_group("sales_qms.group_qms_inspector")

    @api.model
    def _qms_status_access_message(self):
        return self.env._(
            "Only QC inspectors and QMS managers decide the inspection status "
            "of a lot: you need the group 'QC Inspector' "
            "(sales_qms.group_qms_inspector) or 'Sales QMS / Manager'."
        )

    def _qms_is_scrap_source(self, status, source):
        """A done scrap of these very lots sets them scrapped, whoever scraps."""
        return (
            status == "scrapped"
            and isinstance(source, models.BaseModel)
            and source._name == "stock.scrap"
            and len(source) == 1
            and source.sudo().state == "done"
            and self <= source.sudo().lot_id
        )

    @api.model
    def _qms_source_record(self, source):
        """The source document as a record: a record from server code, or a
        "model,id" reference from RPC (an id alone names no document)."""
        if isinstance(source, models.BaseModel):
            return source[:1]
        if isinstance(source, str) and "," in source:
            model, _sep, res_id = source.partition(",")
            res_id = res_id.strip()
            if (
                model in self.env
                and not self.env[model]._abstract
                and res_id.isdigit()
                and int(res_id) <= INT_MAX
            ):
                record = self.env[model].browse(int(res_id)).exists()
                if record:
                    record.check_access("read")
                    return record
        if source:
            raise UserError(
                self.env._(
                    "The source document must be given as 'model,id', "
                    "e.g. 'stock.picking,42': %(value)s",
                    value=str(source)[:80],
                )
            )
        return False

    def _prepare_qms_status_log_vals(self, old_status, new_status, reason, source):
        self.ensure_one()
        return {
            "lot_id": self.id,
            "old_status": old_status,
            "new_status": new_status,
            "reason": reason,
            "user_id": self.env.uid,
            "date": fields.Datetime.now(),
            "source_ref": f"{source._name},{source.id}" if source else False,
            "company_id": self.company_id.id,
        }

    def action_qms_set_status(self, status, reason, source=False):
        """Set the inspection status of these lots and log why.

        The one way to change ``qms_status``: QC inspectors and QMS managers
        decide; a done scrap (``source``) sets its lot scrapped for any stock
        user. ``source`` is the document behind the change (an inspection, a
        claim, a scrap, a picking; a "model,id" string over RPC), False for a
        manual decision."""
        if not isinstance(status, str) or status not in dict(QMS_LOT_STATUS):
            raise UserError(
                self.env._(
                    "Unknown inspection status: %(status)s", status=str(status)[:80]
                )
            )
        # the reason goes into the status log: checked as its field is
        self.env["qms.lot.status.log"]._qms_check_input({"reason": reason})
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Give a reason for changing the inspection status.")
            )
        # the scrap exception needs the record itself, which RPC cannot pass
        if not self._qms_is_status_decider() and not self._qms_is_scrap_source(
            status, source
        ):
            raise AccessError(self._qms_status_access_message())
        # callers that cannot pass it (a claim's button) name it in the context
        source = self._qms_source_record(
            source or self.env.context.get("qms_status_source")
        )
        self.check_access("read")
        lots = self.sudo().filtered(lambda lot: lot.qms_status != status)
        if not lots:
            return True
        log_vals = [
            lot._prepare_qms_status_log_vals(lot.qms_status, status, reason, source)
            for lot in lots
        ]
        # a reservation or a validation of these lots running at the same moment
        # writes their rows too (stock.move, stock.move.line): one of the two
        # transactions is replayed and sees the other, so no delivery keeps or
        # ships a blocked lot
        lots._qms_serialize()
        lots._qms_system_write({"qms_status": status})
        self.env["qms.lot.status.log"].sudo().create(log_vals)
        if status in QMS_LOT_BLOCKING_STATUS:
            lots._qms_unreserve_customer_moves(reason)
        return True

    def _qms_unreserve_customer_moves(self, reason):
        """Take these lots off the open moves bound for customers, reserve
        other lots where possible, and tell the people responsible."""
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", self.ids),
                    ("state", "not in", ("done", "cancel")),
                    ("move_id", "!=", False),
                ]
            )
            .filtered(lambda ml: ml.move_id._qms_is_customer_bound())
        )
        if not lines:
            return
        moves = lines.move_id
        by_picking = {}
        for line in lines:
            by_picking.setdefault(line.picking_id, self.browse())
            by_picking[line.picking_id] |= line.lot_id
        lines.unlink()
        moves._recompute_state()
        moves._action_assign()
        for picking, lots in by_picking.items():
            if picking:
                lots._qms_schedule_picking_activity(picking, reason)

    def _qms_schedule_picking_activity(self, picking, reason):
        """Tell who answers for the delivery that these lots were taken off."""
        user = (
            picking.user_id or picking.company_id.qms_representative_id or self.env.user
        )
        picking.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=user.id,
            summary=self.env._("Lots taken off the delivery"),
            note=self.env._(
                "Lots %(lots)s are no longer qualified (%(reason)s) and were "
                "unreserved from %(picking)s. Reserve other lots or wait for "
                "the disposition.",
                lots=", ".join(self.mapped("name")),
                reason=reason,
                picking=picking.name,
            ),
        )

    def _qms_released(self):
        """The subset of these lots an open delivery releases."""
        if not self.ids:
            return self.browse()
        pickings = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", self.ids),
                    ("state", "not in", ("done", "cancel")),
                    ("picking_id", "!=", False),
                ]
            )
            .picking_id
        )
        return self & pickings._qms_released_lots()

    # ------------------------------------------------------------ actions
    @api.readonly
    def action_qms_open_status_wizard(self):
        self._qms_check_readable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Inspection Status"),
            "res_model": "qms.lot.status.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lot_ids": self.ids},
        }

    def _qms_claims(self):
        """The claims that name these lots on one of their lines."""
        return self.env["qms.claim"].search([("line_ids.lot_id", "in", self.ids)])

    def _qms_inspections(self):
        """The pre-delivery inspections of the deliveries that carried these lots."""
        return self.env["qms.delivery.inspection"].search(
            [("picking_id.move_line_ids.lot_id", "in", self.ids)]
        )

    def _compute_qms_related_counts(self):
        # counted for the people who may open them: QMS users
        if not self.env.user.has_group("sales_qms.group_qms_user"):
            self.qms_claim_count = self.qms_inspection_count = 0
            return
        for lot in self:
            lot.qms_claim_count = len(lot._qms_claims())
            lot.qms_inspection_count = len(lot._qms_inspections())

    @api.readonly
    def action_qms_view_claims(self):
        self._qms_check_readable()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_claim_action"
        )
        action["domain"] = [("id", "in", self._qms_claims().ids)]
        action["context"] = {"create": False}
        return action

    @api.readonly
    def action_qms_view_inspections(self):
        self._qms_check_readable()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_delivery_inspection_action"
        )
        action["domain"] = [("id", "in", self._qms_inspections().ids)]
        action["context"] = {"create": False}
        return action

    @api.readonly
    def action_qms_recall_scope(self):
        """Every customer delivery of these lots, returns netted."""
        self._qms_check_readable()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_qms.qms_recall_scope_action"
        )
        action["domain"] = [("lot_id", "in", self.ids)]
        # quantities add up within a lot only
        action["context"] = (
            {"search_default_group_by_partner": 1}
            if len(self) == 1
            else {"search_default_group_by_lot": 1}
        )
        if len(self) == 1:
            action["name"] = self.env._(
                "Recall Scope of %(lot)s", lot=self.display_name
            )
        return action

    def action_qms_print_recall_scope(self):
        return self.env["qms.report.print.wizard"]._open(
            "sales_qms.qms_recall_scope_report", self
        )

    # ------------------------------------------------------------ reports
    _QMS_LABEL_MARKS = {
        "pending": ("待检", "PENDING INSPECTION", "#06c"),
        "qualified": ("合格", "QUALIFIED", "#080"),
        "nonconforming": ("不合格", "NON-CONFORMING", "#c00"),
        "pending_disposition": ("待处理", "PENDING DISPOSITION", "#c60"),
        "scrapped": ("报废", "SCRAPPED", "#c00"),
    }

    def _qms_label_mark(self):
        """The status mark printed on the lot label, in Chinese and English
        whatever the language: the label hangs in the warehouse."""
        self.ensure_one()
        zh, en, color = self._QMS_LABEL_MARKS[self.qms_status]
        return {
            "zh": zh,
            "en": en,
            "color": color,
            "cross": self.qms_status == "scrapped",
            "released": self.qms_is_released and self.qms_status != "qualified",
            "released_zh": "紧急放行",
            "released_en": "EMERGENCY RELEASE",
        }

    def _qms_barcode_src(self):
        """The lot name as a Code 128 barcode, an SVG data URI: drawn in pure
        Python, so it prints where reportlab has no bitmap backend."""
        self.ensure_one()
        drawing = createBarcodeDrawing(
            "Code128", value=self.name, barHeight=40, humanReadable=False
        )
        svg = renderSVG.drawToString(drawing).encode()
        return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()

    def _qms_recall_scope_rows(self):
        self.ensure_one()
        return self.env["qms.recall.scope"].search(
            [("lot_id", "=", self.id)], order="partner_id, date"
        )

    def _qms_recall_document_number(self):
        self.ensure_one()
        today = fields.Date.context_today(self).strftime("%Y%m%d")
        return f"RS-{self.name}-{today}"

    # ------------------------------------------------------------ demo
    def _qms_demo_return(self, order_id, qty):
        """Demo data: return part of this lot from a sales order's delivery."""
        picking = (
            self.env["sale.order"]
            .browse(order_id)
            .picking_ids.filtered(
                lambda p: p.state == "done" and p.picking_type_code == "outgoing"
            )[:1]
        )
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({"picking_id": picking.id})
        )
        wizard.product_return_moves.quantity = qty
        returned = self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )
        returned.move_ids.picked = True
        returned.button_validate()
        return True
