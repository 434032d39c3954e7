"""Turn bursts of events into few rebuilds: at most one rebuild per key in flight.

Live screens are rebuilt from the database, so a rebuild that starts after an event has seen
it; events arriving during a rebuild cause exactly one more. The event consumer only schedules
and moves on, so one slow screen never holds up the others.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from reflex.istate import shared as reflex_shared

log = logging.getLogger(__name__)


@dataclass
class _Run:
    task: asyncio.Task | None = None
    started: bool = False
    again: bool = False


@dataclass
class Coalescer:
    """At most one rebuild per key in flight: a burst waits `delay` and becomes one run; an
    event that arrives while a run reads the database makes exactly one more run after it."""

    rebuild: Callable[[str], Awaitable[None]]
    delay: float = 0.0
    pending: dict[str, _Run] = field(default_factory=dict)

    def schedule(self, key: str) -> None:
        run = self.pending.get(key)
        if run is None:
            run = self.pending[key] = _Run()
            run.task = asyncio.get_running_loop().create_task(self._run(key, run))
        elif run.started:
            run.again = True
        # else: scheduled and not started yet, so it will read this change too

    async def _run(self, key: str, run: _Run) -> None:
        try:
            while True:
                await asyncio.sleep(self.delay)
                run.started, run.again = True, False
                try:
                    await self.rebuild(key)
                except Exception:  # the next event rebuilds; never kill the consumer
                    log.exception("rebuilding %s failed", key)
                if not run.again:
                    return
                run.started = False
        finally:
            self.pending.pop(key, None)


async def fan_out_finished(timeout: float = 10.0) -> None:
    """Wait until Reflex has delivered shared-state changes to the other linked tabs.

    Reflex sends them from background tasks; a rebuild that waits for them lets the next
    rebuild of the same board start only when every tab has this one, so under load the
    coalescer merges more events instead of piling up deliveries.
    """
    pending = [t for t in reflex_shared.UPDATE_OTHER_CLIENT_TASKS if not t.done()]
    if pending:
        await asyncio.wait(pending, timeout=timeout)
