"""zh_CN is first-class: the .pot holds every translatable term of the addon as
Odoo extracts it now, and zh_CN.po translates every one of them."""

import os

import polib
import pytest
from conftest import ADDON

I18N = ADDON / "i18n"


def _entries(path):
    return {(e.msgctxt, e.msgid): e for e in polib.pofile(str(path)) if not e.obsolete}


def test_po_translates_every_pot_term():
    pot = _entries(I18N / "sales_qms.pot")
    po = _entries(I18N / "zh_CN.po")
    missing = [
        msgid
        for key, e in pot.items()
        if not (po.get(key) and po[key].msgstr)
        for msgid in [e.msgid]
    ]
    assert not missing, f"{len(missing)} terms without zh_CN: {missing[:20]}"
    stale = [key[1] for key in po if key not in pot]
    assert not stale, f"zh_CN.po has terms the .pot no longer has: {stale[:20]}"


def test_placeholders_are_kept():
    for e in polib.pofile(str(I18N / "zh_CN.po")):
        for token in ("%s", "%(", "{"):
            if e.msgstr and token in e.msgid:
                assert token in e.msgstr, f"{e.msgid!r} lost {token!r} in zh_CN"


def test_pot_is_current():
    """Extract the terms from the installed module, the way `--i18n-export` does,
    and compare them with the committed .pot."""
    from odoo.modules.registry import Registry
    from odoo.tools.translate import TranslationModuleReader

    db = os.environ.get("QMS_TEST_DB")
    if not db:
        pytest.fail("QMS_TEST_DB is not set: run the suite with `make test`")
    with Registry(db).cursor() as cr:
        reader = TranslationModuleReader(cr, modules=["sales_qms"], lang="zh_CN")
        extracted = {row[4] for row in reader}
    committed = {msgid for (_ctx, msgid) in _entries(I18N / "sales_qms.pot")}
    assert extracted, "nothing extracted: is sales_qms installed?"
    new = extracted - committed
    gone = committed - extracted
    assert not new and not gone, (
        f"sales_qms.pot is stale (run `make pot`): new terms {sorted(new)[:20]}, "
        f"terms no longer used {sorted(gone)[:20]}"
    )
