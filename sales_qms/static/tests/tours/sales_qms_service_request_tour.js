/** @odoo-module **/

import { registry } from "@web/core/registry";

// From a new service request to the customer's signed service report: assign a
// qualified technician, schedule, start, report the work, have the customer
// sign and rate, close.
registry.category("web_tour.tours").add("sales_qms_service_request_tour", {
    steps: () => [
        {
            content: "The request is open, new",
            trigger: ".o_form_view .o_statusbar_status button[aria-checked=true][data-value=new]",
        },
        {
            content: "Choose the technician",
            trigger: ".o_field_widget[name=technician_id] input",
            run: "edit Tour",
        },
        {
            content: "Only qualified technicians are offered",
            trigger: ".o-autocomplete--dropdown-item:contains(Tour Technician)",
            run: "click",
        },
        {
            content: "Schedule",
            trigger: "button[name=action_schedule]",
            run: "click",
        },
        {
            content: "Scheduled",
            trigger: ".o_statusbar_status button[aria-checked=true][data-value=scheduled]",
        },
        {
            content: "Start the work",
            trigger: "button[name=action_start]",
            run: "click",
        },
        {
            content: "In progress",
            trigger: ".o_statusbar_status button[aria-checked=true][data-value=in_progress]",
        },
        {
            content: "Open the work report",
            trigger: "a.nav-link[name=work_report]",
            run: "click",
        },
        {
            content: "What was done",
            trigger: ".o_field_widget[name=work_done] textarea",
            run: "edit Card reader firmware updated to 1.9",
        },
        {
            content: "Hours worked",
            trigger: ".o_field_widget[name=work_hours] input",
            run: "edit 01:30",
        },
        {
            content: "Done",
            trigger: "button[name=action_done]",
            run: "click",
        },
        {
            content: "Done: the work report is kept",
            trigger: ".o_statusbar_status button[aria-checked=true][data-value=done]",
        },
        {
            content: "Open the customer's sign-off",
            trigger: "a.nav-link[name=sign_off]",
            run: "click",
        },
        {
            content: "Who signs for the customer",
            trigger: ".o_field_widget[name=customer_signed_by] input",
            run: "edit Huang Wei",
        },
        {
            content: "The customer's rating",
            trigger: ".o_field_widget[name=customer_rating] input",
            run: "edit 5",
        },
        {
            content: "Save the name first: the signature dialog writes it",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
        {
            content: "Click the signature box",
            trigger: ".o_field_widget[name=customer_signature] .o_signature",
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
            trigger: ".o_field_widget[name=customer_signature] img.o_signature",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The server recorded who collected the signature",
            trigger: ".o_form_saved .o_field_widget[name=signature_collected_by_id]:contains(Tour Technician)",
        },
        {
            content: "Close the request",
            trigger: "button[name=action_close]",
            run: "click",
        },
        {
            content: "Closed",
            trigger: ".o_statusbar_status button[aria-checked=true][data-value=closed]",
        },
    ],
});
