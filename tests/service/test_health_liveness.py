"""Worker and beat liveness: each real process keeps its own heartbeat, health reports their
ages, and a killed one shows as down (in health and on the admin screens' banner) once its
heartbeat expires, while the other stays up."""

from __future__ import annotations

import time

import httpx
import pytest
import reflex as rx

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.api.app import create_api
from oms_app.core import health
from state.liveness import LivenessState
from tests.celery_infra import kill, purge_queue, start_celery, wait_for

START = 90  # a cold worker imports the whole app
DOWN = health.HEARTBEAT_TTL_SECONDS + 15


@pytest.fixture
def no_heartbeats(redis_client):
    def clear() -> None:
        for prefix in (health.WORKER_KEY_PREFIX, health.BEAT_KEY_PREFIX, "oms:heartbeats:"):
            for key in redis_client.scan_iter(f"{prefix}*"):
                redis_client.delete(key)

    clear()
    yield
    clear()


@pytest.fixture
def worker_and_beat(clean_db, no_heartbeats, tmp_path):
    worker = start_celery("worker", name="live", log_dir=tmp_path)
    beat = start_celery("beat", name="beat", log_dir=tmp_path)
    yield worker, beat
    for process in (worker, beat):
        kill(process)
    purge_queue()


def health_body() -> dict:
    return health.report()


async def http_health() -> httpx.Response:
    transport = httpx.ASGITransport(app=create_api())
    async with httpx.AsyncClient(transport=transport, base_url="http://oms") as http:
        return await http.get("/api/v1/health")


async def banner() -> LivenessState:
    root = rx.State(_reflex_internal_init=True)
    state = await root.get_state(LivenessState)
    await state.refresh()
    return state


async def test_worker_and_beat_each_beat_and_show_down_on_health_and_banner_once_killed(
    worker_and_beat,
):
    worker, beat = worker_and_beat
    # given both processes running: health names each of them with a fresh heartbeat
    both_up = wait_for(
        lambda: (b := health_body())["worker"] == "ok" and b["beat"] == "ok" and b,
        timeout=START,
        what="worker and beat heartbeats",
    )
    print(
        f"\nworker age {both_up['worker_age_seconds']} s, beat age {both_up['beat_age_seconds']} s"
    )
    assert both_up["status"] == "ok"
    assert [w["pid"] for w in both_up["workers"]] == [worker.pid]
    assert [b["pid"] for b in both_up["beats"]] == [beat.pid]
    assert both_up["worker_age_seconds"] < health.HEARTBEAT_TTL_SECONDS
    assert both_up["beat_age_seconds"] < health.HEARTBEAT_TTL_SECONDS
    up = await banner()
    assert (up.worker_down, up.beat_down, up.services_down) == (False, False, False)

    # when the worker is killed: it goes down after its heartbeat expires, beat stays up
    kill(worker)
    killed_at = time.monotonic()
    worker_gone = wait_for(
        lambda: (b := health_body())["worker"] == "down" and b, timeout=DOWN, what="worker down"
    )
    print(f"worker seen down {time.monotonic() - killed_at:.1f} s after SIGKILL")
    assert (worker_gone["status"], worker_gone["beat"]) == ("degraded", "ok")
    answer = await http_health()
    assert answer.status_code == 200 and answer.json()["worker"] == "down"
    no_worker = await banner()
    assert (no_worker.worker_down, no_worker.beat_down) == (True, False)

    # when beat is killed too
    kill(beat)
    killed_at = time.monotonic()
    wait_for(lambda: health_body()["beat"] == "down", timeout=DOWN, what="beat down")
    print(f"beat seen down {time.monotonic() - killed_at:.1f} s after SIGKILL")
    neither = await banner()
    assert (neither.worker_down, neither.beat_down, neither.services_down) == (True, True, True)
