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
        "data/qms_department_data.xml",
        "data/qms_special_reason_data.xml",
        "data/qms_contract_review_data.xml",
        "views/qms_department_views.xml",
        "views/qms_contract_review_views.xml",
        "views/sale_order_views.xml",
        "views/product_template_views.xml",
        "wizards/qms_contract_downgrade_wizard_views.xml",
        "report/contract_review_report.xml",
    ],
    "demo": [
        "demo/sales_qms_demo.xml",
        "demo/contract_review_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "sales_qms/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
