"""The worker / beat warning at the top of every admin screen."""

from __future__ import annotations

import reflex as rx

from components.liveness import liveness_banner
from state.liveness import LivenessState


def admin_banner() -> rx.Component:
    return liveness_banner(
        LivenessState.t, LivenessState.worker_down, LivenessState.beat_down, LivenessState.refresh
    )
