"""The manifest: version, license and Community-only dependencies."""

import ast

from conftest import ADDON, manifest

REQUIRED_DIRS = [
    "models",
    "views",
    "security",
    "data",
    "demo",
    "report",
    "wizards",
    "tests",
    "i18n",
    "readme",
]


def _module_manifest(odoo_src, name):
    for root in (odoo_src / "addons", odoo_src / "odoo" / "addons"):
        path = root / name / "__manifest__.py"
        if path.exists():
            return ast.literal_eval(path.read_text(encoding="utf-8"))
    return None


def test_version_and_license():
    m = manifest()
    assert m["version"].startswith("18.0."), m["version"]
    assert len(m["version"].split(".")) == 5, "version is 18.0.x.y.z"
    assert m["license"] == "LGPL-3"
    assert m["installable"] is True


def test_dependencies_are_community_lgpl(odoo_src):
    """Every module in the dependency closure is a Community LGPL-3 module of the
    Odoo tree (none is Enterprise, none is OEEL-1)."""
    seen = {}
    todo = list(manifest()["depends"])
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        dep = _module_manifest(odoo_src, name)
        assert dep is not None, f"dependency {name!r} is not an Odoo Community module"
        seen[name] = dep.get("license", "LGPL-3")
        todo.extend(dep.get("depends", []))
    bad = {name: lic for name, lic in seen.items() if lic != "LGPL-3"}
    assert not bad, f"non-LGPL dependencies: {bad}"
    assert {"sale_management", "sale_stock", "sale_margin", "mail"} <= set(seen)


def test_layout():
    for d in REQUIRED_DIRS:
        assert (ADDON / d).is_dir(), f"sales_qms/{d}/ is missing"
    assert (ADDON / "static" / "description" / "icon.png").is_file()
    for name in ("sales_qms.pot", "zh_CN.po"):
        assert (ADDON / "i18n" / name).is_file()


def test_manifest_files_exist():
    m = manifest()
    for key in ("data", "demo"):
        for rel in m.get(key, []):
            assert (ADDON / rel).is_file(), f"{key} file {rel} is missing"
