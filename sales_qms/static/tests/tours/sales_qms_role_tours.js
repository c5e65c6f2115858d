/** @odoo-module **/

import { registry } from "@web/core/registry";

function signSteps(field) {
    return [
        {
            content: "Go to the signatures",
            trigger: "a.nav-link[name=signatures]",
            run: "click",
        },
        {
            content: "Click the signature box",
            trigger: `.o_field_widget[name=${field}] .o_signature`,
            run: "click",
        },
        {
            content: "The dialog draws the signer's name",
            trigger: ".modal .o_web_sign_signature",
        },
        {
            content: "Adopt and sign",
            trigger: ".modal .modal-footer button.btn-primary:enabled",
            run: "click",
        },
        {
            content: "The signature is in the form",
            trigger: `.o_field_widget[name=${field}] img.o_signature`,
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
    ];
}

// A department head lands on the reviews waiting for them, opens one from the
// list, reads what they sign and approves it there.
registry.category("web_tour.tours").add("sales_qms_reviewer_tour", {
    steps: () => [
        {
            content: "The reviewer lands on My Reviews, with the amount and the kind",
            trigger: ".o_list_renderer .o_data_row td[name=amount_total]:not(:empty)",
        },
        {
            content: "An amendment round reads as one",
            trigger: ".o_list_renderer .o_data_row td[name=review_kind]",
        },
        {
            content: "The list does not sign: it opens the review",
            trigger: ".o_data_row:first-child button[name=action_open_review]",
            run: "click",
        },
        {
            content: "The order lines being signed",
            trigger: ".o_form_view .o_field_widget[name=order_line_ids] .o_data_row",
        },
        {
            content: "The amount and the margin the finance department judges",
            trigger: ".o_form_view .o_field_widget[name=order_margin]",
        },
        {
            content: "The classification reasons",
            trigger: ".o_form_view .o_field_widget[name=special_reason_ids] .o_tag",
        },
        {
            content: "The other departments' decisions so far",
            trigger: "a.nav-link[name=round_lines]",
            run: "click",
        },
        {
            content: "One line per department",
            trigger: ".o_field_widget[name=round_line_ids] .o_data_row",
        },
        {
            content: "A comment",
            trigger: ".o_field_widget[name=comment] textarea",
            run: "edit Prices and payment term checked",
        },
        {
            content: "Approve",
            trigger: ".o_statusbar_buttons button[name=action_approve]",
            run: "click",
        },
        {
            content: "Approved",
            trigger: ".o_statusbar_status [data-value=approved][aria-checked=true]",
        },
        {
            content: "Back to My Reviews",
            trigger: ".o_breadcrumb .o_back_button a",
            run: "click",
        },
        {
            content: "Nothing waits any more",
            trigger: ".o_list_renderer:not(:has(.o_data_row))",
        },
    ],
});

// The QC inspector answers the whole checklist with one click and signs.
registry.category("web_tour.tours").add("sales_qms_inspector_all_pass_tour", {
    steps: () => [
        {
            content: "The checklist waits, unanswered",
            trigger: ".o_field_widget[name=line_ids] .o_data_row button[name=action_set_pass]",
        },
        {
            content: "All pass",
            trigger: ".o_statusbar_buttons button[name=action_all_pass]",
            run: "click",
        },
        {
            content: "Every item passed",
            trigger: ".o_field_widget[name=line_ids]:not(:has(button[name=action_set_pass]))",
        },
        {
            content: "The result is passed",
            trigger: ".o_statusbar_status [data-value=passed][aria-checked=true]",
        },
        ...signSteps("inspector_signature"),
        {
            content: "The server recorded the inspector",
            trigger: ".o_form_saved .o_field_widget[name=inspector_id]:contains(Tour Inspector)",
        },
    ],
});

// The warehouse keeper marks one item N/A, then signs.
registry.category("web_tour.tours").add("sales_qms_keeper_sign_tour", {
    steps: () => [
        {
            content: "One click answers an item: N/A",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:last-child button[name=action_set_na]",
            run: "click",
        },
        {
            content: "The item reads N/A",
            trigger: ".o_field_widget[name=line_ids] .o_data_row:last-child:not(:has(button[name=action_set_na]))",
        },
        {
            content: "All pass for the rest",
            trigger: ".o_statusbar_buttons button[name=action_all_pass]",
            run: "click",
        },
        {
            content: "Passed",
            trigger: ".o_statusbar_status [data-value=passed][aria-checked=true]",
        },
        ...signSteps("keeper_signature"),
        {
            content: "The server recorded the keeper",
            trigger: ".o_form_saved .o_field_widget[name=keeper_id]:contains(Tour Keeper)",
        },
    ],
});

// Customer service closes a resolved claim with the customer's feedback.
registry.category("web_tour.tours").add("sales_qms_service_close_claim_tour", {
    steps: () => [
        {
            content: "Customer service lands on the claims still to handle",
            trigger: ".o_kanban_renderer .o_kanban_group .o_kanban_record:contains(Tour claim to close)",
            run: "click",
        },
        {
            content: "The claim is resolved",
            trigger: ".o_statusbar_status [data-value=resolved][aria-checked=true]",
        },
        {
            content: "Resolution",
            trigger: "a.nav-link[name=resolution]",
            run: "click",
        },
        {
            content: "The customer's feedback",
            trigger: ".o_field_widget[name=customer_feedback] textarea",
            run: "edit Replacement received, the customer is satisfied",
        },
        {
            content: "Close",
            trigger: ".o_statusbar_buttons button[name=action_close]",
            run: "click",
        },
        {
            content: "Closed",
            trigger: ".o_statusbar_status [data-value=closed][aria-checked=true]",
        },
    ],
});

// A customer files a claim on the portal for a lot delivered to them, then
// reads it with its message thread.
registry.category("web_tour.tours").add("sales_qms_portal_file_claim_tour", {
    steps: () => [
        {
            content: "File a new claim",
            trigger: "a.o_qms_new_claim",
            run: "click",
        },
        {
            content: "The delivered products and lots are offered: one of two pieces or more",
            trigger: "select#move_line_id:has(option)",
            run() {
                // the demo customer also received single units (serial numbers)
                const select = document.querySelector("select#move_line_id");
                const option = [...select.options].find(
                    (o) => parseFloat((o.text.match(/\(([\d.]+)\)\s*$/) || [])[1]) >= 2
                );
                select.value = option.value;
                select.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Ask for an exchange",
            trigger: "select#claim_type",
            run: "select exchange",
        },
        {
            content: "Two pieces",
            trigger: "input#quantity",
            run: "edit 2",
        },
        {
            content: "Describe the problem",
            trigger: "textarea#description",
            run: "edit Tour portal claim: zip broken on two coveralls",
        },
        {
            content: "Submit",
            trigger: "button.o_qms_claim_submit",
            run: "click",
        },
        {
            content: "The claim page, its status in colour",
            trigger: ".o_qms_claim_stage.text-bg-info",
        },
        {
            content: "and its message thread",
            trigger: "#qms_claim_communication .o_portal_chatter",
        },
    ],
});
