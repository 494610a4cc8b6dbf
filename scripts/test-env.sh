# shellcheck shell=bash
# Sourced by `make test` (and by anyone who wants the same environment in their shell):
#   . scripts/test-env.sh
# Decides which PostgreSQL and Redis the test run uses, exports the settings for them and prints one line
# saying what it chose. In order of preference:
#   PostgreSQL: $DATABASE_URL; else a server answering on 127.0.0.1:5432; else an embedded PostgreSQL
#               (pgserver, data in var/pgdata-test, stopped again when the sourcing shell exits).
#   Redis:      $REDIS_URL; else a server answering on 127.0.0.1:6379; else none: Celery then uses the
#               filesystem transport (var/test-broker/) and CASEBRIDGE_TEST_BROKER=filesystem tells the
#               tests that need a real Redis to use that instead.
# Exports DATABASE_URL, TEST_REDIS_URL (database 15: tests may flush it; unset when there is no Redis) and
# CASEBRIDGE_TEST_BROKER=redis|filesystem, from which config/settings/test.py sets the Celery broker.

_cb_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_cb_python="$_cb_root/.venv/bin/python"

# _cb_answers HOST PORT: does a TCP server answer there (within 2 seconds)?
_cb_answers() {
    "$_cb_python" -c 'import socket, sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2).close()' \
        "$1" "$2" 2>/dev/null
}

_cb_postgres_ready() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -h 127.0.0.1 -p 5432 -t 3
    else
        _cb_answers 127.0.0.1 5432
    fi
}

_cb_redis_ready() {  # a Redis PING, in Python so that it needs neither redis-cli nor timeout(1)
    "$_cb_python" -c '
import socket
with socket.create_connection(("127.0.0.1", 6379), timeout=2) as s:
    s.sendall(b"PING\r\n")
    assert s.recv(16).startswith(b"+PONG")' 2>/dev/null
}

# The embedded PostgreSQL is started and stopped by the same code as `make run` (scripts/devserver.py).
_cb_embedded() {  # _cb_embedded start|stop
    "$_cb_python" - "$1" "$_cb_root" <<'PY'
import sys
from pathlib import Path

root = Path(sys.argv[2])
sys.path.insert(0, str(root / "scripts"))
import devserver

pgdata = root / "var" / "pgdata-test"
if sys.argv[1] == "start":
    print(devserver.start_embedded_postgres(pgdata))
else:
    devserver.stop_embedded_postgres(pgdata)
PY
}

if [ -n "${DATABASE_URL:-}" ]; then
    _cb_pg="PostgreSQL from DATABASE_URL (environment)"
elif _cb_postgres_ready; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/casebridge"
    _cb_pg="PostgreSQL at 127.0.0.1:5432 (local server)"
else
    mkdir -p "$_cb_root/var"
    if _cb_url="$(_cb_embedded start)" && [ -n "$_cb_url" ]; then
        export DATABASE_URL="$_cb_url"
        trap '_cb_embedded stop' EXIT
        _cb_pg="PostgreSQL embedded (pgserver, var/pgdata-test)"
    else
        _cb_pg="NO PostgreSQL (no DATABASE_URL, nothing on 127.0.0.1:5432, pgserver failed to start)"
        _cb_failed=1
    fi
fi

if [ -n "${REDIS_URL:-}" ] || _cb_redis_ready; then
    if [ -n "${REDIS_URL:-}" ]; then
        _cb_redis="Redis from REDIS_URL (environment)"
        # The same server, database 15.
        _cb_default="$("$_cb_python" -c 'import sys, urllib.parse as u; print(u.urlsplit(sys.argv[1])._replace(path="/15").geturl())' "$REDIS_URL")"
    else
        _cb_redis="Redis at 127.0.0.1:6379 (local server)"
        _cb_default="redis://127.0.0.1:6379/15"
    fi
    export TEST_REDIS_URL="${TEST_REDIS_URL:-$_cb_default}"
    export CASEBRIDGE_TEST_BROKER=redis
else
    unset TEST_REDIS_URL
    export CASEBRIDGE_TEST_BROKER=filesystem
    _cb_redis="no Redis (nothing on 127.0.0.1:6379): Celery uses the filesystem transport in var/test-broker"
fi

echo "tests: $_cb_pg; $_cb_redis"
unset _cb_pg _cb_redis _cb_url _cb_default
# Sourcing fails (so `make test` stops) only when there is no PostgreSQL at all.
[ -z "${_cb_failed:-}" ]
