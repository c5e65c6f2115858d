"""Every XML and CSV file of the addon parses; every model has access rules and,
where it belongs to a company, a multi-company record rule."""

import ast
import csv

from conftest import ADDON
from lxml import etree

ACCESS_CSV = ADDON / "security" / "ir.model.access.csv"


def test_xml_files_parse():
    files = sorted(ADDON.rglob("*.xml"))
    assert files
    for path in files:
        etree.parse(str(path))


def test_csv_files_parse():
    for path in sorted(ADDON.rglob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        assert rows, f"{path} is empty"
        width = len(rows[0])
        for n, row in enumerate(rows[1:], start=2):
            assert len(row) == width, f"{path}:{n} has {len(row)} columns, not {width}"


def _new_models():
    """(model name, has company_id) for every model the addon defines."""
    found = {}
    for path in [
        path
        for folder in ("models", "wizards", "report")
        for path in sorted((ADDON / folder).glob("*.py"))
    ]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in [n for n in tree.body if isinstance(n, ast.ClassDef)]:
            attrs = {}
            fields = set()
            for stmt in cls.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                    target = stmt.targets[0]
                    if isinstance(target, ast.Name):
                        if isinstance(stmt.value, (ast.Constant, ast.List)):
                            attrs[target.id] = ast.literal_eval(stmt.value)
                        fields.add(target.id)
            bases = {ast.unparse(b) for b in cls.bases}
            inherit = attrs.get("_inherit") or []
            inherit = [inherit] if isinstance(inherit, str) else inherit
            if (
                "_name" in attrs
                and attrs["_name"] not in inherit
                and "models.AbstractModel" not in bases
            ):
                found[attrs["_name"]] = "company_id" in fields
    return found


def test_every_model_has_access_rules():
    with ACCESS_CSV.open(encoding="utf-8") as f:
        covered = {
            row["model_id:id"].split(".")[-1].removeprefix("model_")
            for row in csv.DictReader(f)
        }
    for model in _new_models():
        assert model.replace(".", "_") in covered, f"no access rule for {model}"


def test_company_models_have_record_rules():
    rules = set()
    for path in (ADDON / "security").glob("*.xml"):
        for rec in etree.parse(str(path)).iter("record"):
            if rec.get("model") != "ir.rule":
                continue
            for field in rec.iter("field"):
                if field.get("name") == "model_id":
                    rules.add(field.get("ref").split(".")[-1].removeprefix("model_"))
    for model, has_company in _new_models().items():
        if has_company:
            assert model.replace(".", "_") in rules, f"no company rule for {model}"
