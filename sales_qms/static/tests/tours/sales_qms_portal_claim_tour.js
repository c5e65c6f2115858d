/** @odoo-module **/

import { registry } from "@web/core/registry";

// A portal user files a claim for a delivered product and lot.
registry.category("web_tour.tours").add("sales_qms_portal_claim_tour", {
    url: "/my/claims",
    steps: () => [
        {
            content: "File a new claim",
            trigger: "a.o_qms_new_claim",
            run: "click",
        },
        {
            content: "Choose the request",
            trigger: "select[name=claim_type]",
            run: "select return",
        },
        {
            content: "Quantity",
            trigger: "input[name=quantity]",
            run: "edit 2",
        },
        {
            content: "Describe the problem",
            trigger: "textarea[name=description]",
            run: "edit Zips break after two days",
        },
        {
            content: "Submit",
            trigger: "button.o_qms_claim_submit",
            run: "click",
        },
        {
            content: "The claim is shown, new",
            trigger: ".o_qms_claim_stage",
        },
        {
            // the tour ends once the page has loaded its chatter (ending
            // earlier cuts the loading of its assets)
            content: "and its message thread",
            trigger: "#qms_claim_communication .o_portal_chatter",
        },
    ],
});
