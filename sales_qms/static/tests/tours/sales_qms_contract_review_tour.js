/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const REVIEW_LINES = 7; // a general contract: every department but the GM

function approveSteps() {
    const steps = [];
    for (let done = 0; done < REVIEW_LINES; done++) {
        const left = REVIEW_LINES - done;
        steps.push(
            {
                content: `${left} department reviews wait for me`,
                trigger: `.o_list_renderer tbody:has(.o_data_row:nth-child(${left})):not(:has(.o_data_row:nth-child(${left + 1})))`,
            },
            {
                content: "Open the first one to read what is signed",
                trigger: ".o_data_row:first-child button[name=action_open_review]",
                run: "click",
            },
            {
                content: "The review shows the order lines being signed",
                trigger: ".o_form_view .o_field_widget[name=order_line_ids] .o_data_row",
            },
            {
                content: "Approve",
                trigger: ".o_form_view .o_statusbar_buttons button[name=action_approve]",
                run: "click",
            },
            {
                content: "Approved",
                trigger: ".o_form_view .o_statusbar_status [data-value=approved][aria-checked=true]",
            },
            {
                content: "Back to My Reviews",
                trigger: ".o_breadcrumb .o_back_button a",
                run: "click",
            }
        );
    }
    steps.push({
        content: "Nothing waits for my review any more",
        trigger: ".o_list_renderer:not(:has(.o_data_row))",
    });
    return steps;
}

registry.category("web_tour.tours").add("sales_qms_contract_review_request_tour", {
    steps: () => [
        {
            content: "The quotation is not reviewed yet: request the review",
            trigger: ".o_statusbar_buttons button[name=action_qms_request_review]",
            run: "click",
        },
        {
            content: "The round shows on the smart button",
            trigger: "button[name=action_qms_view_reviews] .o_stat_value:contains(1)",
        },
        {
            content: "The button is gone while the review is pending",
            trigger: ".o_statusbar_buttons:not(:has(button[name=action_qms_request_review]))",
        },
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Sales QMS app",
            trigger: '.o_app[data-menu-xmlid="sales_qms.menu_qms_root"]',
            run: "click",
        },
        {
            content: "Open the Contract Review menu",
            trigger: '.o_menu_sections [data-menu-xmlid="sales_qms.qms_contract_review_menu_root"]',
            run: "click",
        },
        {
            content: "My Reviews",
            trigger: '.dropdown-item[data-menu-xmlid="sales_qms.qms_contract_review_line_menu_my"]',
            run: "click",
        },
        {
            content: "The list is filtered on what waits for my review",
            trigger: '.o_searchview .o_facet_value',
        },
        ...approveSteps(),
        {
            content: "Open the review rounds",
            trigger: '.o_menu_sections [data-menu-xmlid="sales_qms.qms_contract_review_menu_root"]',
            run: "click",
        },
        {
            content: "Review Rounds",
            trigger: '.dropdown-item[data-menu-xmlid="sales_qms.qms_contract_review_menu"]',
            run: "click",
        },
        {
            content: "Kanban view",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "The approved round shows as a card",
            trigger: ".o_kanban_record:not(.o_kanban_ghost)",
        },
        {
            content: "Pivot view",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot renders",
            trigger: ".o_pivot table",
        },
        {
            content: "Graph view",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph renders",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "Open the review analysis",
            trigger: '.o_menu_sections [data-menu-xmlid="sales_qms.qms_contract_review_menu_root"]',
            run: "click",
        },
        {
            content: "Review Analysis",
            trigger: '.dropdown-item[data-menu-xmlid="sales_qms.qms_contract_review_line_menu_analysis"]',
            run: "click",
        },
        {
            content: "Cycle time and rejections per department",
            trigger: ".o_pivot table",
        },
    ],
});

registry.category("web_tour.tours").add("sales_qms_contract_review_confirm_tour", {
    steps: () => [
        {
            content: "The review is approved: confirm the quotation",
            trigger: ".o_statusbar_buttons button[name=action_confirm]:not(.d-none)",
            run: "click",
        },
        {
            content: "The quotation is now a sales order",
            trigger: ".o_statusbar_status [data-value=sale].o_arrow_button_current",
        },
    ],
});
