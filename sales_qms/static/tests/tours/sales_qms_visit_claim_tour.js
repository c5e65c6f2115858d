/** @odoo-module **/

import { registry } from "@web/core/registry";

// From a follow-up visit, raise a claim and take it to Closed.
registry.category("web_tour.tours").add("sales_qms_visit_claim_tour", {
    steps: () => [
        {
            content: "The visit is open",
            trigger: ".o_form_view .o_field_widget[name=partner_id]",
        },
        {
            content: "Raise a claim from the visit",
            trigger: "button[name=action_create_claim]",
            run: "click",
        },
        {
            content: "The claim form opens, received on the visit",
            trigger: ".o_form_view .o_field_widget[name=visit_id]",
        },
        {
            content: "Investigate",
            trigger: "button[name=action_investigate]",
            run: "click",
        },
        {
            content: "Start the actions",
            trigger: "button[name=action_start_actions]",
            run: "click",
        },
        {
            content: "Resolved",
            trigger: "button[name=action_resolve]",
            run: "click",
        },
        {
            content: "Open the resolution tab",
            trigger: "a.nav-link[name=resolution]",
            run: "click",
        },
        {
            content: "Record the customer's feedback",
            trigger: ".o_field_widget[name=customer_feedback] textarea",
            run: "edit Satisfied with the answer",
        },
        {
            content: "Close the claim",
            trigger: "button[name=action_close]",
            run: "click",
        },
        {
            content: "The claim is closed",
            trigger: ".o_statusbar_status button[data-value=closed].o_arrow_button_current",
        },
    ],
});
