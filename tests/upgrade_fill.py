"""Run by tests/test_upgrade.py in `odoo-bin shell` on a database with sales_qms
at its FIRST RELEASE (18.0.1.0.0) and its demo data: adds records in every state,
made the way users make them (their buttons, as their users), so that the upgrade
test has a database full of audit records. Only the API of that release is used.

`env` is the shell's superuser environment. Prints one line per state added."""

from datetime import timedelta

from odoo import Command, fields

SIGNATURE = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def ref(xmlid):
    return env.ref(f"sales_qms.{xmlid}")  # noqa: F821 (the shell's env)


E = env  # noqa: F821
sales = ref("user_sales_demo")
keeper = ref("user_keeper_demo")
inspector = ref("user_inspector_demo")
service = ref("user_service_demo")
manager = ref("user_qms_manager_demo")
electronics = ref("partner_electronics_demo")
petrochem = ref("partner_petrochem_demo")
gloves = ref("product_work_gloves_demo")
coverall = ref("product_antistatic_coverall_demo")


def order(partner=electronics, product=gloves, qty=10):
    return (
        E["sale.order"]
        .with_user(sales)
        .create(
            {
                "partner_id": partner.id,
                "user_id": sales.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                ],
            }
        )
    )


def decide(review, state, count=None):
    lines = review.line_ids.sorted("is_final").filtered(lambda x: x.state == "pending")
    for line in lines[:count] if count else lines:
        as_reviewer = line.with_user(line.reviewer_ids[0])
        if state == "rejected":
            as_reviewer.write({"comment": "价格低于成本 / price below cost"})
            as_reviewer.action_reject()
            return
        as_reviewer.action_approve()


# ------------------------------------------------------------ contract review
pending = order()
pending.with_user(sales).action_qms_request_review()
decide(pending.sudo().qms_review_id, "approved", count=2)
print("review pending, two lines approved:", pending.qms_review_id.name)

rejected = order(qty=20)
rejected.with_user(sales).action_qms_request_review()
decide(rejected.sudo().qms_review_id, "rejected")
print("review rejected:", rejected.qms_review_id.name, rejected.qms_review_id.state)

approved = order(qty=30)
approved.with_user(sales).action_qms_request_review()
decide(approved.sudo().qms_review_id, "approved")
approved.with_user(sales).action_confirm()
print("review approved, order confirmed:", approved.name, approved.state)

# ------------------------------------------------------------ inspections
picking = approved.picking_ids
picking.action_assign()
inspection = picking.qms_inspection_id
inspection.with_user(inspector).line_ids.write({"result": "pass"})
inspection.with_user(keeper).write({"keeper_signature": SIGNATURE})
inspection.with_user(inspector).write({"inspector_signature": SIGNATURE})
# no SMS confirmation wizard in a script
picking.with_user(keeper).with_context(skip_sms=True).button_validate()
assert picking.state == "done", picking.state
print("inspection signed, delivery validated:", inspection.name, picking.state)

signed_only = order(qty=5)
signed_only.sudo()._qms_record_paper_review("合同已书面评审 / reviewed on paper")
signed_only.with_user(sales).action_confirm()
half = signed_only.picking_ids.qms_inspection_id
half.with_user(inspector).line_ids.write({"result": "pass"})
half.with_user(keeper).write({"keeper_signature": SIGNATURE})
print("inspection answered, keeper signed only:", half.name, half.result)

# ------------------------------------------------------------ releases
failed = order(qty=7)
failed.sudo()._qms_record_paper_review("reviewed on paper")
failed.with_user(sales).action_confirm()
failed_picking = failed.picking_ids
bad = failed_picking.qms_inspection_id
bad.with_user(inspector).line_ids.write({"result": "pass"})
bad.with_user(inspector).line_ids[-1:].write({"result": "fail", "note": "色差 / shade"})
bad.with_user(keeper).write({"keeper_signature": SIGNATURE})
bad.with_user(inspector).write({"inspector_signature": SIGNATURE})
concession = (
    E["qms.delivery.release"]
    .with_user(sales)
    .create(
        {
            "picking_id": failed_picking.id,
            "kind": "concession",
            "reason": "客户同意让步接收 / the customer accepts the shade",
            "consent_partner_id": ref("partner_electronics_contact_demo").id,
            "consent_date": fields.Date.today(),
            "consent_document": SIGNATURE,
            "consent_filename": "consent.png",
        }
    )
)
concession.action_request()
concession.with_user(manager).action_approve()
print("concession approved:", concession.name, concession.state, bad.result)

refused_order = order(qty=3)
refused_order.sudo()._qms_record_paper_review("reviewed on paper")
refused_order.with_user(sales).action_confirm()
refused = (
    E["qms.delivery.release"]
    .with_user(sales)
    .create(
        {
            "picking_id": refused_order.picking_ids.id,
            "kind": "emergency",
            "reason": "Urgent, but not urgent enough",
        }
    )
)
refused.action_request()
refused.with_user(manager).action_refuse()
draft = (
    E["qms.delivery.release"]
    .with_user(sales)
    .create(
        {
            "picking_id": refused_order.picking_ids.id,
            "kind": "emergency",
            "reason": "Asked again, still a draft",
        }
    )
)
print("release refused, one draft:", refused.state, draft.state)

# ------------------------------------------------------------ lot status
lot = ref("lot_as110_2611_demo")
for status in ("nonconforming", "pending_disposition", "qualified"):
    lot.with_user(inspector).action_qms_set_status(status, f"复检 / re-check: {status}")
ref("lot_fr300_2611_demo").with_user(manager).action_qms_set_status(
    "pending_disposition", "等待处置 / awaiting disposition"
)
print("lot status changes:", len(lot.qms_status_log_ids), lot.qms_status)

# ------------------------------------------------------------ claims
delivered = ref("so_after_sales_electronics_demo")
lot_as200 = ref("lot_as200_2611_demo")
Claim = E["qms.claim"].with_user(service)


def claim(**vals):
    return Claim.create(
        {
            "partner_id": electronics.id,
            "claim_type": "complaint",
            "severity": "minor",
            "sale_order_id": delivered.id,
            "description": "<p>拉链损坏 / broken zips</p>",
            "line_ids": [
                Command.create(
                    {"product_id": coverall.id, "lot_id": lot_as200.id, "quantity": 1}
                )
            ],
            **vals,
        }
    )


claims = claim()
for stage, extra in (
    ("investigating", {"responsible_department": "production"}),
    ("action", {"root_cause": "Zip supplier changed", "disposition": "repair"}),
    ("resolved", {"root_cause": "Zip supplier changed", "disposition": "exchange"}),
    (
        "closed",
        {
            "root_cause": "Zip supplier changed",
            "disposition": "exchange",
            "customer_feedback": "满意 / satisfied",
        },
    ),
    ("rejected", {"rejection_reason": "Damage from misuse"}),
):
    new = claim(**extra)
    new.write({"stage": stage})
    claims |= new
action_claim = claims.filtered(lambda c: c.stage == "action")
action_claim.write(
    {
        "action_ids": [
            Command.create(
                {
                    "kind": "corrective",
                    "description": "Audit the zip supplier",
                    "owner_id": manager.id,
                    "due_date": fields.Date.today() + timedelta(days=7),
                }
            )
        ]
    }
)
action_claim.action_ids.with_user(manager).action_done()
print("claims:", ", ".join(f"{c.name} {c.stage}" for c in claims))

# ------------------------------------------------------------ visits and contacts
Visit = E["qms.followup.visit"].with_user(service)
done = Visit.create(
    {
        "partner_id": electronics.id,
        "sale_order_id": delivered.id,
        "user_id": sales.id,
        "channel": "phone",
        "score_quality": 5,
        "score_delivery": 3,
        "score_service": 4,
        "comments": "按时交货 / on time",
    }
)
done.action_done()
cancelled = Visit.create({"partner_id": petrochem.id, "user_id": service.id})
cancelled.action_cancel()
planned = Visit.create({"partner_id": petrochem.id, "user_id": service.id})
E["qms.contact.log"].with_user(service).create(
    {
        "partner_id": electronics.id,
        "direction": "in",
        "channel": "phone",
        "summary": "客户来电 / the customer called",
        "claim_id": claims[0].id,
        "user_id": service.id,
    }
)
print("visits:", done.state, cancelled.state, planned.state)

E.cr.commit()
print("UPGRADE FILL DONE")
