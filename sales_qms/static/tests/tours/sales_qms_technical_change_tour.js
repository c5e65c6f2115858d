/** @odoo-module **/

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("sales_qms_technical_change_tour", {
    steps: () => [
        {
            content: "The notified change lists its affected customer",
            trigger: '.o_form_view .o_field_widget[name="affected_line_ids"] .o_data_row td[name="response"]',
        },
        {
            content: "The customer answered by phone: record it",
            trigger: '.o_field_widget[name="affected_line_ids"] button[name="action_record_response"]',
            run: "click",
        },
        {
            content: "Who answered",
            trigger: '.modal div[name="acknowledged_by"] input',
            run: "edit Tour: Li Na",
        },
        {
            content: "Record the answer",
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The line shows the answer and who gave it",
            trigger: '.o_field_widget[name="affected_line_ids"] td:contains("Tour: Li Na")',
        },
    ],
});
