"""A throwaway database (and Redis DB) for a benchmark run, on the same servers as the tests."""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
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


class StatementCounter:
    """Counts the statements and transactions an engine runs while `counting` is on.

    A statement run on behalf of a function named in `apart` (the API key check, say) is
    counted on its own line, so the figures per order can leave it out.
    """

    def __init__(self, engine, apart: tuple[str, ...] = ()) -> None:
        import sqlalchemy as sa

        self.apart = apart
        self.counting = False
        self.statements = self.transactions = self.apart_statements = self.apart_transactions = 0
        sa.event.listen(engine, "before_cursor_execute", self._statement)
        sa.event.listen(engine, "begin", self._begin)

    def _on_behalf_of_apart(self) -> bool:
        frame = sys._getframe(2)
        while frame is not None:
            if frame.f_code.co_name in self.apart:
                return True
            frame = frame.f_back
        return False

    def _statement(self, *_args: object) -> None:
        if self.counting:
            if self._on_behalf_of_apart():
                self.apart_statements += 1
            else:
                self.statements += 1

    def _begin(self, *_args: object) -> None:
        if self.counting:
            if self._on_behalf_of_apart():
                self.apart_transactions += 1
            else:
                self.transactions += 1
