"""The 18.0.1.1.0 migration moves the data of 18.0.1.0.0: words stored as text
become facts, checklist items get their template's translations, review lines
nobody decided in a rejected round are closed."""

import importlib.util
from pathlib import Path

from odoo.tests import tagged

from .common_ui import UiCommon

MIGRATION = Path(__file__).parents[1] / "migrations" / "18.0.1.1.0" / "post-migrate.py"


def _migration():
    spec = importlib.util.spec_from_file_location("sales_qms_post_migrate", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install")
class TestMigration(UiCommon):
    def test_post_migrate_moves_the_old_data(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        cr = self.env.cr
        # a confirmed order classified by 18.0.1.0.0: text, no tags
        order = self._order()
        order.action_qms_request_review()
        self._approve_all(order)
        order.action_confirm()
        # a rejected round whose other lines stayed "To Review"
        rejected = self._order()
        rejected.action_qms_request_review()
        finance = self._line(rejected, "finance").with_user(self.reviewers["finance"])
        finance.write({"comment": "no"})
        finance.action_reject()
        # a checklist item copied as text in the company's language
        picking = self._delivery(qty=1)
        item = picking.qms_inspection_id.line_ids[:1]
        template_item = item.template_line_id
        template_item.update_field_translations("name", {"zh_CN": "模板项目中文"})
        self.env.flush_all()
        cr.execute("ALTER TABLE sale_order ADD COLUMN qms_special_reason_detail text")
        cr.execute(
            "ALTER TABLE qms_contract_review ADD COLUMN special_reason_detail text"
        )
        cr.execute(
            """UPDATE sale_order SET qms_special_reason_facts = NULL,
                      qms_special_reason_detail = %s WHERE id = %s""",
            [
                "credit: overdue receivables\nmargin: margin -437.9% below 15.0%",
                order.id,
            ],
        )
        cr.execute(
            "DELETE FROM sale_order_qms_special_reason_rel WHERE order_id = %s",
            [order.id],
        )
        cr.execute(
            "UPDATE qms_contract_review_line SET state = 'pending' "
            "WHERE review_id = %s AND state = 'closed'",
            [rejected.qms_review_id.id],
        )
        cr.execute(
            """UPDATE qms_delivery_inspection_line
                  SET template_line_id = NULL, name = jsonb_build_object('en_US', %s)
                WHERE id = %s""",
            [template_item.with_context(lang="en_US").name, item.id],
        )
        cr.execute(
            "UPDATE qms_department SET show_margin = FALSE WHERE code = 'finance'"
        )
        # 18.0.1.0.0 had no requirement categories: the departments review none
        warehouse = self.env.ref("sales_qms.qms_department_warehouse")
        warehouse.requirement_category_ids = False
        self.env.flush_all()
        self.env.invalidate_all()

        _migration().migrate(cr, "18.0.1.0.0")

        self.assertEqual(
            order.qms_special_reason_facts,
            [
                {"code": "credit", "text": "overdue receivables"},
                {"code": "margin", "text": "margin -437.9% below 15.0%"},
            ],
        )
        self.assertEqual(
            set(order.qms_special_reason_ids.mapped("code")), {"credit", "margin"}
        )
        self.assertIn(
            "Payment collection risk: overdue receivables",
            order.with_context(lang="en_US").qms_special_reason_detail,
        )
        lines = rejected.qms_review_id.line_ids
        self.assertEqual(
            set(lines.filtered(lambda x: x != finance).mapped("state")) - {"approved"},
            {"closed"},
        )
        self.assertEqual(item.template_line_id, template_item)
        self.assertEqual(item.with_context(lang="zh_CN").name, "模板项目中文")
        self.assertTrue(self.departments["finance"].show_margin)
        self.assertEqual(
            set(warehouse.requirement_category_ids.mapped("code")),
            {"delivery", "transport"},
        )
