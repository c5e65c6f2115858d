"""Recall scope: every final customer delivery of a lot, returns netted."""

import shutil

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common_lot import LotStatusCase
from .test_harness import _pdf_text


@tagged("post_install", "-at_install")
class TestLotRecall(LotStatusCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._put_in_stock(cls.lot_a, 100)
        cls._put_in_stock(cls.lot_b, 100)

    def _deliver(self, qty, partner, lot=None):
        picking = self._delivery(qty, partner=partner)
        if lot:
            picking.move_line_ids.lot_id = lot
        self._validate(picking)
        self.assertEqual(picking.state, "done")
        return picking

    def test_scope_by_customer_with_returns(self):
        p1 = self._deliver(10, self.partner)
        p2 = self._deliver(7, self.partner_2_site)
        self._deliver(5, self.partner, self.lot_b)
        self._return(p1, 3)
        Scope = self.env["qms.recall.scope"]
        rows = Scope.search([("lot_id", "=", self.lot_a.id)], order="picking_id")
        self.assertEqual(rows.picking_id, p1 | p2)
        r1 = rows.filtered(lambda r: r.picking_id == p1)
        self.assertEqual(
            (r1.quantity, r1.quantity_returned, r1.quantity_net), (10.0, 3.0, 7.0)
        )
        self.assertEqual((r1.partner_id, r1.delivery_partner_id), (self.partner,) * 2)
        r2 = rows.filtered(lambda r: r.picking_id == p2)
        # the customer is the company; the delivery address is its site
        self.assertEqual(r2.partner_id, self.partner_2)
        self.assertEqual(r2.delivery_partner_id, self.partner_2_site)
        self.assertEqual(r2.lot_status, "qualified")
        # totals per customer in one read_group (what list and pivot show)
        totals = dict(
            Scope._read_group(
                [("lot_id", "=", self.lot_a.id)], ["partner_id"], ["quantity_net:sum"]
            )
        )
        self.assertEqual(totals, {self.partner: 7.0, self.partner_2: 7.0})

    def test_action_from_lot_partner_product(self):
        self._deliver(4, self.partner)
        action = self.lot_a.with_user(self.inspector).action_qms_recall_scope()
        self.assertEqual(action["res_model"], "qms.recall.scope")
        rows = (
            self.env["qms.recall.scope"]
            .with_user(self.salesman)
            .search(action["domain"])
        )
        self.assertEqual(rows.partner_id, self.partner)
        self.assertEqual(self.partner.qms_lot_count, 1)
        action = self.partner.action_qms_received_lots()
        self.assertEqual(
            self.env["qms.recall.scope"].search(action["domain"]).lot_id, self.lot_a
        )
        self._set_status(self.lot_b, "pending_disposition")
        tmpl = self.product.product_tmpl_id
        self.assertEqual(tmpl.qms_lot_count, 3)
        action = tmpl.action_qms_open_lots()
        self.assertEqual(action["context"]["group_by"], ["qms_status"])
        groups = dict(
            self.env["stock.lot"]._read_group(
                action["domain"], ["qms_status"], ["__count"]
            )
        )
        self.assertEqual(groups, {"qualified": 2, "pending_disposition": 1})

    def test_views_load(self):
        """List, pivot and search of the recall scope; the lot form opens for
        a stock user (core's valuation field is for stock managers only)."""
        views = self.env["qms.recall.scope"].get_views(
            [(False, "list"), (False, "pivot"), (False, "search")]
        )
        self.assertEqual(set(views["views"]), {"list", "pivot", "search"})
        form = Form(self.lot_a.with_user(self.keeper))
        self.assertEqual(form.qms_status, "qualified")
        self.assertEqual(len(form.qms_status_log_ids), 1)

    def test_export_csv_xlsx(self):
        """The standard export (CSV and XLSX share export_data) works on it."""
        self._deliver(3, self.partner)
        rows = self.env["qms.recall.scope"].search([("lot_id", "=", self.lot_a.id)])
        data = rows.export_data(
            ["lot_id", "partner_id", "picking_id/name", "quantity", "quantity_net"]
        )["datas"]
        self.assertEqual(data[0][:2], ["LOT-TEST-A", "Maoming Test Customer"])
        self.assertEqual(data[0][3:], [3.0, 3.0])

    def test_other_company_sees_nothing(self):
        lot = self.env["stock.lot"].create(
            {
                "name": "LOT-TEST-CO",
                "product_id": self.product.id,
                "company_id": self.company.id,
            }
        )
        self._put_in_stock(lot, 3)
        self._deliver(3, self.partner, lot)
        self._set_status(lot, "pending")
        other = self.env["res.company"].create({"name": "Other Workwear Co."})
        outsider = new_test_user(
            self.env,
            login="lot_outsider",
            groups="sales_qms.group_qms_manager,stock.group_stock_user",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(self.env["qms.recall.scope"].with_user(outsider).search([]))
        self.assertFalse(
            self.env["qms.lot.status.log"]
            .with_user(outsider)
            .search([("lot_id", "=", lot.id)])
        )
        with self.assertRaises(AccessError):
            lot.with_user(outsider).action_qms_set_status("qualified", "x")
        self.assertEqual(lot.qms_status, "pending")

    def test_scope_is_one_query(self):
        for partner in (self.partner, self.partner_2):
            self._deliver(2, partner)
        self.env.invalidate_all()
        with self.assertQueryCount(2):  # search + read of the rows
            rows = self.env["qms.recall.scope"].search_read(
                [("lot_id", "=", self.lot_a.id)],
                ["partner_id", "quantity_net"],
                load=None,
            )
        self.assertEqual(len(rows), 2)

    def test_recall_scope_pdf_in_chinese(self):
        self.assertTrue(shutil.which("pdftotext"), "pdftotext is needed")
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env.ref("base.lang_zh_CN").active = True
        self._deliver(6, self.partner)
        pdf, fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, lang="zh_CN")
            ._render_qweb_pdf("sales_qms.qms_recall_scope_report", self.lot_a.ids)
        )
        self.assertEqual(fmt, "pdf")
        text = _pdf_text(pdf)
        self.assertIn("召回范围", text)
        self.assertIn("Recall Scope", text)
        self.assertIn(self.env.company.name.split()[0], text)
        self.assertIn(f"RS-{self.lot_a.name}", text)
        self.assertIn("LOT-TEST-A", text)
        self.assertIn("Maoming Test Customer", text)
        # labels translated: 客户 (Customer), 状态历史 (Status History)
        self.assertIn("客户", text)

    def test_lot_label_marks(self):
        self._set_status(self.lot_b, "scrapped")
        pdf, _fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "sales_qms.qms_lot_label_report", (self.lot_a | self.lot_b).ids
            )
        )
        text = _pdf_text(pdf)
        for word in ("LOT-TEST-A", "合格", "QUALIFIED", "报废", "SCRAPPED", "╳"):
            self.assertIn(word, text)
        self.assertNotIn("紧急放行", text)
        self.assertEqual(self.lot_b._qms_label_mark()["cross"], True)
