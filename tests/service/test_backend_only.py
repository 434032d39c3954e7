"""`make run-backend`: the Reflex backend starts on its own (API and websockets, no frontend)
and answers on the configured port."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time

import httpx

from oms_app import launcher
from oms_app.core.config import PROJECT_ROOT, reset_settings_cache
from tests.e2e.prod_server import free_port


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
        process.wait(timeout=30)
