"""Start the real launcher (or one of its commands) as an operator would, and watch it."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from oms_app.core.config import PROJECT_ROOT
from tests.infra import stop_group

STARTED = re.compile(r"supervisor: (\w+) started \(pid (\d+)\)")


@dataclass
class Launched:
    """A process whose output is collected line by line as it runs."""

    process: subprocess.Popen
    lines: list[str] = field(default_factory=list)

    def output(self) -> str:
        return "".join(self.lines)

    def pids(self, child: str) -> list[int]:
        """The PIDs the supervisor reported for a child, oldest first."""
        return [int(m[2]) for m in STARTED.finditer(self.output()) if m[1] == child]

    def wait_for(self, predicate, *, timeout: float, what: str) -> float:
        """Wait until predicate() holds; return the seconds it took."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if predicate():
                return time.monotonic() - started
            if self.process.poll() is not None:
                raise AssertionError(
                    f"exited ({self.process.returncode}) before {what}:\n" + self.output()[-4000:]
                )
            time.sleep(0.3)
        raise AssertionError(f"no {what} in {timeout} s:\n" + self.output()[-4000:])


def _pump(launched: Launched) -> None:
    for line in launched.process.stdout:
        launched.lines.append(line)


@contextlib.contextmanager
def launched(command: list[str], *, env: dict[str, str]) -> Iterator[Launched]:
    """Run command in its own session; stop its whole group at the end."""
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    result = Launched(process)
    threading.Thread(target=_pump, args=(result,), daemon=True).start()
    try:
        yield result
    finally:
        stop_group(process, timeout=40)


def launcher_env(**overrides: str) -> dict[str, str]:
    """The test run's own database and Redis, the venv first on PATH, one web worker."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env.update(REFLEX_USE_NPM="1", REFLEX_USE_GRANIAN="1", GRANIAN_WORKERS="1")
    env.update(PYTHONPATH=str(PROJECT_ROOT), PYTHONUNBUFFERED="1")
    env.update(overrides)
    return env


def answers(url: str) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(url, timeout=3, follow_redirects=True).status_code == 200
    return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    return False
