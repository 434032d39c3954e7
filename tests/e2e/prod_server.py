"""A production Reflex server with two backend workers (granian), as a scaled-out deployment."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def prod_server(workers: int = 2, start_timeout: float = 240) -> Iterator[str]:
    port = free_port()
    venv_bin = Path(sys.executable).parent
    env = dict(
        os.environ,
        PATH=f"{venv_bin}{os.pathsep}{os.environ['PATH']}",
        REFLEX_USE_NPM="1",
        REFLEX_USE_GRANIAN="1",
        GRANIAN_WORKERS=str(workers),
        REFLEX_API_URL=f"http://127.0.0.1:{port}",
        REFLEX_DEPLOY_URL=f"http://127.0.0.1:{port}",
        # log-in and log-out come back to the UI's base URL: this server's own
        OMS_BASE_URL=f"http://127.0.0.1:{port}",
    )
    process = subprocess.Popen(
        [
            str(venv_bin / "reflex"),
            "run",
            "--env",
            "prod",
            "--single-port",
            "--frontend-port",
            str(port),
            "--backend-port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + start_timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("the production server exited while starting")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/ping", follow_redirects=True, timeout=2).status_code == 200:
                    break
            time.sleep(1)
        else:
            raise TimeoutError("the production server did not answer /ping")
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
