/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

registry.category("web_tour.tours").add("sales_qms_settings_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Sales QMS app",
            trigger: '.o_app[data-menu-xmlid="sales_qms.menu_qms_root"]',
            run: "click",
        },
        {
            content: "Open Configuration",
            trigger: '.o_menu_sections [data-menu-xmlid="sales_qms.menu_qms_config"]',
            run: "click",
        },
        {
            content: "Open the settings",
            trigger: '.dropdown-item[data-menu-xmlid="sales_qms.menu_qms_settings"]',
            run: "click",
        },
        {
            content: "The settings open on the Sales QMS section",
            trigger: '.app_settings_block[data-key="sales_qms"] #qms_representative',
        },
        {
            content: "The procedure reference is editable",
            trigger: '.app_settings_block[data-key="sales_qms"] #qms_procedure_ref input',
            run: "edit QP-7.2-TOUR",
        },
        {
            content: "Save the settings",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the page reloads with the new value, no change left unsaved",
            trigger: 'body:not(:has(.o_dirty_warning)) #qms_procedure_ref input:value("QP-7.2-TOUR")',
        },
    ],
});
