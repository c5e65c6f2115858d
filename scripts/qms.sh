#!/usr/bin/env bash
# sales_qms set-up and commands: `qms.sh run | test | test-odoo | lint | pot | bench | stress | stop | reset`.
# Installs what is missing, finds Odoo 18.0, runs PostgreSQL (the one PG* points to,
# or a private cluster), keeps a template database of the dependencies, then acts.
set -Eeuo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ "$(id -u)" = 0 ]; then DEFAULT_CACHE=/var/cache/sales_qms; else DEFAULT_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/sales_qms; fi
CACHE=${QMS_CACHE:-$DEFAULT_CACHE}
VENV=$CACHE/venv
PY=$VENV/bin/python
DATA_DIR=$CACHE/data
# one config and one test database per checkout, so two clones can test side by side
CHECKOUT_ID=$(printf %s "$REPO" | sha1sum | cut -c1-8)
CONF=$CACHE/odoo-$CHECKOUT_ID.conf
INSTALL_LOG=$CACHE/install-$CHECKOUT_ID.log
HTTP_PORT=${QMS_HTTP_PORT:-8069}
DEMO_DB=${QMS_DB:-sales_qms_demo}
TEST_DB=${QMS_TEST_DB:-sales_qms_test_$CHECKOUT_ID}
PG_PORT_PRIVATE=${QMS_PG_PORT:-55432}
PG_DIR=$CACHE/pg
APT_PACKAGES=()
export PGOPTIONS="-c client_min_messages=warning"

# no silent exit: name the command that failed
trap 'printf "\033[1;31m[sales_qms] error:\033[0m exit %s at %s:%s: %s\n" "$?" "${BASH_SOURCE[0]##*/}" "$LINENO" "$BASH_COMMAND" >&2' ERR

say() { printf '\033[1m[sales_qms]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[sales_qms] error:\033[0m %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

# ---------------------------------------------------------------- system packages
need_apt() { APT_PACKAGES+=("$@"); }

check_system() {
    command -v python3 >/dev/null || need_apt python3
    python3 -c 'import ensurepip, venv' 2>/dev/null || need_apt python3-venv
    command -v git >/dev/null || need_apt git
    command -v wkhtmltopdf >/dev/null || need_apt wkhtmltopdf
    command -v pdftotext >/dev/null || need_apt poppler-utils
    # no `grep -q` on a pipe: with pipefail, fc-list's SIGPIPE would fail the test
    [[ "$(fc-list : family 2>/dev/null)" == *"Noto Sans CJK"* ]] || need_apt fonts-noto-cjk
    find_chrome >/dev/null || need_apt chromium
    if ! use_external_pg; then pg_bindir >/dev/null || need_apt postgresql; fi
    command -v psql >/dev/null || need_apt postgresql-client
    install_apt
}

install_apt() { # the packages need_apt collected, if any
    [ ${#APT_PACKAGES[@]} -eq 0 ] && return 0
    if ! is_root; then
        die "missing system packages: ${APT_PACKAGES[*]}. Install them (sudo apt-get install ${APT_PACKAGES[*]}) or run as root; for PostgreSQL you may instead point PGHOST/PGPORT/PGUSER/PGPASSWORD at a server."
    fi
    say "installing system packages: ${APT_PACKAGES[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || die "apt-get update failed: check the network or install ${APT_PACKAGES[*]} by hand"
    apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}" >/dev/null \
        || die "apt-get install ${APT_PACKAGES[*]} failed"
}

find_chrome() {
    local b
    for b in chromium chromium-browser google-chrome google-chrome-stable; do
        command -v "$b" && return 0
    done
    return 1
}

# ---------------------------------------------------------------- Odoo source
find_odoo() {
    local src=${ODOO_SRC:-}
    if [ -n "$src" ]; then
        [ -f "$src/odoo-bin" ] || die "ODOO_SRC=$src holds no odoo-bin: point it at an Odoo 18.0 source tree"
    elif [ -f /opt/odoo/18.0/odoo-bin ]; then
        src=/opt/odoo/18.0
    else
        src=$CACHE/odoo
        if [ ! -f "$src/odoo-bin" ]; then
            say "no Odoo found: cloning the official 18.0 branch into $src (about 1 GB)"
            rm -rf "$src"
            git clone -q --depth 1 --branch 18.0 https://github.com/odoo/odoo.git "$src" \
                || die "no Odoo 18.0 found and the clone failed (no network?): set ODOO_SRC=/path/to/odoo-18.0, or put the tree at /opt/odoo/18.0"
        fi
    fi
    grep -Eq '^version_info = \(18, 0,' "$src/odoo/release.py" 2>/dev/null \
        || die "the Odoo at $src is not 18.0 ($(grep -E '^version_info' "$src/odoo/release.py" 2>/dev/null || echo 'no odoo/release.py')): set ODOO_SRC to an Odoo 18.0 tree"
    ODOO=$src
}

odoo_revision() {
    if git -C "$ODOO" rev-parse HEAD 2>/dev/null; then return; fi
    # an unpacked tree: its release and the manifests of its modules identify it
    (cat "$ODOO/odoo/release.py"; find "$ODOO/addons" "$ODOO/odoo/addons" -maxdepth 2 -name __manifest__.py -printf '%P %s %T@\n' | sort) | sha1sum | cut -c1-16
}

# ---------------------------------------------------------------- Python
link_odoo() { # Odoo importable from the virtualenv, the standard way: a .pth file
    local site
    site=$("$PY" -c 'import sysconfig; print(sysconfig.get_path("purelib"))') \
        || die "cannot read the site-packages folder of $VENV"
    printf '%s\n' "$ODOO" > "$site/odoo_src.pth"
}

venv_pip() { # venv_pip <venv> <what> <pip args>: "pip could not <what>" if it fails
    local venv=$1 what=$2 rc
    shift 2
    # pip's status is checked, not the filter's (a pip config may name missing
    # local indexes, which pip reports on every package); the filter finding
    # nothing to print is no error
    set +e
    "$venv/bin/pip" install -q "$@" 2>&1 | { grep -v "is ignored: it is neither" >&2 || true; }
    rc=${PIPESTATUS[0]}
    set -e
    [ "$rc" = 0 ] || die "pip could not $what (exit $rc, see above)"
}

ensure_venv() {
    mkdir -p "$CACHE"
    local reqs stamp
    reqs=$CACHE/requirements.txt
    python3 "$REPO/scripts/odoo_requirements.py" "$ODOO/requirements.txt" > "$reqs"
    stamp=$( (cat "$reqs" "$REPO/scripts/requirements-dev.txt"; python3 --version) | sha1sum | cut -c1-16)
    if [ -x "$PY" ] && [ "$(cat "$VENV/.stamp" 2>/dev/null)" = "$stamp" ]; then link_odoo; return; fi
    say "creating the virtualenv in $VENV (Odoo's requirements, pytest-odoo, linters)"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    venv_pip "$VENV" "upgrade itself in $VENV" --upgrade pip wheel setuptools
    venv_pip "$VENV" "install Odoo's requirements" -r "$reqs" -r "$REPO/scripts/requirements-dev.txt"
    link_odoo
    "$VENV/bin/python" -c "import odoo, psycopg2, lxml, werkzeug, pytest_odoo, websocket" \
        || die "the virtualenv cannot import Odoo or its requirements (see above)"
    echo "$stamp" > "$VENV/.stamp"
}

# ---------------------------------------------------------------- PostgreSQL
use_external_pg() { [ -n "${PGHOST:-}${PGPORT:-}${PGUSER:-}${PGDATABASE:-}" ]; }

pg_bindir() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    done
    command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
    return 1
}

PG_BINDIR=
as_pg_owner() {
    if is_root; then runuser -u "$PG_OS_USER" -- "$@"; else "$@"; fi
}

ensure_pg() {
    if use_external_pg; then
        DB_HOST=${PGHOST:-}; DB_PORT=${PGPORT:-5432}; DB_USER=${PGUSER:-$(id -un)}; DB_PASSWORD=${PGPASSWORD:-}
        export PGHOST PGPORT PGUSER PGPASSWORD
        psql -d postgres -Atqc 'select 1' >/dev/null 2>&1 \
            || die "cannot reach the PostgreSQL server that PG* points to (PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGUSER=${PGUSER:-}); fix the variables or unset them to use a private cluster"
        if [ "$DB_USER" = postgres ]; then
            die "Odoo refuses to connect as 'postgres': set PGUSER to another role with CREATEDB"
        fi
        return 0
    fi
    local bindir pgdir
    bindir=$(pg_bindir) || die "PostgreSQL is not installed: install the postgresql package (as root: apt-get install postgresql) or set PGHOST/PGPORT/PGUSER to a server"
    pgdir=$PG_DIR
    PG_OS_USER=$(id -un)
    if is_root; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
        PG_OS_USER=postgres
    fi
    mkdir -p "$pgdir/run"
    # only the folders: the cluster may be writing its files (another run uses it)
    if is_root; then
        chown postgres: "$pgdir" "$pgdir/run"
        # the cluster's owner must reach its folder, whatever QMS_CACHE is (a
        # mktemp -d folder is 0700 root)
        local d=$pgdir
        while [ "$d" != / ]; do
            d=$(dirname "$d")
            runuser -u postgres -- test -x "$d" 2>/dev/null || chmod o+x "$d"
        done
    fi
    # every command using the cluster holds a shared lock; the last one to leave
    # stops it, so `make test` never stops the cluster `make run` serves from
    exec 8>>"$pgdir/users.lock"
    flock -s 8
    # creating, checking and starting the cluster: one command at a time
    exec 6>>"$pgdir/start.lock"
    flock 6
    if [ ! -f "$pgdir/data/PG_VERSION" ]; then
        say "creating a private PostgreSQL cluster in $pgdir/data (port $PG_PORT_PRIVATE)"
        as_pg_owner "$bindir/initdb" -D "$pgdir/data" -U odoo --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null \
            || die "initdb failed in $pgdir/data"
    fi
    if ! as_pg_owner "$bindir/pg_ctl" -D "$pgdir/data" status >/dev/null 2>&1; then
        if (exec 3<>"/dev/tcp/127.0.0.1/$PG_PORT_PRIVATE") 2>/dev/null; then
            die "port $PG_PORT_PRIVATE is taken by another program: set QMS_PG_PORT to a free port"
        fi
        as_pg_owner "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/postgresql.log" -w -t 60 \
            -o "-p $PG_PORT_PRIVATE -k $pgdir/run -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
            start >/dev/null 8>&- 6>&- || die "PostgreSQL did not start: see $pgdir/postgresql.log"
    fi
    flock -u 6
    PG_BINDIR=$bindir
    PG_DATA=$pgdir/data
    DB_HOST=127.0.0.1; DB_PORT=$PG_PORT_PRIVATE; DB_USER=odoo; DB_PASSWORD=
    export PGHOST=$DB_HOST PGPORT=$DB_PORT PGUSER=$DB_USER
}

stop_pg() { # the last command using the private cluster stops it
    if [ -n "$PG_BINDIR" ] && flock -xn 8; then
        as_pg_owner "$PG_BINDIR/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null 2>&1 || true
    fi
    PG_BINDIR=
}

db_exists() { [ "$(psql -d postgres -Atqc "select 1 from pg_database where datname='$1'")" = 1 ]; }

drop_db() {
    psql -d postgres -qc "drop database if exists \"$1\" with (force)" >/dev/null
    rm -rf "$DATA_DIR/filestore/$1"
}

copy_db() { # template -> new, with the filestore Odoo keeps beside it
    drop_db "$2"
    psql -d postgres -qc "create database \"$2\" template \"$1\"" >/dev/null
    if [ -d "$DATA_DIR/filestore/$1" ]; then
        mkdir -p "$DATA_DIR/filestore"
        cp -a "$DATA_DIR/filestore/$1" "$DATA_DIR/filestore/$2"
    fi
}

# ---------------------------------------------------------------- Odoo config and template
write_conf() {
    mkdir -p "$DATA_DIR"
    cat > "$CONF" <<CONF
[options]
addons_path = $ODOO/addons,$ODOO/odoo/addons,$REPO
data_dir = $DATA_DIR
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = $DB_PASSWORD
http_port = $HTTP_PORT
list_db = True
without_demo = False
CONF
}

odoo_bin() { "$PY" "$ODOO/odoo-bin" -c "$CONF" "$@"; }

module_depends() {
    "$PY" - "$REPO/sales_qms/__manifest__.py" <<'PYEOF'
import ast, sys
print(",".join(sorted(ast.literal_eval(open(sys.argv[1]).read())["depends"])))
PYEOF
}

ensure_template() {
    local deps key
    deps=$(module_depends)
    # a template's tables belong to the role that built it: one template per role
    key=$( (odoo_revision; echo "$deps"; echo zh_CN demo; echo "$DB_USER") | sha1sum | cut -c1-12)
    TEMPLATE=qms_tmpl_$key
    # one checkout builds a template while the others wait for it
    exec 7>>"$CACHE/template.lock"
    flock 7
    if db_exists "$TEMPLATE"; then
        flock -u 7
        say "dependency template $TEMPLATE is ready (Odoo $(odoo_revision | cut -c1-12), $deps)"
        return
    fi
    say "building the dependency template $TEMPLATE: $deps with demo data and zh_CN (a few minutes, once)"
    drop_db "${TEMPLATE}_build"
    odoo_bin -d "${TEMPLATE}_build" -i "$deps" --load-language=zh_CN --stop-after-init \
        --log-level=warn >"$CACHE/template.log" 2>&1 \
        || { tail -n 40 "$CACHE/template.log" >&2; die "installing $deps failed (log: $CACHE/template.log)"; }
    psql -d postgres -qc "alter database \"${TEMPLATE}_build\" rename to \"$TEMPLATE\"" >/dev/null
    if [ -d "$DATA_DIR/filestore/${TEMPLATE}_build" ]; then
        rm -rf "$DATA_DIR/filestore/$TEMPLATE"
        mv "$DATA_DIR/filestore/${TEMPLATE}_build" "$DATA_DIR/filestore/$TEMPLATE"
    fi
    # older templates belong to other Odoo revisions or dependency lists: the three
    # newest stay (checkouts on other branches use them), and one that another
    # checkout is copying right now stays too (no forced drop)
    local old
    for old in $(psql -d postgres -Atqc "select datname from pg_database where datname like 'qms\_tmpl\_%' and datname <> '$TEMPLATE' order by oid desc offset 2"); do
        if psql -d postgres -qc "drop database if exists \"$old\"" >/dev/null 2>&1; then
            rm -rf "$DATA_DIR/filestore/$old"
        fi
    done
    flock -u 7
}

new_qms_db() { # a fresh copy of the template with sales_qms installed
    # new_qms_db <db> same-data: without sales_qms's demo data, so that the
    # database holds the same data as the template (a module installed into a
    # database with demo data gets its demo data too; clearing the flag keeps
    # the template's data and adds only sales_qms's own)
    copy_db "$TEMPLATE" "$1"
    if [ "${2:-}" = same-data ]; then
        psql -d "$1" -qc "update ir_module_module set demo = false" >/dev/null
    fi
    odoo_bin -d "$1" -i sales_qms --stop-after-init --log-level=warn >"$INSTALL_LOG" 2>&1 \
        || { tail -n 60 "$INSTALL_LOG" >&2; drop_db "$1"; die "installing sales_qms into $1 failed (log: $INSTALL_LOG)"; }
}

setup() {
    check_system
    find_odoo
    ensure_venv
    ensure_pg
    trap stop_pg EXIT
    write_conf
    ensure_template
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- commands
cmd_run() {
    port_busy "$HTTP_PORT" && die "port $HTTP_PORT is busy: stop the program that listens there, or set QMS_HTTP_PORT to a free port"
    setup
    if ! db_exists "$DEMO_DB"; then
        say "creating the demo database $DEMO_DB"
        new_qms_db "$DEMO_DB"
    else
        say "updating sales_qms in $DEMO_DB"
        odoo_bin -d "$DEMO_DB" -u sales_qms --stop-after-init --log-level=warn \
            || die "updating sales_qms in $DEMO_DB failed"
    fi
    cat >&2 <<TXT

  Sales QMS is served on  http://localhost:$HTTP_PORT
  database                $DEMO_DB
  logins (login / password):
    admin / admin           administrator, QMS manager
    qms_manager / qms       quality manager (QMS manager)
    gm / gm                 general manager (signs special contracts)
    sales / sales           salesperson
    sales_manager, engineer, production, buyer, finance (password = login)
                            department reviewers of contracts
    keeper / keeper         warehouse keeper
    inspector / inspector   QC inspector
    service / service       customer service
    customer / customer     portal customer (/my/claims)
  Ctrl-C stops Odoo and the private PostgreSQL cluster.

TXT
    odoo_bin -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" --http-port="$HTTP_PORT" --log-level=info
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

cmd_test() {
    # the test server listens on a free port: a served demo or another checkout's
    # tests may hold 8069
    HTTP_PORT=${QMS_HTTP_PORT:-$(free_port)}
    setup
    say "fresh test database $TEST_DB from $TEMPLATE"
    new_qms_db "$TEST_DB"
    if grep -E ' (ERROR|WARNING) ' "$INSTALL_LOG" >&2; then
        die "installing sales_qms logged the errors or warnings above"
    fi
    export QMS_ODOO_CONF=$CONF QMS_TEST_DB=$TEST_DB QMS_PYTHON=$PY QMS_ODOO_BIN=$ODOO/odoo-bin
    export QMS_TEMPLATE_DB=$TEMPLATE
    export CHROME_BIN=${CHROME_BIN:-$(find_chrome)}
    local rc=0
    (cd "$REPO" && "$PY" -m pytest -p no:cacheprovider \
        --odoo-config="$CONF" --odoo-database="$TEST_DB" --odoo-http --odoo-log-level=warn \
        "$@" sales_qms/tests tests) || rc=$?
    stop_pg
    exit $rc  # exit, not return: a failed run must end on pytest's summary line
}

cmd_test_odoo() { # the addon's tests under Odoo's own runner, as OCA's CI runs them
    HTTP_PORT=${QMS_HTTP_PORT:-$(free_port)}
    setup
    local db=${TEST_DB}_odoo log=$CACHE/test-odoo-$CHECKOUT_ID.log rc=0
    say "Odoo's runner: $db from $TEMPLATE, -i sales_qms --test-enable --test-tags /sales_qms (log: $log)"
    copy_db "$TEMPLATE" "$db"
    export CHROME_BIN=${CHROME_BIN:-$(find_chrome)}
    # the browser tours find Chrome on PATH (Odoo looks for chromium there too)
    odoo_bin -d "$db" --db-filter="^$db\$" --http-port="$HTTP_PORT" --http-interface=127.0.0.1 \
        --workers=0 --max-cron-threads=0 -i sales_qms --test-enable --test-tags /sales_qms \
        --stop-after-init --log-level=test >"$log" 2>&1 || rc=$?
    # in test mode Odoo's HTTP server drops a connection idle for 5 s (Chrome's
    # preconnects) and Python's http.server logs that as an error: not a failure
    local errors
    # errors the browser sends once its tour is over (an asset still loading
    # when Chrome is closed) belong to no test: Odoo's runner does not count
    # them either
    errors=$(grep -E ' (ERROR|CRITICAL) ' "$log" \
        | grep -v -e 'werkzeug: .*Request timed out: TimeoutError' -e '\.browser: Error received after termination: ' || true)
    [ -z "$errors" ] || printf '%s\n' "$errors" >&2
    grep -E ' [0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests|odoo.tests.stats: sales_qms: ' "$log" >&2 || true
    # Odoo exits 1 on failed tests; an error logged outside a test fails too
    if [ "$rc" = 0 ] && [ -n "$errors" ]; then rc=1; fi
    grep -qE 'odoo.tests.stats: sales_qms: [0-9]+ tests' "$log" || { say "no sales_qms test ran (see $log)"; rc=1; }
    drop_db "$db"
    stop_pg
    [ "$rc" = 0 ] || die "Odoo's test runner failed (exit $rc): see $log"
    say "Odoo's test runner: sales_qms tests passed"
}

cmd_lint() {
    find_odoo
    ensure_venv
    cd "$REPO"
    "$VENV/bin/ruff" check . && "$VENV/bin/ruff" format --check . \
        && "$VENV/bin/pylint" --rcfile=.pylintrc sales_qms
}

cmd_pot() { # regenerate sales_qms.pot from the installed module, merge zh_CN.po
    setup
    local db=${TEST_DB}_i18n
    new_qms_db "$db"
    odoo_bin -d "$db" --modules=sales_qms --i18n-export="$REPO/sales_qms/i18n/sales_qms.pot" \
        --stop-after-init --log-level=warn || die "exporting the terms failed"
    "$PY" "$REPO/scripts/i18n_merge.py" "$REPO/sales_qms/i18n/sales_qms.pot" "$REPO/sales_qms/i18n/zh_CN.po"
    drop_db "$db"
}

cmd_bench() { # the benchmarks print figures; they are not tests
    # BENCH=service (a part of the name) runs only the matching benchmarks
    local only=${BENCH:-}
    setup
    local plain=${TEST_DB}_bench_plain qms=${TEST_DB}_bench f start=$SECONDS
    copy_db "$TEMPLATE" "$plain"
    new_qms_db "$qms"
    if [ -z "$only" ] || [[ confirm_validate == *"$only"* ]]; then
        # on the same data: the template, and the template with sales_qms installed
        # without its demo data
        local same=${TEST_DB}_bench_same
        new_qms_db "$same" same-data
        say "confirm a 50-line order and validate its delivery: plain Odoo ($plain) vs sales_qms ($same), the same data, alternated runs"
        "$PY" "$REPO/benchmarks/bench_confirm_validate.py" -c "$CONF" --plain "$plain" --qms "$same" \
            || die "bench_confirm_validate.py failed"
        say "where the time goes (cProfile)"
        "$PY" "$REPO/benchmarks/profile_confirm_validate.py" -c "$CONF" --plain "$plain" --qms "$same" --runs 3 \
            || die "profile_confirm_validate.py failed"
        drop_db "$same"
    fi
    for f in "$REPO"/benchmarks/bench_*.py; do
        case "$(basename "$f")" in
            bench_confirm_validate.py) continue ;;  # above
            bench_replica.py) continue ;;  # needs a replica: make scale
        esac
        [ -z "$only" ] || [[ $(basename "$f") == *"$only"* ]] || continue
        say "$(basename "$f")"
        "$PY" "$f" -c "$CONF" -d "$qms" || die "$(basename "$f") failed"
    done
    drop_db "$plain"
    drop_db "$qms"
    say "make bench took $(( (SECONDS - start) / 60 )) min $(( (SECONDS - start) % 60 )) s"
}

# ---------------------------------------------------------------- scale-out
REPLICA_DIR=
replica_start() { # a hot standby of the private cluster: pg_basebackup, streaming
    local port=$1
    REPLICA_DIR=$CACHE/pg-replica-$CHECKOUT_ID
    replica_stop
    mkdir -p "$REPLICA_DIR/run"
    is_root && chown -R postgres: "$REPLICA_DIR"
    say "streaming replica of the cluster in $REPLICA_DIR (pg_basebackup of $(du -sh "$PG_DATA" 2>/dev/null | cut -f1), hot standby on port $port)"
    # a replication slot keeps on the primary the WAL the replica has not
    # received yet (other jobs may write much meanwhile); replica_stop drops it
    REPLICA_SLOT=qms_replica_$CHECKOUT_ID
    replica_drop_slot
    as_pg_owner "$PG_BINDIR/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT_PRIVATE" -U odoo \
        -D "$REPLICA_DIR/data" -R -X stream -c fast -C -S "$REPLICA_SLOT" \
        || die "pg_basebackup failed: the cluster must allow replication connections from 127.0.0.1 (initdb's default)"
    as_pg_owner "$PG_BINDIR/pg_ctl" -D "$REPLICA_DIR/data" -l "$REPLICA_DIR/postgresql.log" -w -t 120 \
        -o "-p $port -k $REPLICA_DIR/run -c listen_addresses=127.0.0.1 -c hot_standby=on -c hot_standby_feedback=on -c fsync=off" \
        start >/dev/null 8>&- 7>&- || die "the replica did not start: see $REPLICA_DIR/postgresql.log"
}

replica_stop() {
    [ -n "$REPLICA_DIR" ] || return 0
    if [ -f "$REPLICA_DIR/data/PG_VERSION" ]; then
        as_pg_owner "$PG_BINDIR/pg_ctl" -D "$REPLICA_DIR/data" -m fast stop >/dev/null 2>&1 || true
    fi
    rm -rf "$REPLICA_DIR"
    replica_drop_slot
}

REPLICA_SLOT=
replica_drop_slot() { # a forgotten slot would keep WAL on the primary for ever
    [ -n "$REPLICA_SLOT" ] || return 0
    psql -d postgres -qAtc "select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '$REPLICA_SLOT'" >/dev/null 2>&1 || true
}

replica_wait() { # until the replica has replayed what the primary wrote so far
    # (the insert position: with synchronous_commit = off a commit may still be
    # in the WAL buffers, behind pg_current_wal_lsn)
    local port=$1 lsn i
    lsn=$(psql -d postgres -Atqc "select pg_current_wal_insert_lsn()")
    for i in $(seq 120); do
        [ "$(psql -p "$port" -d postgres -Atqc "select pg_last_wal_replay_lsn() >= '$lsn'::pg_lsn" 2>/dev/null)" = t ] && return 0
        sleep 0.5
    done
    die "the replica on port $port did not catch up with the primary (see $REPLICA_DIR/postgresql.log)"
}

cmd_scale() { # Odoo with workers reading from a PostgreSQL streaming replica, tested
    use_external_pg && die "make scale builds a replica of the private cluster: unset the PG* variables"
    setup
    local db=${TEST_DB}_scale port rc=0 start=$SECONDS
    port=${QMS_PG_REPLICA_PORT:-$(free_port)}
    trap 'replica_stop; stop_pg' EXIT
    say "fresh database $db with sales_qms and its demo data"
    new_qms_db "$db"
    replica_start "$port"
    replica_wait "$port"
    export QMS_ODOO_CONF=$CONF QMS_SCALE_DB=$db QMS_PYTHON=$PY QMS_ODOO_BIN=$ODOO/odoo-bin \
        QMS_PRIMARY_PORT=$PG_PORT_PRIVATE QMS_REPLICA_PORT=$port QMS_SCALE_LOG=$CACHE/scale.log
    say "tests/test_replica.py: Odoo with workers, read-only calls on the replica, writes on the primary"
    (cd "$REPO" && "$PY" -m pytest -p no:cacheprovider -p no:odoo -v tests/test_replica.py "$@") || rc=$?
    if [ "$rc" = 0 ] && [ -z "${QMS_SCALE_NO_BENCH:-}" ]; then
        say "benchmarks/bench_replica.py: the same calls with and without the replica"
        "$PY" "$REPO/benchmarks/bench_replica.py" -c "$CONF" -d "$db" \
            --primary-port "$PG_PORT_PRIVATE" --replica-port "$port" || rc=$?
    fi
    replica_stop
    drop_db "$db"
    say "make scale took $((SECONDS - start)) s"
    exit $rc
}

cmd_load() { # Locust against Odoo with workers: plain Odoo and sales_qms
    setup
    local plain=${TEST_DB}_load_plain qms=${TEST_DB}_load lvenv=$CACHE/venv-load stamp
    # Locust in its own virtualenv: its dependencies (gevent, flask, werkzeug)
    # must not move the versions Odoo runs with; CI does not install it
    stamp=$( (cat "$REPO/scripts/requirements-load.txt"; python3 --version) | sha1sum | cut -c1-16)
    if [ "$(cat "$lvenv/.stamp" 2>/dev/null)" != "$stamp" ]; then
        say "installing Locust into $lvenv (scripts/requirements-load.txt)"
        rm -rf "$lvenv"
        python3 -m venv "$lvenv"
        venv_pip "$lvenv" "install Locust (scripts/requirements-load.txt)" \
            -r "$REPO/scripts/requirements-load.txt"
        echo "$stamp" > "$lvenv/.stamp"
    fi
    # nginx in front of Odoo, as in production (README "Scaling out")
    APT_PACKAGES=()
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt nginx
    install_apt
    copy_db "$TEMPLATE" "$plain"
    new_qms_db "$qms"
    say "load test: plain Odoo ($plain) and sales_qms ($qms), Odoo with workers behind nginx on 127.0.0.1"
    local rc=0
    QMS_ODOO_BIN=$ODOO/odoo-bin "$PY" "$REPO/benchmarks/load/run_load.py" -c "$CONF" \
        --plain "$plain" --qms "$qms" --locust "$lvenv/bin/locust" "$@" || rc=$?
    drop_db "$plain"
    drop_db "$qms"
    exit $rc
}

cmd_screenshots() { # PNGs of each role's first screen, English and Chinese, for the README
    HTTP_PORT=${QMS_HTTP_PORT:-$(free_port)}
    setup
    local db=${TEST_DB}_shots pid rc=0
    say "fresh demo database $db for the screenshots"
    new_qms_db "$db"
    odoo_bin -d "$db" --db-filter="^$db\$" --http-port="$HTTP_PORT" --max-cron-threads=0 --log-level=warn \
        >"$CACHE/screenshots.log" 2>&1 &
    pid=$!
    local i
    for i in $(seq 1 120); do
        port_busy "$HTTP_PORT" && break
        sleep 1
    done
    "$PY" "$REPO/scripts/screenshots.py" --url "http://127.0.0.1:$HTTP_PORT" --db "$db" \
        --out "$REPO/docs/screenshots" --chromium "$(find_chrome)" "$@" || rc=$?
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    drop_db "$db"
    [ "$rc" = 0 ] || die "the screenshots failed (server log: $CACHE/screenshots.log)"
    say "screenshots written to docs/screenshots"
}

cmd_stress() { # many users at once, then faults: figures and a consistency check, not a test
    # its own PostgreSQL cluster, data folder and config: the run restarts
    # PostgreSQL in its middle, which must not hit a `make run` or `make test`
    PG_DIR=$CACHE/pg-stress
    PG_PORT_PRIVATE=${QMS_STRESS_PG_PORT:-55433}
    DATA_DIR=$CACHE/data-stress
    CONF=$CACHE/odoo-$CHECKOUT_ID-stress.conf
    local external=
    use_external_pg && external=1  # before setup, which exports PG* for its cluster
    setup
    local demo=${TEST_DB}_stress_demo db=${TEST_DB}_stress out=$CACHE/stress-$CHECKOUT_ID
    local pg_args=()
    [ -n "$external" ] || pg_args=(--pgdata "$PG_DATA" --pg-bindir "$PG_BINDIR" --pg-user "$PG_OS_USER")
    say "a fresh demo database $demo, copied to $db for the run"
    new_qms_db "$demo"
    copy_db "$demo" "$db"
    drop_db "$demo"
    say "stress and faults on $db: Odoo with 4 workers, a few minutes (figures: $out.json, Odoo's log: $out.odoo.log)"
    "$PY" "$REPO/benchmarks/stress_concurrency.py" -c "$CONF" -d "$db" "${pg_args[@]}" \
        --json "$out.json" --log "$out.odoo.log" \
        || die "the stress run met failures or inconsistencies (above); the database $db is kept for a look"
    drop_db "$db"
}

cmd_stop() {
    use_external_pg && { say "PostgreSQL is external (PG* set): nothing to stop"; return; }
    local bindir
    bindir=$(pg_bindir) || return 0
    PG_OS_USER=$(id -un); is_root && PG_OS_USER=postgres
    local dir
    for dir in "$CACHE/pg" "$CACHE/pg-stress"; do
        [ -f "$dir/data/PG_VERSION" ] && as_pg_owner "$bindir/pg_ctl" -D "$dir/data" -m fast stop || true
    done
}

cmd_reset() {
    setup
    drop_db "$DEMO_DB"
    drop_db "$TEST_DB"
    say "dropped $DEMO_DB and $TEST_DB; the next 'make run' creates the demo database again"
}

case "${1:-}" in
    run) shift; cmd_run "$@" ;;
    test) shift; cmd_test "$@" ;;
    test-odoo) shift; cmd_test_odoo ;;
    lint) shift; cmd_lint "$@" ;;
    stop) shift; cmd_stop ;;
    reset) shift; cmd_reset ;;
    pot) shift; cmd_pot ;;
    bench) shift; cmd_bench "$@" ;;
    screenshots) shift; cmd_screenshots "$@" ;;
    scale) shift; cmd_scale "$@" ;;
    load) shift; cmd_load "$@" ;;
    stress) shift; cmd_stress ;;
    *) echo "usage: $0 run|test|test-odoo|lint|pot|bench|screenshots|scale|load|stress|stop|reset" >&2; exit 2 ;;
esac
