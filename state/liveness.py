"""Whether the Celery worker and beat are alive, for the warning on the admin screens."""

from __future__ import annotations

import asyncio
import logging

import reflex as rx

from oms_app.core import health
from state.base import SessionState

log = logging.getLogger(__name__)


class LivenessState(SessionState):
    """Worker and beat heartbeats as the health endpoint reports them."""

    worker_down: bool = False
    beat_down: bool = False

    @rx.var
    def services_down(self) -> bool:
        return self.worker_down or self.beat_down

    @rx.event
    async def refresh(self):
        """Read the heartbeats again (Redis down means no heartbeat can be seen: both down)."""
        try:
            body = await asyncio.to_thread(health.report)
        except Exception:  # a health check must not break the admin screen
            log.warning("liveness check failed", exc_info=True)
            return
        self.worker_down = body["worker"] != "ok"
        self.beat_down = body["beat"] != "ok"
