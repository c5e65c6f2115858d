/** @odoo-module **/

import { registry } from "@web/core/registry";

// A portal customer opens an installed product and requests a repair.
registry.category("web_tour.tours").add("sales_qms_portal_service_tour", {
    steps: () => [
        {
            content: "The product page shows its service history",
            trigger: "h5.o_qms_service_history_title",
        },
        {
            content: "Request a service for this product",
            trigger: "a.o_qms_request_service",
            run: "click",
        },
        {
            content: "The product is chosen",
            trigger: "select[name=target]:has(option:selected:contains(SVC-CAB-002))",
        },
        {
            content: "The services are offered",
            trigger: "select[name=service_type_id]:has(option)",
        },
        {
            content: "Describe the need",
            trigger: "textarea[name=description]",
            run: "edit The card reader does not read badges",
        },
        {
            content: "Submit",
            trigger: "button.o_qms_service_submit",
            run: "click",
        },
        {
            content: "The request is shown, new",
            trigger: ".o_qms_service_request_state",
        },
    ],
});
