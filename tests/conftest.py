"""Repo-level tests: they read the addon's files and, for end-to-end tests, start
a real Odoo server on the test database that `make test` prepared."""

import ast
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ADDON = REPO / "sales_qms"


def manifest():
    return ast.literal_eval((ADDON / "__manifest__.py").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def odoo_src():
    odoo_bin = os.environ.get("QMS_ODOO_BIN")
    if not odoo_bin:
        pytest.fail("QMS_ODOO_BIN is not set: run the suite with `make test`")
    return Path(odoo_bin).parent
