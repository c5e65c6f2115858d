{
    "name": "Sales QMS",
    "summary": "ISO 9001 sales and service process control: contract review, "
    "pre-delivery inspection, lot status and recall, after-sales claims",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "sales_qms contributors",
    "website": "https://github.com/sales-qms/sales_qms",
    "license": "LGPL-3",
    "depends": [
        "mail",
        "sale_management",
        "sale_stock",
        "sale_margin",
    ],
    "data": [
        "security/sales_qms_security.xml",
        "security/ir.model.access.csv",
        "views/res_config_settings_views.xml",
        "views/sales_qms_menus.xml",
        "data/after_sales_data.xml",
        "views/qms_claim_views.xml",
        "views/qms_followup_visit_views.xml",
        "views/qms_contact_log_views.xml",
        "views/res_partner_after_sales_views.xml",
        "views/sale_order_after_sales_views.xml",
        "views/qms_claim_portal_templates.xml",
        "report/qms_claim_report.xml",
        "views/after_sales_menus.xml",
    ],
    "demo": [
        "demo/sales_qms_demo.xml",
        "demo/after_sales_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sales_qms/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
