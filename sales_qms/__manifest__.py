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
        "views/stock_lot_views.xml",
        "views/qms_recall_scope_views.xml",
        "views/product_template_views.xml",
        "views/res_partner_views.xml",
        "wizards/qms_lot_status_wizard_views.xml",
        "report/qms_recall_scope_report.xml",
        "report/qms_lot_label_report.xml",
    ],
    "demo": [
        "demo/sales_qms_demo.xml",
        "demo/lot_status_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sales_qms/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
