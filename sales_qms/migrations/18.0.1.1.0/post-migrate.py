"""18.0.1.1.0: facts instead of frozen words, closed review lines, checklist
items with their translations.

- checklist items of pre-delivery inspections: linked to the template item
  whose text they carry (in any language) and given all its translations; the
  column became translatable (jsonb) with the copied text as English;
- classification details: stored text becomes facts (criterion code + the
  detail as written, see qms.special.reason._qms_facts_from_text) on confirmed
  orders and on review rounds (quotations were classified again by the
  upgrade); orders classified before the special reasons existed (the
  installation) get their reason tags;
- review lines nobody decided in a rejected or cancelled round are closed;
- review rounds recorded without an amount get their order's total;
- the sales, finance and general manager departments see margins;
- each department of the procedure reviews its kinds of customer requirement
  (data/qms_customer_requirement_data.xml is noupdate: it maps the departments
  on a new installation only), where a department has none yet.
"""

import json
import logging

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL
from odoo.tools.sql import column_exists

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    _link_checklist_items(cr)
    _facts_from_text(
        env, "sale_order", "qms_special_reason_detail", "qms_special_reason_facts"
    )
    _facts_from_text(
        env, "qms_contract_review", "special_reason_detail", "special_reason_facts"
    )
    _reason_tags_from_facts(env)
    _close_undecided_lines(cr)
    _round_amounts(cr)
    cr.execute(
        "UPDATE qms_department SET show_margin = TRUE "
        "WHERE code IN ('sales', 'finance', 'gm') AND show_margin IS NOT TRUE"
    )
    _requirement_categories(env)
    env.invalidate_all()


# department code -> codes of the requirement categories it reviews (as in
# data/qms_customer_requirement_data.xml)
DEPARTMENT_CATEGORIES = {
    "sales": ("price", "delivery", "transport", "warranty", "training", "other"),
    "technical": ("quality", "environment", "safety", "health"),
    "production": ("quality", "delivery"),
    "quality": ("quality", "safety", "health", "environment"),
    "purchasing": ("quality", "delivery", "environment"),
    "finance": ("price", "warranty"),
    "warehouse": ("delivery", "transport"),
    "gm": (
        "quality",
        "price",
        "delivery",
        "transport",
        "warranty",
        "training",
        "environment",
        "safety",
        "health",
        "other",
    ),
}


def _requirement_categories(env):
    categories = {
        category.code: category
        for category in env["qms.requirement.category"]
        .with_context(active_test=False)
        .search([])
    }
    departments = (
        env["qms.department"]
        .with_context(active_test=False)
        .search(
            [
                ("code", "in", list(DEPARTMENT_CATEGORIES)),
                ("requirement_category_ids", "=", False),
            ]
        )
    )
    for department in departments:
        codes = DEPARTMENT_CATEGORIES[department.code]
        department.requirement_category_ids = [
            fields.Command.set([categories[c].id for c in codes if c in categories])
        ]
    _logger.info(
        "sales_qms: %s departments given their requirement categories", len(departments)
    )


def _link_checklist_items(cr):
    cr.execute(
        """
        UPDATE qms_delivery_inspection_line line
           SET template_line_id = item.id, name = item.name
          FROM qms_inspection_template_line item
          JOIN qms_inspection_template tmpl ON tmpl.id = item.template_id
         WHERE line.template_line_id IS NULL
           AND (tmpl.company_id IS NULL OR tmpl.company_id = line.company_id)
           AND line.name->>'en_US' IN (SELECT value FROM jsonb_each_text(item.name))
        """
    )
    _logger.info("sales_qms: %s checklist items linked to their template", cr.rowcount)


def _facts_from_text(env, table, text_column, facts_column):
    cr = env.cr
    if not column_exists(cr, table, text_column):
        return
    cr.execute(
        SQL(
            "SELECT id, %s FROM %s WHERE %s IS NULL AND COALESCE(%s, '') != ''",
            SQL.identifier(text_column),
            SQL.identifier(table),
            SQL.identifier(facts_column),
            SQL.identifier(text_column),
        )
    )
    Reason = env["qms.special.reason"]
    rows = cr.fetchall()
    for record_id, text in rows:
        cr.execute(
            SQL(
                "UPDATE %s SET %s = %s WHERE id = %s",
                SQL.identifier(table),
                SQL.identifier(facts_column),
                json.dumps(Reason._qms_facts_from_text(text)),
                record_id,
            )
        )
    _logger.info("sales_qms: %s %s classification details as facts", len(rows), table)


def _reason_tags_from_facts(env):
    """Orders classified at the installation, before the special reasons were
    loaded, have facts but no reason tags."""
    cr = env.cr
    reasons = {r.code: r.id for r in env["qms.special.reason"].search([])}
    cr.execute(
        """
        SELECT o.id, o.qms_special_reason_facts
          FROM sale_order o
         WHERE o.qms_special_reason_facts IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM sale_order_qms_special_reason_rel rel
                            WHERE rel.order_id = o.id)
        """
    )
    for order_id, facts in cr.fetchall():
        codes = {fact.get("code") for fact in facts or [] if fact.get("code")}
        for code in codes & reasons.keys():
            cr.execute(
                "INSERT INTO sale_order_qms_special_reason_rel (order_id, reason_id) "
                "VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (order_id, reasons[code]),
            )


def _close_undecided_lines(cr):
    cr.execute(
        """
        UPDATE qms_contract_review_line line
           SET state = 'closed', waiting = FALSE
          FROM qms_contract_review review
         WHERE review.id = line.review_id
           AND review.state IN ('rejected', 'cancelled')
           AND line.state = 'pending'
        """
    )
    _logger.info("sales_qms: %s undecided review lines closed", cr.rowcount)


def _round_amounts(cr):
    cr.execute(
        """
        UPDATE qms_contract_review review
           SET amount_total = o.amount_total
          FROM sale_order o
         WHERE o.id = review.order_id
           AND COALESCE(review.amount_total, 0) = 0
        """
    )
