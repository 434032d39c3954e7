"""`make run` / `make dev` / `make run-backend`: servers, schema, demo data, then worker, beat and
the web server under a supervisor that restarts whichever of them dies.

Modes: `run` serves the production build (compiled only when the sources changed, no file
watcher); `dev` is Reflex's hot-reload server for people changing the code; `backend` serves the
API and websockets alone. Ctrl-C stops every child, then the embedded servers.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from oms_app import frontend_build, runtime
from oms_app.core.config import PROJECT_ROOT, get_settings
from oms_app.demo.accounts import DEMO_ACCOUNTS
from oms_app.supervisor import Child, Supervisor

VENV_BIN = Path(sys.executable).parent
RUN, DEV, BACKEND = "run", "dev", "backend"
# What `make dev` reloads on: the code only, never data/, .web/, logs or uploads.
WATCHED = ("oms_app", "components", "state", "tasks", "assets", "rxconfig.py")
CREATE_ADMIN = "python -m oms_app.cli create-user <username> --role admin"


def child_env() -> dict[str, str]:
    """The environment of every child: venv first on PATH (its Node, not the machine's)."""
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("REFLEX_USE_NPM", "1")
    env.setdefault("REFLEX_USE_GRANIAN", "1")
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    return env


def worker_command() -> list[str]:
    celery = [sys.executable, "-m", "celery", "-A", "tasks.celery_app"]
    return [*celery, "worker", "--loglevel=INFO", "--concurrency=2", "-n", "oms-worker@%h"]


def beat_command() -> list[str]:
    schedule = get_settings().data_dir / "celerybeat-schedule"
    celery = [sys.executable, "-m", "celery", "-A", "tasks.celery_app"]
    return [*celery, "beat", "--loglevel=INFO", "--schedule", str(schedule)]


def celery_commands() -> list[list[str]]:
    return [worker_command(), beat_command()]


def public_api_url() -> str:
    """The backend address baked into the production build: empty, the page's own origin (pages
    and backend share one port, so the build serves on any port and behind a proxy; see
    oms_app/same_origin.py), unless REFLEX_API_URL puts the backend on another origin."""
    return os.environ.get("REFLEX_API_URL", "").strip()


def web_command(mode: str) -> list[str]:
    """The web server of a mode: production build, hot-reload dev server or backend alone."""
    settings = get_settings()
    if mode == RUN:
        return [sys.executable, "-m", "oms_app.serve", "--port", str(settings.frontend_port)]
    cmd = [str(VENV_BIN / "reflex"), "run", "--backend-port", str(settings.backend_port)]
    if mode == BACKEND:
        return [*cmd, "--backend-only", "--env", "prod"]
    return [*cmd, "--frontend-port", str(settings.frontend_port)]


def reflex_command(backend_only: bool) -> list[str]:
    """The web server of `make run-backend` (backend_only) or `make run`."""
    return web_command(BACKEND if backend_only else RUN)


def web_env(mode: str) -> dict[str, str]:
    env = child_env()
    if mode in (RUN, BACKEND):
        env.setdefault("GRANIAN_WORKERS", str(get_settings().web_workers))
    if mode == DEV:
        watched = [str(PROJECT_ROOT / p) for p in WATCHED if (PROJECT_ROOT / p).exists()]
        env["REFLEX_HOT_RELOAD_OVERRIDE_PATHS"] = os.pathsep.join(watched)
    return env


def build_frontend() -> None:
    started = time.monotonic()
    built = frontend_build.ensure_frontend_build(api_url=public_api_url(), env=child_env())
    what = "built" if built else "unchanged, build skipped"
    print(f"• frontend {what} ({time.monotonic() - started:.1f} s)", flush=True)


def children(mode: str) -> list[Child]:
    env = child_env()
    return [
        Child("worker", worker_command(), env),
        Child("beat", beat_command(), env),
        Child("web", web_command(mode), web_env(mode)),
    ]


def banner(mode: str, *, demo: bool) -> None:
    settings = get_settings()
    url = f"http://localhost:{settings.frontend_port}"
    if mode == BACKEND:
        url = f"http://localhost:{settings.backend_port}/api/v1/health"
    print(f"\n  OMS is starting at {url}  (Ctrl-C stops everything)\n")
    if demo:
        print("  demo log-ins (admin and finance enrol two-factor at first log-in):")
        for account in DEMO_ACCOUNTS:
            print(f"    {account.username:<10} {account.password:<18} {account.role}")
    print(flush=True)


def _exit_on_sigterm(*_: object) -> None:
    raise SystemExit(143)


def _log_supervisor() -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s supervisor: %(message)s"))
    supervisor_log = logging.getLogger("oms.supervisor")
    supervisor_log.addHandler(handler)
    supervisor_log.setLevel(logging.INFO)
    supervisor_log.propagate = False


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m oms_app.launcher")
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument("--backend-only", action="store_true", help="API and websockets only")
    modes.add_argument("--dev", action="store_true", help="hot-reload dev server")
    parser.add_argument("--demo", action="store_true", help="load the demo data (as OMS_DEMO=1)")
    parser.add_argument("--demo-orders", type=int, default=None)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    mode = BACKEND if args.backend_only else DEV if args.dev else RUN
    _log_supervisor()
    # Until the supervisor takes over, SIGTERM unwinds like Ctrl-C so the embedded servers stop.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        demo = runtime.prepare(
            demo=args.demo, demo_orders=args.demo_orders, create_admin_hint=CREATE_ADMIN
        )
        if mode == RUN:
            build_frontend()
        banner(mode, demo=demo)
        return Supervisor(children(mode), cwd=PROJECT_ROOT).run()
    except runtime.StartRefused as refused:
        print(f"\n{refused}\n", file=sys.stderr, flush=True)
        return 2
    except subprocess.CalledProcessError:
        print("\nthe frontend build failed (its output is above)\n", file=sys.stderr, flush=True)
        return 1
    finally:
        runtime.stop_embedded()


if __name__ == "__main__":
    sys.exit(main())
