"""`make run` serves the production build: built once, skipped while the sources are unchanged,
and never restarted by files the running system writes (embedded Redis saves, beat's schedule,
PostgreSQL files). `make dev` hot-reloads, watching the code only."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from pathlib import Path

import httpx
import psutil
import pytest

from oms_app import frontend_build, launcher
from oms_app.core.config import PROJECT_ROOT, reset_settings_cache
from tests.e2e.prod_server import free_port
from tests.service.launcher_infra import answers, launched

RUNTIME_WRITES = (
    "redis/dump.rdb",
    "redis/appendonly.aof",
    "celerybeat-schedule",
    "pg/postgresql.auto.conf",
    "secret_key",
    "notes.py",
    "reports/sales.json",
)


@pytest.fixture(scope="module")
def run_mode():
    """`make run`'s settings on a free port (one build for the module), with the data folder
    inside the project tree, where the dev server's watcher used to see it."""
    port = free_port()
    data_dir = PROJECT_ROOT / "data" / f"test-modes-{uuid.uuid4().hex[:8]}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OMS_FRONTEND_PORT", str(port))
        patch.setenv("OMS_DATA_DIR", str(data_dir))
        patch.delenv("REFLEX_API_URL", raising=False)
        reset_settings_cache()
        yield port, data_dir
    reset_settings_cache()
    shutil.rmtree(data_dir, ignore_errors=True)


def process_tree(pid: int) -> set[int]:
    root = psutil.Process(pid)
    return {root.pid, *(p.pid for p in root.children(recursive=True))}


def write_like_a_running_system(data_dir: Path, rounds: int) -> None:
    for n in range(rounds):
        for name in RUNTIME_WRITES:
            (data_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (data_dir / name).write_text(f"write {n}\n")
        time.sleep(0.5)


def test_make_run_skips_the_build_while_the_sources_are_unchanged(run_mode):
    port, _ = run_mode
    api_url = launcher.public_api_url()
    assert api_url == ""  # the page's own origin: the build serves on any port
    started = time.monotonic()
    built = frontend_build.ensure_frontend_build(api_url=api_url, env=launcher.child_env())
    first = time.monotonic() - started
    started = time.monotonic()
    again = frontend_build.ensure_frontend_build(api_url=api_url, env=launcher.child_env())
    print(
        f"\nfrontend: first {'build' if built else 'check'} {first:.1f} s, "
        f"then {time.monotonic() - started:.2f} s with the build skipped"
    )
    assert again is False
    assert frontend_build.build_is_current(api_url=api_url)


def test_make_run_serves_the_build_and_never_restarts_when_the_data_folder_changes(run_mode):
    port, data_dir = run_mode
    frontend_build.ensure_frontend_build(
        api_url=launcher.public_api_url(), env=launcher.child_env()
    )
    data_dir.mkdir(parents=True)
    base = f"http://127.0.0.1:{port}"
    env = {**launcher.web_env(launcher.RUN), "GRANIAN_WORKERS": "1"}
    with launched(launcher.web_command(launcher.RUN), env=env) as web:
        seconds = web.wait_for(lambda: answers(f"{base}/login"), timeout=240, what="/login")
        print(f"\nproduction server answered /login {seconds:.1f} s after start")
        # one server for pages and backend: the build is served, routes follow the redirect
        login = httpx.get(f"{base}/login", follow_redirects=True, timeout=10)
        board = httpx.get(f"{base}/warehouse/board", follow_redirects=True, timeout=10)
        assert "<html" in login.text.lower() and board.status_code == 200
        time.sleep(2)  # let granian finish spawning its worker
        before = process_tree(web.process.pid)
        # when: the embedded servers and beat write into the data folder
        write_like_a_running_system(data_dir, rounds=12)
        # then: not one process was replaced and the backend still answers
        assert process_tree(web.process.pid) == before, web.output()[-3000:]
        assert httpx.get(f"{base}/ping", timeout=10).status_code == 200
        assert "Reloading" not in web.output() and "reload" not in web.output().lower()


def test_make_dev_watches_the_code_and_never_the_runtime_folders(monkeypatch):
    from reflex.utils import exec as reflex_exec

    # given: the environment the launcher gives the dev server
    env = launcher.web_env(launcher.DEV)
    monkeypatch.setenv("REFLEX_HOT_RELOAD_OVERRIDE_PATHS", env["REFLEX_HOT_RELOAD_OVERRIDE_PATHS"])
    monkeypatch.chdir(PROJECT_ROOT)
    # when: Reflex works out what its reloader watches
    watched = {Path(p).relative_to(PROJECT_ROOT).as_posix() for p in reflex_exec.get_reload_paths()}
    # then
    assert {"oms_app", "components", "state", "tasks", "rxconfig.py"} <= watched
    assert not watched & {"data", ".web", "logs", "uploaded_files", "tests", "bench", "docs"}
    assert "--frontend-port" in launcher.web_command(launcher.DEV)
    assert os.pathsep.join(sorted(watched)) != ""
