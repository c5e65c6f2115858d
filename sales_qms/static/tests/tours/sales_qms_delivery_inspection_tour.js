/** @odoo-module **/

import { registry } from "@web/core/registry";

const ITEMS = 7;

function answerItem(index) {
    const row = `.o_field_widget[name=line_ids] .o_data_row:eq(${index})`;
    return [
        {
            content: `Answer checklist item ${index + 1} in one click: pass`,
            trigger: `${row} button[name=action_set_pass]`,
            run: "click",
        },
        {
            content: `Item ${index + 1} passed`,
            trigger: `${row}:not(:has(button[name=action_set_pass]))`,
        },
    ];
}

registry.category("web_tour.tours").add("sales_qms_delivery_inspection_tour", {
    steps: () => [
        {
            content: "The inspection form is open on its checklist",
            trigger: ".o_form_view .o_field_widget[name=line_ids] .o_data_row",
        },
        ...Array.from({ length: ITEMS }, (_, index) => answerItem(index)).flat(),
        {
            content: "The last answer is taken",
            trigger: ".o_field_widget[name=line_ids]:not(:has(button[name=action_set_pass]))",
        },
        {
            content: "Go to the signatures",
            trigger: "a.nav-link[name=signatures]",
            run: "click",
        },
        {
            content: "Click the keeper's signature box",
            trigger: ".o_field_widget[name=keeper_signature] .o_signature",
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
            trigger: ".o_field_widget[name=keeper_signature] img.o_signature",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The server recorded the signer",
            trigger: ".o_form_saved .o_field_widget[name=keeper_id]:contains(QMS Warehouse Keeper)",
        },
        {
            content: "Every item answered: the result is passed",
            trigger: ".o_statusbar_status button[aria-checked=true][data-value=passed]",
        },
    ],
});
