/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_qms_quality_dashboard_tour", {
    steps: () => [
        {
            content: "The objective's card: last value against its target",
            trigger: ".o_qms_objective_kanban .o_kanban_record .badge.text-bg-success",
        },
        {
            content: "Its twelve months as bars",
            trigger: ".o_qms_objective_kanban .o_kanban_record .o_dashboard_graph canvas",
        },
        {
            content: "Open the trend",
            trigger: '.o_qms_objective_kanban a[name="action_view_trend"]',
            run: "click",
        },
        {
            content: "The trend is a graph",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
        {
            content: "Back to the dashboard",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "The records behind the last value, one click away",
            trigger: '.o_qms_objective_kanban a[name="action_view_last_records"]',
            run: "click",
        },
        {
            content: "The claims of that month",
            trigger: ".o_action_manager .o_list_view, .o_action_manager .o_view_nocontent",
        },
    ],
});

registry.category("web_tour.tours").add("sales_qms_management_review_tour", {
    steps: () => [
        {
            content: "Compile the inputs of the draft review",
            trigger: '.o_form_view button[name="action_compile_inputs"]',
            run: "click",
        },
        {
            content: "The inputs are shown, compiled from the records",
            trigger: '.o_field_widget[name="inputs_html"] .o_qms_review_inputs h4',
        },
        {
            content: "Submit to the chair",
            trigger: '.o_form_view button[name="action_submit"]',
            run: "click",
        },
        {
            content: "In review",
            trigger: '.o_statusbar_status button.o_arrow_button_current[data-value="in_review"]',
        },
    ],
});
