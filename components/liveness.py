"""The warning an administrator sees while the Celery worker or beat is down."""

from __future__ import annotations

import reflex as rx

REFRESH_MS = 15_000  # a heartbeat lives 20 s: the banner follows within about half a minute


def _warning(text: rx.Var, element_id: str) -> rx.Component:
    return rx.callout(
        text, icon="triangle_alert", color_scheme="red", role="alert", id=element_id, width="100%"
    )


def liveness_banner(
    t: rx.Var, worker_down: rx.Var, beat_down: rx.Var, refresh: rx.EventHandler
) -> rx.Component:
    """One red line per part that is down; re-checked on mount and every REFRESH_MS."""
    return rx.box(
        rx.cond(worker_down, _warning(t["ops.worker_down"], "worker-down-banner")),
        rx.cond(beat_down, _warning(t["ops.beat_down"], "beat-down-banner")),
        rx.moment(interval=REFRESH_MS, on_change=refresh, display="none"),
        on_mount=refresh,
        width="100%",
    )
