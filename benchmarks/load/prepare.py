"""Prepare a database for the load test: the users of each role and the work
they will do (quotations to confirm, deliveries to validate), written as JSON.

    /var/cache/sales_qms/venv/bin/python benchmarks/load/prepare.py \\
        -c <odoo.conf> -d <db> --orders 300 --out <file.json>

Runs on plain Odoo and on sales_qms alike. With sales_qms the quotations are
reviewed (recorded on paper, server-side) so that confirming them is allowed,
and the deliveries are inspected but not signed: keepers and inspectors sign
them during the load. The same logins exist in both databases (password =
login)."""

import argparse
import json

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config

ROLES = {
    # login: groups (the sales_qms ones only where sales_qms is installed)
    "load_sales": ["sales_team.group_sale_salesman_all_leads"],
    "load_keeper": ["stock.group_stock_user", "sales_qms.group_qms_warehouse_keeper"],
    "load_inspector": ["stock.group_stock_user", "sales_qms.group_qms_inspector"],
    "load_service": [
        "sales_qms.group_qms_customer_service",
        "sales_team.group_sale_salesman_all_leads",
    ],
}
LINES = 5


def make_users(env, qms):
    users = {}
    for login, role_groups in ROLES.items():
        groups = [g for g in role_groups if qms or not g.startswith("sales_qms.")]
        if not qms and login in ("load_inspector", "load_service"):
            continue
        users[login] = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": login.replace("_", " ").title(),
                    "login": login,
                    "password": login,
                    "email": f"{login}@example.com",
                    "groups_id": [Command.link(env.ref(g).id) for g in groups],
                }
            )
        )
    return users


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        qms = "qms.delivery.inspection" in env
        users = make_users(env, qms)
        stock = env.ref("stock.stock_location_stock")
        products = env["product.product"].create(
            [{"name": f"Load product {i}", "is_storable": True} for i in range(LINES)]
        )
        for product in products:
            env["stock.quant"]._update_available_quantity(
                product, stock, args.orders * 4
            )
        customer = env["res.partner"].create(
            {"name": "Load customer", "is_company": True}
        )
        salesman = users["load_sales"]

        def order():
            return env["sale.order"].create(
                {
                    "partner_id": customer.id,
                    "user_id": salesman.id,
                    "order_line": [
                        Command.create({"product_id": p.id, "product_uom_qty": 1})
                        for p in products
                    ],
                }
            )

        quotations = env["sale.order"].concat(*(order() for _i in range(args.orders)))
        delivered = env["sale.order"].concat(*(order() for _i in range(args.orders)))
        if qms:
            (quotations | delivered)._qms_record_paper_review("load test")
        delivered.action_confirm()
        pickings = delivered.picking_ids
        pickings.move_ids.picked = True
        env.flush_all()
        claim = lot = False
        if qms:
            lot = env["stock.lot"].search([("name", "=", "AS200-2611-01")], limit=1).id
            # a portal customer of a company with claims
            claim = env["qms.claim"].search([], limit=1)
            contact = env["res.partner"].create(
                {"name": "Load portal", "parent_id": claim.commercial_partner_id.id}
            )
            env["res.users"].with_context(no_reset_password=True).create(
                {
                    "name": "Load portal",
                    "login": "load_portal",
                    "password": "load_portal",
                    "partner_id": contact.id,
                    "groups_id": [Command.set([env.ref("base.group_portal").id])],
                }
            )
            claim = claim.id
            # contract reviews waiting for the demo reviewers
            for _i in range(args.orders // 4):
                order()._qms_create_review("initial")
        data = {
            "database": args.database,
            "sales_qms": qms,
            "quotations": quotations.ids,
            "pickings": pickings.ids,
            "customer": customer.id,
            "products": products.ids,
            "portal_claim": claim,
            "lot": lot,
        }
        cr.commit()
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(data, f)
    print(
        f"{args.database}: {len(data['quotations'])} quotations to confirm, "
        f"{len(data['pickings'])} deliveries to validate"
    )


if __name__ == "__main__":
    main()
