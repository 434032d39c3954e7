"""`make run` / `make run-backend`: servers, schema, demo data, then worker, beat and Reflex.

Ctrl-C stops every child, then the embedded servers.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from oms_app import runtime
from oms_app.core.config import PROJECT_ROOT, get_settings
from oms_app.demo.accounts import DEMO_ACCOUNTS

VENV_BIN = Path(sys.executable).parent


def child_env() -> dict[str, str]:
    """The environment of every child: venv first on PATH (its Node, not the machine's)."""
    env = dict(os.environ)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.setdefault("REFLEX_USE_NPM", "1")
    env.setdefault("REFLEX_USE_GRANIAN", "1")
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    return env


def celery_commands() -> list[list[str]]:
    python = sys.executable
    return [
        [
            python,
            "-m",
            "celery",
            "-A",
            "tasks.celery_app",
            "worker",
            "--loglevel=INFO",
            "--concurrency=2",
            "-n",
            "oms-worker@%h",
        ],
        [
            python,
            "-m",
            "celery",
            "-A",
            "tasks.celery_app",
            "beat",
            "--loglevel=INFO",
            "--schedule",
            str(get_settings().data_dir / "celerybeat-schedule"),
        ],
    ]


def reflex_command(backend_only: bool) -> list[str]:
    settings = get_settings()
    cmd = [str(VENV_BIN / "reflex"), "run", "--backend-port", str(settings.backend_port)]
    if backend_only:
        return [*cmd, "--backend-only", "--env", "prod"]
    return [*cmd, "--frontend-port", str(settings.frontend_port)]


def prepare(demo_orders: int) -> None:
    settings = get_settings()
    print(
        "• database:",
        "embedded PostgreSQL (data/pg)" if settings.embedded_database else "OMS_DATABASE_URL",
    )
    runtime.ensure_database()
    print("• redis:", "embedded Redis (data/redis)" if settings.embedded_redis else "OMS_REDIS_URL")
    runtime.ensure_redis()
    settings.signing_key()  # generated into data/ on the first run when OMS_SECRET_KEY is unset
    runtime.migrate_and_sync()
    if not runtime.has_demo_data():
        print(f"• loading demo data ({demo_orders} orders, first start only)…")
        runtime.load_demo_data(orders=demo_orders, verbose=True)


def banner(backend_only: bool) -> None:
    settings = get_settings()
    url = (
        f"http://localhost:{settings.backend_port}/api/v1/health"
        if backend_only
        else f"http://localhost:{settings.frontend_port}"
    )
    print(f"\n  OMS is starting at {url}  (Ctrl-C stops everything)\n")
    print("  demo log-ins (admin and finance enrol two-factor at first log-in):")
    for account in DEMO_ACCOUNTS:
        print(f"    {account.username:<10} {account.password:<18} {account.role}")
    print()


def supervise(commands: list[list[str]]) -> int:
    children = [
        subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=child_env(), start_new_session=True)
        for cmd in commands
    ]
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    while not stopping:
        for child in children:
            if child.poll() is not None:
                print(f"a process stopped ({' '.join(child.args[:4])}); stopping the rest")
                stopping, code = True, child.returncode or 1
        time.sleep(0.5)
    for child in children:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m oms_app.launcher")
    parser.add_argument("--backend-only", action="store_true")
    parser.add_argument("--demo-orders", type=int, default=get_settings().demo_orders)
    args = parser.parse_args(argv)
    try:
        prepare(args.demo_orders)
        banner(args.backend_only)
        return supervise([*celery_commands(), reflex_command(args.backend_only)])
    finally:
        runtime.stop_embedded()


if __name__ == "__main__":
    sys.exit(main())
