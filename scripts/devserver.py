"""``make run``: Casebridge with its database, web server, Celery worker and Celery beat on one machine.

DATABASE_URL and CELERY_BROKER_URL from the environment are used when set. Otherwise the database is an
embedded PostgreSQL (the ``pgserver`` package; data kept in var/pgdata between runs) and the Celery broker
is kombu's filesystem transport (var/broker/). Ctrl-C or SIGTERM stops everything this script started.
Also read: PORT (default 8000) and DEMO_PASSWORD (else one is generated once into var/demo_password).
The secret key is generated once into var/secret_key; DEV_DEFAULTS below apply only where unset.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import secrets
import signal
import socket
import string
import subprocess
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from urllib.parse import quote

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
    from pgserver._commands import POSTGRES_BIN_PATH
    from pgserver.postgres_server import get_server

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
BIN = Path(sys.executable).parent  # the virtualenv's bin/, holding gunicorn and celery
DB_NAME = "casebridge"
WORKER_QUEUES = "default,quality,alerts,metrics,documents"  # CELERY_QUEUE_NAMES in config/settings/base.py
DEV_DEFAULTS = {
    "DJANGO_SETTINGS_MODULE": "config.settings.base",
    "DJANGO_DEBUG": "false",  # static files come from collectstatic + WhiteNoise, as in production
    "DJANGO_SECURE": "false",  # plain HTTP on localhost
    "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1",
    "TWO_FACTOR_REQUIRED": "false",
    "LOG_JSON": "false",
    "PYTHONUNBUFFERED": "1",
}


class Stop(Exception):
    """Ctrl-C or SIGTERM: shut down cleanly and exit 0."""


class Failed(Exception):
    """A step failed or a child process died: shut down and exit 1."""


@dataclass
class Child:
    name: str
    proc: subprocess.Popen[bytes]


@dataclass
class Started:
    """What this script has started, and so must stop."""

    children: list[Child] = field(default_factory=list)
    pgdata: Path | None = None  # set when the embedded PostgreSQL is in use


def start_embedded_postgres(pgdata: Path, dbname: str = DB_NAME) -> str:
    """Start (or adopt an already running) PostgreSQL with its data in ``pgdata``, create ``dbname`` if
    missing and return a DATABASE_URL for it. The server listens only on a unix socket."""
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    info = get_server(pgdata, cleanup_mode=None).get_postmaster_info()  # we stop it ourselves, below
    if info.socket_dir is None or info.port is None:
        raise Failed(f"embedded PostgreSQL in {pgdata} reports no unix socket")
    conn = ["-h", str(info.socket_dir), "-p", str(info.port), "-U", "postgres"]
    psql = [str(POSTGRES_BIN_PATH / "psql"), *conn, "-d", "postgres", "-tA", "-v", f"name={dbname}"]
    query = "SELECT 1 FROM pg_database WHERE datname = :'name'"  # psql quotes the variable
    found = subprocess.run(psql, input=query, capture_output=True, text=True, check=False)
    if found.returncode != 0:
        raise Failed(f"cannot query embedded PostgreSQL: {found.stderr.strip()}")
    if found.stdout.strip() != "1":
        subprocess.run([str(POSTGRES_BIN_PATH / "createdb"), *conn, dbname], check=True)
    # django-environ's form for a unix socket: the percent-encoded socket directory as the first path
    # segment becomes HOST (e.g. postgres://postgres@:5432/%2Fsrv%2Fcasebridge%2Fvar%2Fpgdata/casebridge).
    return f"postgres://postgres@:{info.port}/{quote(str(info.socket_dir), safe='')}/{dbname}"


def embedded_postgres_running(pgdata: Path) -> bool:
    try:
        os.kill(int((pgdata / "postmaster.pid").read_text().split()[0]), 0)  # signal 0: does it exist?
    except PermissionError:
        return True
    except (OSError, ValueError, IndexError):
        return False
    return True


def stop_embedded_postgres(pgdata: Path) -> None:
    if not (pgdata / "postmaster.pid").exists():
        return
    user = "pgserver" if os.geteuid() == 0 else None  # as root, pgserver runs PostgreSQL as user "pgserver"
    cmd = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"]
    subprocess.run(cmd, user=user, stdout=subprocess.DEVNULL, check=False)


def private_file(path: Path, make: str) -> str:
    """The contents of ``path``; if it is missing or empty, ``make`` is written to it first. Mode 0600."""
    if not (path.exists() and path.read_text().strip()):
        tmp = path.with_name(path.name + ".tmp")
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write(make)
        os.replace(tmp, path)
    path.chmod(0o600)
    return path.read_text().strip()


def demo_password() -> tuple[str, str]:
    if password := os.environ.get("DEMO_PASSWORD"):
        return password, "from DEMO_PASSWORD"
    alphabet = string.ascii_lowercase + string.digits
    made = "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(4))
    return private_file(VAR / "demo_password", made), "stored in var/demo_password"


CLAMD = Path("/usr/sbin/clamd")


def configure_scanner(started: Started) -> str:
    """Uploads stay quarantined until ClamAV says they are clean. Use the clamd the environment names;
    else, where Debian's clamd is installed, start one for the demo with the repository's test
    signature (it only knows the EICAR test string: a demo, never a real scanner); else say so."""
    if os.environ.get("CLAMAV_SOCKET") or os.environ.get("CLAMAV_HOST"):
        return "ClamAV from the environment"
    if not CLAMD.exists():
        return "none (apt-get install clamav-daemon): uploads will stay quarantined"
    folder = VAR / "clamav"
    folder.mkdir(exist_ok=True)
    socket_path = folder / "clamd.sock"
    conf = folder / "clamd.conf"
    conf.write_text(
        f"LocalSocket {socket_path}\nDatabaseDirectory {ROOT / 'files' / 'clamav'}\nForeground yes\n"
        "LogSyslog no\nLogFile /dev/null\nStreamMaxLength 250M\n"
    )
    started.children.append(spawn("clamd", str(CLAMD), "--config-file", str(conf)))
    os.environ["CLAMAV_SOCKET"] = str(socket_path)
    return "demo clamd with the test signature only (EICAR) in var/clamav"


def configure_broker() -> str:
    if os.environ.get("CELERY_BROKER_URL"):
        return "CELERY_BROKER_URL from the environment"
    queue, processed, control = (VAR / "broker" / name for name in ("queue", "processed", "control"))
    for folder in (queue, processed, control):
        folder.mkdir(parents=True, exist_ok=True)
    options = {  # producers write to and consumers read from the same folder
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "processed_folder": str(processed),
        "control_folder": str(control),
    }
    os.environ["CELERY_BROKER_URL"] = "filesystem://"
    os.environ["CELERY_BROKER_TRANSPORT_OPTIONS"] = json.dumps(options)
    return "Celery filesystem transport in var/broker/"


def manage(*args: str, shown: str = "", capture: bool = False) -> str:
    print(f"==> manage.py {shown or ' '.join(args)}", flush=True)
    cmd = [sys.executable, "manage.py", *args]
    out = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE if capture else None, check=False)
    if out.returncode != 0:
        raise Failed(f"manage.py {args[0]} failed (exit code {out.returncode})")
    return out.stdout.decode() if capture else ""


def _die_with_parent() -> None:
    if sys.platform == "linux":  # PR_SET_PDEATHSIG: no orphans even if this script is SIGKILLed
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)


def spawn(name: str, *cmd: str) -> Child:
    # A session of its own: Ctrl-C reaches only this script, which then stops the children in order.
    proc = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, preexec_fn=_die_with_parent)
    return Child(name, proc)


def check_alive(started: Started) -> None:
    for child in started.children:
        if (code := child.proc.poll()) is not None:
            raise Failed(f"{child.name} exited unexpectedly (exit code {code})")
    if started.pgdata is not None and not embedded_postgres_running(started.pgdata):
        raise Failed(f"the embedded PostgreSQL stopped (see {started.pgdata / 'log'})")


def ensure_port_free(port: int) -> None:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does: ignore TIME_WAIT
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            raise Failed(f"port {port} is already in use; stop whatever uses it or run with PORT=<another>") from None


def wait_for_port(port: int, started: Started, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        check_alive(started)
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.3)
    raise Failed(f"gunicorn did not start listening on port {port} within {timeout:.0f}s")


def shutdown(started: Started) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    for child in started.children:
        if child.proc.poll() is None:
            child.proc.terminate()  # gunicorn: graceful stop; celery: warm shutdown
    deadline = time.monotonic() + 20
    for child in started.children:
        try:
            child.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"devserver: {child.name} did not stop in time; killing it", file=sys.stderr)
            os.killpg(child.proc.pid, signal.SIGKILL)
            child.proc.wait()
    if started.pgdata is not None:
        stop_embedded_postgres(started.pgdata)


def print_banner(url: str, sign_ins: str, notes: list[str]) -> None:
    try:
        data = json.loads(sign_ins)
        rows = data.get("users", []) if isinstance(data, dict) else data
        table = [(str(r["username"]), str(r.get("role", "")), str(r.get("organisation", ""))) for r in rows]
    except (ValueError, TypeError, KeyError, AttributeError):
        table = []
    lines = ["", f"Casebridge is running at {url}", *(f"  {note}" for note in notes), ""]
    if table:
        table.insert(0, ("USERNAME", "ROLE", "ORGANISATION"))
        w_user, w_role = (max(len(row[i]) for row in table) for i in (0, 1))
        lines += ["Demo sign-ins:", *(f"  {u:<{w_user}}  {r:<{w_role}}  {o}".rstrip() for u, r, o in table)]
    else:
        lines += ["Demo sign-ins (seed_demo --json output, not understood as a table):", sign_ins.strip()]
    lines += ["", "Press Ctrl-C to stop.", ""]
    print("\n".join(lines), flush=True)


def _on_signal(signum: int, _frame: FrameType | None) -> None:
    raise Stop(signal.Signals(signum).name)


def run(started: Started) -> None:
    port = int(os.environ.get("PORT") or "8000")
    ensure_port_free(port)
    db = "DATABASE_URL from the environment"
    if not (os.environ.get("DATABASE_URL") or os.environ.get("DATABASE_URL_FILE")):
        print("==> starting embedded PostgreSQL (var/pgdata)", flush=True)
        started.pgdata = VAR / "pgdata"
        os.environ["DATABASE_URL"] = start_embedded_postgres(started.pgdata)
        db = "embedded PostgreSQL in var/pgdata (kept between runs)"
    broker = configure_broker()
    scanner = configure_scanner(started)
    if not (os.environ.get("DJANGO_SECRET_KEY") or os.environ.get("DJANGO_SECRET_KEY_FILE")):
        private_file(VAR / "secret_key", secrets.token_urlsafe(50))
        os.environ["DJANGO_SECRET_KEY_FILE"] = str(VAR / "secret_key")
    for key, value in DEV_DEFAULTS.items():
        os.environ.setdefault(key, value)
    password, source = demo_password()

    manage("migrate", "--noinput")
    manage("collectstatic", "--noinput", "--verbosity", "0")
    manage("load_reference_data")
    manage("load_public_holidays")
    # The password travels in the environment, not the command line, so `ps` does not show it.
    os.environ["DEMO_PASSWORD"] = password
    sign_ins = manage("seed_demo", "--json", capture=True)
    manage("seed_demo_cases")

    celery = [str(BIN / "celery"), "-A", "config"]
    # One worker reads every queue here; in production each kind of work has its own workers (docker-compose.yml).
    worker_flags = ["-Q", WORKER_QUEUES, "--loglevel", "INFO", "--concurrency", "2"]
    if os.environ["CELERY_BROKER_URL"].startswith("filesystem"):
        worker_flags += ["--without-gossip", "--without-mingle", "--without-heartbeat"]  # no fanout on files
    bind = f"127.0.0.1:{port}"
    started.children.append(spawn("gunicorn", str(BIN / "gunicorn"), "config.wsgi", "--bind", bind, "--workers", "2"))
    started.children.append(spawn("celery worker", *celery, "worker", *worker_flags))
    scheduler = "django_celery_beat.schedulers:DatabaseScheduler"
    started.children.append(spawn("celery beat", *celery, "beat", "--loglevel", "INFO", "--scheduler", scheduler))
    wait_for_port(port, started)
    for _ in range(6):  # let the Celery start-up banners through first, so ours is printed last
        check_alive(started)
        time.sleep(0.5)
    notes = [
        f"database: {db}",
        f"broker:   {broker}",
        f"scanner:  {scanner}",
        f"password for every demo user: {password} ({source})",
    ]
    print_banner(f"http://{bind}/", sign_ins, notes)
    while True:
        check_alive(started)
        time.sleep(0.5)


def main() -> int:
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    VAR.mkdir(exist_ok=True)
    lock = (VAR / "devserver.lock").open("w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("devserver: another `make run` is already running in this checkout", file=sys.stderr)
        return 1
    started = Started()
    try:
        run(started)
    except Stop as stop:
        print(f"\ndevserver: {stop} received, stopping...", flush=True)
        return 0
    except (Failed, subprocess.CalledProcessError) as error:
        print(f"\ndevserver: {error}; stopping everything.", file=sys.stderr, flush=True)
    finally:
        shutdown(started)
        print("devserver: stopped.", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
