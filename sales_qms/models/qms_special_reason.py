from odoo import api, fields, models


class QmsSpecialReason(models.Model):
    """A criterion that makes a contract special (特殊合同)."""

    _name = "qms.special.reason"
    _inherit = ["qms.system.fields.mixin"]
    _description = "Special Contract Reason"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(
        [
            ("new_product", "New product"),
            ("capacity", "Beyond capacity"),
            ("technical", "Beyond technical capability"),
            ("credit", "Collection risk"),
            ("margin", "Margin below threshold"),
        ],
        required=True,
    )
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "Each criterion exists once."),
    ]

    # ------------------------------------------------------------ rendering
    @api.model
    def _qms_render_facts(self, facts):
        """The classification facts of an order or a review round in words, in
        the language of ``self.env`` (the reader's): one line per criterion,
        "<criterion>: <what matched>"."""
        if not facts:
            return False
        names = {
            reason.code: reason.name
            for reason in self.sudo().with_context(lang=self.env.lang).search([])
        }
        lines = {}
        for fact in facts:
            code = fact.get("code") or ""
            detail = self._qms_render_fact(fact)
            if detail:
                lines.setdefault(code, []).append(detail)
        return "\n".join(
            f"{names.get(code, code)}: {'; '.join(details)}"
            if code
            else "; ".join(details)
            for code, details in lines.items()
        )

    @api.model
    def _qms_render_fact(self, fact):
        """One fact in words; a fact migrated from stored text keeps its text."""
        if fact.get("text"):
            return fact["text"]
        renderers = self._qms_fact_renderers()
        render = renderers.get((fact.get("code"), fact.get("kind"))) or renderers.get(
            (fact.get("code"), None)
        )
        return render(fact) if render else False

    def _qms_fact_renderers(self):
        """{(criterion code, kind): fact -> words}, in the language of self.env."""
        env = self.env
        Product = env["product.product"].sudo().with_context(lang=env.lang)

        def products(ids):
            return ", ".join(Product.browse(ids).exists().mapped("display_name"))

        return {
            ("new_product", None): lambda f: products(f.get("product_ids") or []),
            ("technical", None): lambda f: products(f.get("product_ids") or []),
            ("capacity", "lead_time"): lambda f: env._(
                "commitment date earlier than the lead time of %(products)s",
                products=products(f.get("product_ids") or []),
            ),
            ("capacity", "quantity"): lambda f: env._(
                "%(qty)s of %(product)s above the capacity of %(capacity)s",
                qty=f.get("qty"),
                product=products([f.get("product_id")]),
                capacity=f.get("capacity"),
            ),
            ("credit", "credit_limit"): lambda f: env._(
                "credit limit %(limit)s exceeded", limit=f.get("limit")
            ),
            ("credit", "overdue"): lambda f: env._("overdue receivables"),
            ("credit", "payment_days"): lambda f: env._(
                "payment term of %(days)s days above %(max)s",
                days=f.get("days"),
                max=f.get("max"),
            ),
            ("margin", None): lambda f: env._(
                "margin %(margin).1f%% below %(threshold).1f%%",
                margin=f.get("margin") or 0.0,
                threshold=f.get("threshold") or 0.0,
            ),
        }

    @api.model
    def _qms_facts_from_text(self, text):
        """Facts from classification details stored as text before they were
        facts (migration): "<criterion>: <detail>" per line, the criterion
        given by its name in any language or by its code. The detail keeps its
        words; the criterion is rendered in the reader's language."""
        if not (text or "").strip():
            return []
        reasons = self.sudo().with_context(active_test=False).search([])
        by_label = {}
        for reason in reasons:
            labels = {reason.code, reason.name}
            for translation in reason.get_field_translations("name")[0]:
                labels.update((translation["source"], translation["value"]))
            for label in filter(None, labels):
                by_label[label.strip().lower()] = reason.code
        facts = []
        for raw in text.splitlines():
            line = raw.strip()
            if not line:
                continue
            label, sep, detail = line.partition(":")
            code = by_label.get(label.strip().lower()) if sep else None
            if code:
                facts.append({"code": code, "text": detail.strip() or label.strip()})
            else:
                facts.append({"text": line})
        return facts
