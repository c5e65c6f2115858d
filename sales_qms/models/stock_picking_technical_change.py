from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import create_index

from .stock_picking import mark_checked, unchecked


class StockPicking(models.Model):
    """Per company setting, a changed product is delivered only to customers
    who accepted the technical change."""

    _inherit = "stock.picking"  # pylint: disable=consider-merging-classes-inherited

    def _pre_action_done_hook(self):
        # refuse before any wizard (backorder, expiry) asks the user something
        self.move_ids._qms_check_technical_changes()
        return super()._pre_action_done_hook()


class StockMove(models.Model):
    _inherit = "stock.move"  # pylint: disable=consider-merging-classes-inherited

    def init(self):
        res = super().init()
        # the customers who received a product: a skip scan walks this index
        # from one partner to the next, then reads each one's last delivery
        # (qms.technical.change, affected customers)
        create_index(
            self.env.cr,
            "stock_move_qms_product_customer_index",
            self._table,
            ["product_id", "location_dest_id", "company_id", "partner_id", "date"],
            where="state = 'done'",
        )
        return res

    def _action_done(self, cancel_backorder=False):
        # the hard check: every way of validating a delivery ends here
        self._qms_check_technical_changes()
        return super()._action_done(cancel_backorder=cancel_backorder)

    def _qms_technical_change_issues(self):
        """{move: technical change lines not accepted by its customer}."""
        moves = self.filtered(
            lambda m: (
                m.state not in ("done", "cancel")
                and not m.scrapped
                and m.company_id.qms_change_acceptance_required
                and m.location_dest_id.usage == "customer"
                and m.location_id.usage != "customer"
            )
        )
        if not moves:
            return {}
        partner_of = {
            move: (move.picking_id.partner_id or move.partner_id).commercial_partner_id
            for move in moves
        }
        partners = self.env["res.partner"].union(*partner_of.values())
        if not partners:
            return {}
        lines = (
            self.env["qms.technical.change.line"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("company_id", "in", moves.company_id.ids),
                    ("change_state", "in", ("approved", "notified", "closed")),
                    ("response", "!=", "accepted"),
                    ("effective_date", "<=", fields.Date.context_today(self)),
                    ("change_id.product_ids", "in", moves.product_id.ids),
                ]
            )
        )
        if not lines:
            return {}
        issues = {}
        for move, partner in partner_of.items():
            blocking = lines.filtered(
                lambda x, m=move, p=partner: (
                    x.partner_id == p
                    and x.company_id == m.company_id
                    and m.product_id in x.change_id.product_ids
                )
            )
            if blocking:
                issues[move] = blocking
        return issues

    def _qms_check_technical_changes(self):
        todo = unchecked(self, "technical_change")
        issues = todo._qms_technical_change_issues()
        if not issues:
            mark_checked(todo, "technical_change")
            return
        labels = dict(
            self.env["qms.technical.change.line"]
            ._fields["response"]
            ._description_selection(self.env)
        )
        rows = []
        for move, lines in issues.items():
            for line in lines:
                rows.append(
                    self.env._(
                        "- %(picking)s %(product)s: %(change)s (%(title)s), "
                        "%(customer)s: %(response)s",
                        picking=move.picking_id.name or move.reference or "",
                        product=move.product_id.display_name,
                        change=line.change_id.name,
                        title=line.change_id.title,
                        customer=line.partner_id.display_name,
                        response=labels[line.response],
                    )
                )
        raise UserError(
            self.env._(
                "These products changed technically and the customer has not "
                "accepted the change: they cannot be delivered yet.\n%(rows)s\nRecord "
                "the customer's acceptance on the technical change first.",
                rows="\n".join(sorted(set(rows))),
            )
        )
