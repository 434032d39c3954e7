"""A supervisor that heals: a child that dies comes back, the others and the API never notice."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time

import httpx
import pytest

from oms_app.core.config import PROJECT_ROOT
from oms_app.supervisor import Backoff, Child, Supervisor
from tests.e2e.prod_server import free_port
from tests.service.launcher_infra import alive, answers, launched, launcher_env

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]
CRASHER = [sys.executable, "-c", "import sys; sys.exit(3)"]


@pytest.fixture
def supervised():
    """Run a Supervisor over the given children in a thread; stop it at the end."""
    running: list[tuple[Supervisor, threading.Thread]] = []

    def start(children: list[Child], backoff: Backoff) -> Supervisor:
        supervisor = Supervisor(children, cwd=PROJECT_ROOT, backoff=backoff, stop_timeout=5)
        thread = threading.Thread(target=supervisor.run, kwargs={"handle_signals": False})
        thread.start()
        running.append((supervisor, thread))
        return supervisor

    yield start
    for supervisor, thread in running:
        supervisor.stop()
        thread.join(timeout=30)


def wait_until(predicate, timeout: float = 30) -> float:
    started = time.monotonic()
    while not predicate():
        assert time.monotonic() - started < timeout, "timed out"
        time.sleep(0.05)
    return time.monotonic() - started


def test_a_killed_child_is_restarted_and_the_others_are_never_touched(supervised, caplog):
    caplog.set_level(logging.INFO, logger="oms.supervisor")
    children = [Child(name, SLEEPER) for name in ("worker", "beat", "web")]
    supervisor = supervised(children, Backoff(first=0.5))
    wait_until(lambda: all(c.process for c in children))
    worker, beat, web = children
    first_pid = worker.pids[0]
    # when
    os.kill(first_pid, signal.SIGKILL)
    seconds = wait_until(lambda: len(worker.pids) == 2 and alive(worker.pids[-1]))
    # then
    print(f"\nkilled child back in {seconds:.2f} s (first backoff 0.5 s)")
    assert worker.pids[-1] != first_pid and worker.restarts == 1
    assert beat.pids == [beat.process.pid] and web.pids == [web.process.pid]
    assert beat.restarts == web.restarts == 0
    assert "worker exited with code -9" in caplog.text
    assert "worker restarting (restart 1)" in caplog.text
    supervisor.stop()
    wait_until(lambda: not any(alive(pid) for c in children for pid in c.pids))


def test_a_child_that_keeps_failing_is_restarted_ever_more_slowly(supervised, caplog):
    caplog.set_level(logging.INFO, logger="oms.supervisor")
    crasher = Child("beat", CRASHER)
    supervised([crasher, Child("worker", SLEEPER)], Backoff(first=0.2, cap=0.8))
    wait_until(lambda: crasher.restarts >= 4, timeout=30)
    waits = [line.rsplit("restarting in ", 1)[1] for line in caplog.messages if "exited" in line]
    print(f"\nwaits before each restart: {waits}")
    assert "beat exited with code 3" in caplog.text
    # 0.2 s, 0.4 s, 0.8 s, then the cap (the log rounds to whole seconds)
    assert waits[:4] == ["0 s", "0 s", "1 s", "1 s"]
    assert crasher.failures >= 4


@pytest.mark.fault
def test_a_crashed_worker_is_restarted_and_the_api_keeps_serving(clean_db, tmp_path):
    port = free_port()
    env = launcher_env(OMS_DATA_DIR=str(tmp_path / "data"), OMS_BACKEND_PORT=str(port))
    health = f"http://127.0.0.1:{port}/api/v1/health"
    command = [sys.executable, "-m", "oms_app.launcher", "--backend-only"]
    with launched(command, env=env) as run:
        run.wait_for(lambda: answers(health), timeout=240, what="a healthy API")
        worker, beat, web = run.pids("worker")[0], run.pids("beat")[0], run.pids("web")[0]
        # when: the Celery worker dies without a word
        os.killpg(worker, signal.SIGKILL)
        killed_at = time.monotonic()
        answered_while_down = []
        while len(run.pids("worker")) < 2 and time.monotonic() - killed_at < 60:
            reply = httpx.get(health, timeout=10)
            answered_while_down.append((reply.status_code, reply.json()["database"]))
            time.sleep(0.2)
        restarted_in = time.monotonic() - killed_at
        healthy_in = run.wait_for(lambda: answers(health), timeout=120, what="healthy again")
        print(
            f"\nworker restarted {restarted_in:.1f} s after SIGKILL; API healthy again "
            f"{restarted_in + healthy_in:.1f} s after; {len(answered_while_down)} answers between"
        )
        # then: a new worker; beat and the web server never restarted; the API kept answering
        assert len(run.pids("worker")) == 2 and alive(run.pids("worker")[-1])
        assert run.pids("beat") == [beat] and run.pids("web") == [web]
        assert all(code in (200, 503) and db == "ok" for code, db in answered_while_down)
        assert "worker exited with code -9" in run.output()
        # and SIGTERM (what Ctrl-C does) stops every child, then the launcher
        run.process.send_signal(signal.SIGTERM)
        assert run.process.wait(timeout=60) == 0
        children = [*run.pids("worker"), beat, web]
        wait_until(lambda: not any(alive(pid) for pid in children), timeout=30)
