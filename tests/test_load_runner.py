"""The load test's own tools (benchmarks/load/run_load.py), which `make test`
can check without Locust: the causes it reads from the servers' logs, and the
nginx configuration it starts Odoo behind."""

import subprocess
import sys

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks" / "load"))
import run_load

# lines as Odoo 18 and nginx 1.22 write them (format of a `make load` run)
ODOO_LINES = (
    "2026-12-02 14:31:07,412 81234 ERROR qms_load odoo.sql_db: bad query: "
    "b'SELECT id FROM stock_quant WHERE id IN (41, 42) ORDER BY lot_id LIMIT 1 "
    "FOR NO KEY UPDATE SKIP LOCKED'\n"
    "ERROR: could not serialize access due to concurrent update\n"
    " \n"
    "2026-12-02 14:31:09,020 81236 ERROR qms_load werkzeug: 127.0.0.1 - - "
    "[02/Dec/2026 14:31:09] Request timed out: TimeoutError('timed out')\n"
    "2026-12-02 14:31:10,101 81236 WARNING qms_load odoo.http: a warning, not an error\n"
)
NGINX_LINE = (
    "2026/12/02 14:31:09 [error] 9123#9123: *4411 upstream prematurely closed "
    "connection while reading response header from upstream, client: 127.0.0.1, "
    'server: , request: "POST /web/session/authenticate HTTP/1.1", upstream: '
    '"http://127.0.0.1:40113/web/session/authenticate", host: "127.0.0.1:40555"\n'
)


def test_causes_read_from_the_logs_of_the_run_only(tmp_path):
    odoo_log, nginx_log = tmp_path / "odoo.log", tmp_path / "error.log"
    # what an earlier level of the run logged is not this level's
    odoo_log.write_text(ODOO_LINES, encoding="utf-8")
    nginx_log.write_text(NGINX_LINE, encoding="utf-8")
    server = run_load.ServerSide({"odoo": str(odoo_log), "nginx": str(nginx_log)})
    assert server.causes() == []
    with odoo_log.open("a", encoding="utf-8") as f:
        f.write(ODOO_LINES * 2)
    with nginx_log.open("a", encoding="utf-8") as f:
        f.write(NGINX_LINE * 3)
    causes = {
        (name, cause): n for n, name, cause in server.causes() if name != "kernel"
    }
    assert causes == {
        (
            "nginx",
            "upstream prematurely closed connection while reading response header "
            "from upstream",
        ): 3,
        (
            "odoo",
            "could not serialize access due to concurrent update <- odoo.sql_db: bad "
            "query: b'SELECT id FROM stock_quant WHERE id IN (N, N) ORDER BY lot_id "
            "LIMIT N FOR NO KEY UPDATE SKIP LOCKED'"[:150],
        ): 2,
        (
            "odoo",
            "werkzeug: N.N.N.N - - [N/Dec/N N:N:N] Request timed out: "
            "TimeoutError('timed out')",
        ): 2,
    }


def test_no_log_without_a_proxy(tmp_path):
    odoo_log = tmp_path / "odoo.log"  # Odoo has not created it yet
    server = run_load.ServerSide({"odoo": str(odoo_log), "nginx": None})
    odoo_log.write_text(ODOO_LINES, encoding="utf-8")
    assert sorted(n for n, name, _c in server.causes() if name == "odoo") == [1, 1]


def test_listen_overflows_is_the_kernel_counter():
    with open("/proc/net/netstat", encoding="ascii") as f:
        assert "ListenOverflows" in f.read()
    assert run_load.listen_overflows() >= 0


@pytest.mark.skipif(
    not run_load.NGINX, reason="nginx is installed by `make load`, not by `make test`"
)
def test_nginx_accepts_the_configuration(tmp_path):
    conf, error_log = tmp_path / "nginx.conf", tmp_path / "error.log"
    conf.write_text(
        run_load.NGINX_CONF.format(
            dir=tmp_path, error_log=error_log, odoo=8069, gevent=8072, port=18069
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [
            run_load.NGINX,
            "-t",
            "-p",
            str(tmp_path),
            "-c",
            str(conf),
            "-e",
            str(error_log),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
