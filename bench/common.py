"""A throwaway database (and Redis DB) for a benchmark run, on the same servers as the tests."""

from __future__ import annotations

import contextlib
import os
import statistics
import time
from collections.abc import Callable, Iterator

from tests import infra


@contextlib.contextmanager
def bench_environment() -> Iterator[str]:
    """Create, migrate and finally drop a database of the bench's own; yield its URL."""
    admin = infra.admin_database_url()
    url = infra.create_database(admin)
    redis_url, _ = infra.claim_redis_db(infra.redis_server_url())
    os.environ.update(OMS_DATABASE_URL=url, OMS_REDIS_URL=redis_url)
    from oms_app.core.config import reset_settings_cache
    from oms_app.core.db import dispose_engines
    from oms_app.runtime import migrate_and_sync

    reset_settings_cache()
    import oms_app.models  # noqa: F401

    migrate_and_sync()
    try:
        yield url
    finally:
        dispose_engines()
        infra.drop_database(admin, url)
        infra.release_redis_db(redis_url)
        infra.stop_started()


def timed(func: Callable[[], object], repeat: int) -> dict[str, float]:
    """Run `func` `repeat` times; milliseconds at the median, p95 and max."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return {
        "p50_ms": statistics.median(samples),
        "p95_ms": samples[int(len(samples) * 0.95) - 1] if len(samples) > 1 else samples[0],
        "max_ms": samples[-1],
    }


def report(name: str, figures: dict[str, float | int | str]) -> None:
    shown = ", ".join(
        f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in figures.items()
    )
    print(f"{name:<44} {shown}", flush=True)
