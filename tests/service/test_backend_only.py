"""`make run-backend`: the Reflex backend starts on its own (API and websockets, no frontend)
and answers on the configured port; on a fresh clone against external servers too."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import httpx
import sqlalchemy as sa

from oms_app import launcher
from oms_app.accounts.models import User
from oms_app.core.config import PROJECT_ROOT, reset_settings_cache
from oms_app.core.db import UnitOfWork
from tests.e2e.prod_server import free_port
from tests.service.launcher_infra import answers, launched, launcher_env


def test_the_backend_alone_starts_and_serves_the_api_on_its_port():
    port = free_port()
    os.environ["OMS_BACKEND_PORT"] = str(port)
    reset_settings_cache()
    try:
        command = launcher.reflex_command(backend_only=True)
        env = launcher.child_env()
    finally:
        del os.environ["OMS_BACKEND_PORT"]
        reset_settings_cache()
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        answer = None
        deadline = time.monotonic() + 120
        while answer is None and time.monotonic() < deadline and process.poll() is None:
            with contextlib.suppress(httpx.HTTPError):
                answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=5)
            time.sleep(1)
        if answer is None:
            process.kill()
            raise AssertionError(process.communicate()[0][-3000:])
        assert answer.json()["database"] == "ok"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        # read its output while it stops: unread, a full pipe blocks its last writes and its exit
        try:
            process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise


def test_run_backend_on_a_fresh_clone_with_external_servers_starts_and_creates_no_log_in(
    clean_db, tmp_path
):
    # given: OMS_DATABASE_URL / OMS_REDIS_URL set (the run's own) and no data folder at all
    data_dir = tmp_path / "fresh-clone" / "data"
    port = free_port()
    env = launcher_env(OMS_DATA_DIR=str(data_dir), OMS_BACKEND_PORT=str(port))
    health = f"http://127.0.0.1:{port}/api/v1/health"
    # when
    command = [sys.executable, "-m", "oms_app.launcher", "--backend-only"]
    with launched(command, env=env) as run:
        seconds = run.wait_for(lambda: answers(health), timeout=240, what="a healthy API")
        run.wait_for(
            lambda: any(data_dir.glob("celerybeat-schedule*")), timeout=60, what="beat's schedule"
        )
        time.sleep(3)
        # then: everything still runs, nothing had to be restarted
        print(f"\nrun-backend healthy {seconds:.1f} s after start on a fresh data folder")
        assert run.process.poll() is None
        assert [len(run.pids(c)) for c in ("worker", "beat", "web")] == [1, 1, 1], run.output()
        assert "no administrator yet" in run.output() and "create-user" in run.output()
    with UnitOfWork() as uow:
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
