"""The README's API section works: its Python blocks run, in order, against a live
server on the test database (with its demo data), as an integrator would run them."""

import re

from conftest import REPO


def _api_blocks():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    api = text.split("\n## API\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", api, flags=re.S)


def test_api_examples_run(server, capsys):
    url, db = server
    blocks = _api_blocks()
    assert blocks, "the README has no API examples"
    assert 'URL, DB = "http://localhost:8069", "sales_qms_demo"' in blocks[0]
    namespace = {}
    for n, block in enumerate(blocks):
        code = block.replace(
            'URL, DB = "http://localhost:8069", "sales_qms_demo"',
            f"URL, DB = {url!r}, {db!r}",
        )
        try:
            exec(compile(code, f"README.md API block {n + 1}", "exec"), namespace)
        except Exception as exc:
            raise AssertionError(
                f"README API block {n + 1} failed: {exc}\n{block}"
            ) from exc
    assert "Huada Workwear" in capsys.readouterr().out
