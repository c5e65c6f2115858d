from odoo import models


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    def do_scrap(self):
        res = super().do_scrap()
        for scrap in self.filtered("lot_id"):
            scrap.lot_id.action_qms_set_status(
                "scrapped",
                self.env._("Scrapped by %(scrap)s", scrap=scrap.name),
                source=scrap,
            )
        return res
