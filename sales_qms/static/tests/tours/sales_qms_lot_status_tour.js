/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_qms_lot_status_tour", {
    steps: () => [
        {
            content: "The lot shows its status",
            trigger: '.o_form_view div[name="qms_status"] .badge.text-bg-success',
        },
        {
            content: "Change its status",
            trigger: 'button[name="action_qms_open_status_wizard"]',
            run: "click",
        },
        {
            content: "Non-conforming",
            trigger: '.modal div[name="new_status"] select',
            run: 'select "nonconforming"',
        },
        {
            content: "Why",
            trigger: '.modal div[name="reason"] textarea',
            run: "edit Tour: seams open on 3 samples",
        },
        {
            content: "Apply",
            trigger: '.modal button[name="action_apply"]',
            run: "click",
        },
        {
            content: "The lot is non-conforming: a red ribbon and badge",
            trigger: '.o_form_view .ribbon.text-bg-danger, .o_form_view div[name="qms_status"] .badge.text-bg-danger',
        },
        {
            content: "The status history holds the decision",
            trigger: 'a[name="qms_status_history"]',
            run: "click",
        },
        {
            content: "Reason in the history",
            trigger: '.o_field_widget[name="qms_status_log_ids"] td:contains("Tour: seams open on 3 samples")',
        },
        {
            content: "Open the recall scope of the lot",
            trigger: '.o_form_statusbar button[name="action_qms_recall_scope"]',
            run: "click",
        },
        {
            content: "The recall scope opens (the lot was never delivered)",
            trigger: '.o_action_manager .o_list_view, .o_action_manager .o_view_nocontent',
        },
    ],
});
