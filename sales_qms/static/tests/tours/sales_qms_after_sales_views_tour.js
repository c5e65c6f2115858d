/** @odoo-module **/

import { registry } from "@web/core/registry";

// Every view of the claims opens: list (overdue in red), kanban, pivot, graph.
registry.category("web_tour.tours").add("sales_qms_after_sales_views_tour", {
    steps: () => [
        {
            content: "The claim list shows the overdue claim in red",
            trigger: ".o_list_view tr.o_data_row.text-danger",
        },
        {
            content: "Kanban",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "Kanban cards grouped by stage",
            trigger: ".o_kanban_view .o_kanban_group .o_kanban_record",
        },
        {
            content: "Pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "Pivot table",
            trigger: ".o_pivot table",
        },
        {
            content: "Graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "Graph canvas",
            trigger: ".o_graph_renderer canvas",
        },
    ],
});
