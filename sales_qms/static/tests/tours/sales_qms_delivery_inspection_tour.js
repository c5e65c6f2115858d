/** @odoo-module **/

import { registry } from "@web/core/registry";

const ITEMS = 7;

function answerItem(index) {
    const row = `.o_field_widget[name=line_ids] .o_data_row:eq(${index})`;
    return [
        {
            content: `Open checklist item ${index + 1}`,
            trigger: `${row} td[name=result]`,
            run: "click",
        },
        {
            content: `Answer checklist item ${index + 1}: pass`,
            trigger: `${row} td[name=result] input[data-value=pass]`,
            run: "click",
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
            trigger: `.o_field_widget[name=line_ids] .o_data_row:eq(${ITEMS - 1}) input[data-value=pass]:checked`,
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
