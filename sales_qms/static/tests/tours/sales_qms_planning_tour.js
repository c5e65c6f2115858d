/** @odoo-module **/

import { registry } from "@web/core/registry";

// Planning screens (issue 10). Every step waits for its element: no sleeps.
const tours = registry.category("web_tour.tours");

function statusIs(state) {
    return {
        content: `The record is ${state}`,
        trigger: `.o_form_view .o_statusbar_status .o_arrow_button_current[data-value="${state}"]`,
    };
}

tours.add("sales_qms_target_tour", {
    steps: () => [
        {
            content: "A new target: the salesperson",
            trigger: '.o_form_view .o_field_widget[name="user_id"] input',
            run: "edit QMS Salesperson",
        },
        {
            content: "Pick the salesperson",
            trigger: '.o-autocomplete--dropdown-item a:contains("QMS Salesperson")',
            run: "click",
        },
        {
            content: "This month's ordered amount: 1,000",
            trigger: '.o_form_view .o_field_widget[name="target_value"] input',
            run: "edit 1000",
        },
        {
            content: "Approve (the form is saved first)",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_approve"]',
            run: "click",
        },
        statusIs("approved"),
        {
            content: "Plan vs actual on the target: 700 ordered this month",
            trigger: '.o_form_view .o_field_widget[name="actual_value"]:contains("700.00")',
        },
        {
            content: "Back to the plan-vs-actual list",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The list shows the target with its actual value",
            trigger: '.o_list_view .o_data_row:contains("QMS Salesperson") td[name="actual_value"]:contains("700.00")',
        },
    ],
});

tours.add("sales_qms_plan_tour", {
    steps: () => [
        {
            content: "Compute the plan from the contracts and quotations",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_compute_lines"]',
            run: "click",
        },
        {
            content: "The coverall is short: 10 committed, 4 on hand",
            trigger: '.o_field_widget[name="line_ids"] .o_data_row:contains("QMS plan coverall") td[name="shortfall_qty"]:contains("6.00")',
        },
        {
            content: "Approve the plan",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_approve"]',
            run: "click",
        },
        statusIs("approved"),
        {
            content: "Send the shortfall to purchasing",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_notify_purchasing"]',
            run: "click",
        },
        {
            content: "The plan records when purchasing was told",
            trigger: '.o_form_view .o_field_widget[name="notified_on"] span:contains("20")',
        },
    ],
});

tours.add("sales_qms_evaluation_tour", {
    steps: () => [
        {
            content: "Take the figures from the data",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_compute_figures"]',
            run: "click",
        },
        {
            content: "The figures are dated",
            trigger: '.o_form_view .o_field_widget[name="computed_on"] span:contains("20")',
        },
        {
            content: "Open the scores",
            trigger: '.o_notebook .nav-link[name="scores"]',
            run: "click",
        },
        {
            content: "The manager's comments",
            trigger: '.o_form_view .o_field_widget[name="manager_comment"] textarea',
            run: "edit Tour: steady month, two new customers.",
        },
        {
            content: "Submit",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_submit"]',
            run: "click",
        },
        statusIs("submitted"),
        {
            content: "Approve as the salesperson's manager",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_approve"]',
            run: "click",
        },
        statusIs("approved"),
    ],
});

tours.add("sales_qms_evaluation_acknowledge_tour", {
    steps: () => [
        statusIs("approved"),
        {
            content: "The salesperson acknowledges their evaluation",
            trigger: '.o_form_view .o_statusbar_buttons button[name="action_acknowledge"]',
            run: "click",
        },
        {
            content: "Open the signatures",
            trigger: '.o_notebook .nav-link[name="signatures"]',
            run: "click",
        },
        {
            content: "Acknowledged: dated",
            trigger: '.o_form_view .o_field_widget[name="acknowledged_on"] span:contains("20")',
        },
    ],
});
