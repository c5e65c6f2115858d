import re

from odoo.tests import HttpCase, tagged

from .common_after_sales import AfterSalesCommon
from .test_harness import _pdf_text


@tagged("post_install", "-at_install")
class TestClaimPortal(AfterSalesCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.qms_claim_service_user_id = cls.service
        cls.mine = cls._new_claim()
        cls.other_order, cls.other_picking = cls._deliver(
            cls.other_customer, cls.lot_never_delivered, 5
        )
        cls.theirs = cls._new_claim(
            partner_id=cls.other_customer.id,
            sale_order_id=cls.other_order.id,
            picking_id=cls.other_picking.id,
            line_ids=[],
        )
        cls.delivered_line = cls.picking.move_line_ids
        cls.other_line = cls.other_picking.move_line_ids

    def _csrf(self, html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def test_portal_lists_only_own_claims(self):
        self.authenticate("qms_portal_t", "qms_portal_t")
        res = self.url_open("/my/claims")
        self.assertEqual(res.status_code, 200)
        self.assertIn(self.mine.name, res.text)
        self.assertNotIn(self.theirs.name, res.text)
        res = self.url_open(f"/my/claims/{self.mine.id}")
        self.assertIn(self.mine.name, res.text)
        self.assertIn("AS-LOT-DELIVERED", res.text)
        res = self.url_open(f"/my/claims/{self.theirs.id}")
        self.assertNotIn(self.theirs.name, res.text)
        self.assertTrue(res.url.endswith("/my"), res.url)

    def test_portal_files_claim_with_attachment(self):
        self.authenticate("qms_portal_t", "qms_portal_t")
        form = self.url_open("/my/claims/new").text
        self.assertIn(f'value="{self.delivered_line.id}"', form)
        # the other customer's delivery is not offered...
        self.assertNotIn(f'value="{self.other_line.id}"', form)
        before = self.env["qms.claim"].search_count([])
        # ...and a forged post naming it is refused
        res = self.url_open(
            "/my/claims/new",
            data={
                "csrf_token": self._csrf(form),
                "move_line_id": self.other_line.id,
                "claim_type": "return",
                "quantity": "1",
                "description": "forged",
            },
        )
        self.assertIn("o_qms_claim_error", res.text)
        self.assertEqual(self.env["qms.claim"].search_count([]), before)
        # more than was delivered is refused by the lot check
        res = self.url_open(
            "/my/claims/new",
            data={
                "csrf_token": self._csrf(form),
                "move_line_id": self.delivered_line.id,
                "claim_type": "return",
                "quantity": "99",
                "description": "too many",
            },
        )
        self.assertIn("o_qms_claim_error", res.text)
        self.assertEqual(self.env["qms.claim"].search_count([]), before)
        res = self.url_open(
            "/my/claims/new",
            data={
                "csrf_token": self._csrf(form),
                "move_line_id": self.delivered_line.id,
                "claim_type": "exchange",
                "quantity": "2",
                "description": "Zips break after two days",
            },
            files={
                "attachments": ("photo.jpg", b"\xff\xd8\xff fake jpeg", "image/jpeg")
            },
        )
        self.assertEqual(res.status_code, 200)
        claim = self.env["qms.claim"].search([], order="id desc", limit=1)
        self.assertEqual(self.env["qms.claim"].search_count([]), before + 1)
        self.assertIn(f"/my/claims/{claim.id}", res.url)
        self.assertEqual(claim.partner_id, self.customer_contact)
        self.assertEqual(claim.channel, "portal")
        self.assertEqual(claim.claim_type, "exchange")
        self.assertEqual(claim.picking_id, self.picking)
        self.assertEqual(claim.sale_order_id, self.order)
        self.assertEqual(claim.line_ids.lot_id, self.lot)
        self.assertEqual(claim.line_ids.quantity, 2)
        self.assertEqual(claim.user_id, self.service)
        self.assertEqual(
            self.env["ir.attachment"]
            .search([("res_model", "=", "qms.claim"), ("res_id", "=", claim.id)])
            .name,
            "photo.jpg",
        )
        self.assertEqual(claim.activity_ids.user_id, self.service)
        # filed by the portal user, handled by customer service
        self.assertEqual(claim.user_id, self.service)
        # the portal user now sees it, the other customer's stays hidden
        Claim = self.env["qms.claim"].with_user(self.portal)
        self.assertEqual(Claim.search([]), self.mine | claim)

    def test_portal_tour_files_claim(self):
        before = self.env["qms.claim"].search_count([])
        self.start_tour(
            "/my/claims", "sales_qms_portal_claim_tour", login="qms_portal_t"
        )
        claim = self.env["qms.claim"].search([], order="id desc", limit=1)
        self.assertEqual(self.env["qms.claim"].search_count([]), before + 1)
        self.assertEqual(claim.claim_type, "return")
        self.assertEqual(claim.channel, "portal")
        self.assertEqual(claim.line_ids.lot_id, self.lot)

    def test_tour_from_visit_to_closed_claim(self):
        visit = (
            self.env["qms.followup.visit"]
            .with_user(self.service)
            .create(
                {
                    "partner_id": self.customer.id,
                    "sale_order_id": self.order.id,
                    "picking_id": self.picking.id,
                    "comments": "Zips break",
                }
            )
        )
        self.start_tour(
            f"/odoo/action-sales_qms.qms_followup_visit_action/{visit.id}",
            "sales_qms_visit_claim_tour",
            login="qms_service_t",
        )
        claim = visit.claim_ids
        self.assertEqual(claim.stage, "closed")
        self.assertEqual(claim.customer_feedback, "Satisfied with the answer")

    def test_tour_claim_views(self):
        self.mine.write(
            {"date": "2026-01-05 08:00:00", "deadline": "2026-01-07", "stage": "action"}
        )
        self.start_tour(
            "/odoo/action-sales_qms.qms_claim_action",
            "sales_qms_after_sales_views_tour",
            login="qms_service_t",
        )

    def test_portal_refuses_bad_quantities_in_the_form(self):
        """No quantity ends on a server error or a bare error page: each is
        refused with a message in the form and nothing is written."""
        self.authenticate("qms_portal_t", "qms_portal_t")
        before = self.env["qms.claim"].search_count([])
        not_a_number = "Enter the claimed quantity as a number, e.g. 2."
        not_positive = "The claimed quantity must be greater than zero."
        cases = {
            "inf": not_a_number,
            "1e308": not_a_number,
            "1e999": not_a_number,
            "-inf": not_a_number,
            "nan": not_a_number,
            "abc": not_a_number,
            "-3": not_positive,
            "0": not_positive,
        }
        for quantity, message in cases.items():
            with self.subTest(quantity=quantity):
                form = self.url_open("/my/claims/new").text
                res = self.url_open(
                    "/my/claims/new",
                    data={
                        "csrf_token": self._csrf(form),
                        "move_line_id": self.delivered_line.id,
                        "claim_type": "return",
                        "quantity": quantity,
                        "description": "bad quantity",
                    },
                )
                self.assertEqual(res.status_code, 200)
                self.assertIn("o_qms_claim_error", res.text)
                # the page speaks the portal user's language
                shown = {
                    self.env(context={"lang": lang})._(message)
                    for lang in ("en_US", "zh_CN")
                }
                self.assertTrue(any(text in res.text for text in shown), shown)
        self.assertEqual(self.env["qms.claim"].search_count([]), before)

    # ------------------------------------------------------------ bad input
    def _post_claim(self, files=None, **data):
        form = self.url_open("/my/claims/new").text
        values = {
            "csrf_token": self._csrf(form),
            "move_line_id": self.delivered_line.id,
            "claim_type": "return",
            "quantity": "1",
            "description": "Zips break",
            **data,
        }
        return self.url_open("/my/claims/new", data=values, files=files, timeout=60)

    def _counts(self):
        return (
            self.env["qms.claim"].search_count([]),
            self.env["ir.attachment"].search_count([("res_model", "=", "qms.claim")]),
            self.env["mail.message"].search_count([("model", "=", "qms.claim")]),
        )

    def _assert_refused(self, res, message, before, **params):
        self.assertEqual(res.status_code, 200)
        self.assertIn("o_qms_claim_error", res.text)
        # the page speaks the portal user's language
        shown = {
            self.env(context={"lang": lang})._(message, **params)
            for lang in ("en_US", "zh_CN")
        }
        self.assertTrue(any(text in res.text for text in shown), shown)
        self.assertEqual(self._counts(), before)

    def test_portal_refuses_bad_lines_descriptions_and_files(self):
        """Another customer's delivery line, a line that does not exist, an
        empty or huge description, more than ten files, a file over 10 MB:
        each refused with a message in the form, nothing written."""
        self.authenticate("qms_portal_t", "qms_portal_t")
        before = self._counts()
        not_delivered = "Choose a product and lot that was delivered to your company."
        many = [
            ("attachments", (f"p{i}.jpg", b"\xff\xd8", "image/jpeg")) for i in range(11)
        ]
        big = [
            (
                "attachments",
                ("big.pdf", b"%" * (10 * 1024 * 1024 + 1), "application/pdf"),
            )
        ]
        # (form values, files, message, its placeholders)
        cases = [
            ({"move_line_id": str(self.other_line.id)}, None, not_delivered, {}),
            ({"move_line_id": "999999999"}, None, not_delivered, {}),
            ({"move_line_id": "abc"}, None, "Choose a delivered product.", {}),
            ({"move_line_id": ""}, None, not_delivered, {}),
            ({"description": ""}, None, "Describe the problem.", {}),
            ({"description": " \n\t "}, None, "Describe the problem.", {}),
            ({"description": "a\x00b"}, None, "the text holds a NUL character", {}),
            (
                {"description": "x" * 20_001},
                None,
                "The description is too long: at most %(limit)s characters.",
                {"limit": 20000},
            ),
            ({}, many, "Attach at most %(count)s files to a claim.", {"count": 10}),
            (
                {},
                big,
                "%(file)s is too large: at most %(size)s MB per file.",
                {"file": "big.pdf", "size": 10},
            ),
        ]
        for data, files, message, params in cases:
            with self.subTest(data=str(data)[:60], files=len(files or ())):
                res = self._post_claim(files=files, **data)
                self._assert_refused(res, message, before, **params)

    def test_portal_text_is_shown_as_text_everywhere(self):
        """HTML and script typed in the claim form (and in a file name) are kept
        as the customer's text: escaped on the portal page, stored escaped in the
        claim and its message, printed as text in the PDF, never run."""
        self.authenticate("qms_portal_t", "qms_portal_t")
        script = '<script>alert("x")</script>'
        tag = "<img src=x onerror=alert(1)>"
        text = f"{script}{tag}<b>Zips</b> 拉链坏了 a < b & c"
        res = self._post_claim(
            description=text,
            claim_type=f"return{script}",
            files=[("attachments", (f"{tag}.jpg", b"\xff\xd8", "image/jpeg"))],
        )
        self.assertEqual(res.status_code, 200)
        claim = self.env["qms.claim"].search([], order="id desc", limit=1)
        self.assertIn(f"/my/claims/{claim.id}", res.url)
        # an unknown request type falls back to a complaint
        self.assertEqual(claim.claim_type, "complaint")
        page = self.url_open(f"/my/claims/{claim.id}").text
        for html in (
            page,
            str(claim.description),
            *(str(body) for body in claim.message_ids.mapped("body")),
        ):
            self.assertNotIn("<script>alert", html)
            self.assertNotIn("<img src=x", html)
            self.assertNotIn("<b>Zips", html)
        self.assertIn("&lt;script&gt;alert", page)
        self.assertIn("&lt;b&gt;Zips&lt;/b&gt;", str(claim.description))
        self.assertIn(
            "&lt;script&gt;", "".join(str(b) for b in claim.message_ids.mapped("body"))
        )
        # the file keeps its name as text (a name, not a path: nothing to cut
        # here); the back office shows it escaped
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "qms.claim"), ("res_id", "=", claim.id)]
        )
        self.assertEqual(attachment.name, f"{tag}.jpg")
        report = "sales_qms.action_report_qms_claim"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(report, claim.ids)[0]
            .decode()
        )
        self.assertNotIn("<script>alert", html)
        self.assertNotIn("<img src=x", html)
        self.assertIn("&lt;script&gt;alert(", html)
        pdf, _fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True, lang="zh_CN")
            ._render_qweb_pdf(report, claim.ids)
        )
        # the PDF is printed from that HTML, the text as the customer typed it
        # (under HttpCase wkhtmltopdf loads the served web fonts, whose Latin
        # glyphs pdftotext cannot map back: the Chinese part is what it reads)
        self.assertIn("&lt;b&gt;Zips&lt;/b&gt; 拉链坏了 a &lt; b &amp; c", html)
        self.assertIn("拉链坏了", _pdf_text(pdf))
