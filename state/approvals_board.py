"""The live pulse of /approvals: one small shared state for every approver.

It holds only counts and a stamp. The event consumer (state/live.py) refreshes it after any
approval or order change; each open queue then re-reads its own sorted, filtered page.
"""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app.approvals import queries as approval_queries
from oms_app.core.clock import utcnow
from oms_app.core.db import UnitOfWork
from state.base import SessionState

BOARD_TOKEN = "approvals:board"


def load_board() -> dict:
    """The counts every approver sees, stamped so that each rebuild reaches the open queues."""
    now = utcnow()
    return {**approval_queries.count_pending(UnitOfWork(), now=now), "stamp": now.isoformat()}


class ApprovalBoardState(rx.SharedState):
    """How many levels wait (in all, overdue, per role) and when that was last read."""

    counts: dict[str, int] = {}
    overdue: int = 0
    total: int = 0
    stamp: str = ""
    loaded: bool = False

    def _fill(self, summary: dict) -> None:
        self.counts = dict(summary["by_role"])
        self.total, self.overdue = summary["total"], summary["overdue"]
        self.stamp, self.loaded = summary["stamp"], True

    @rx.event
    async def connect(self):
        session = await self.get_state(SessionState)
        actor = await session._actor()
        if actor is None or not actor.permissions:
            return
        linked = await self._link_to(BOARD_TOKEN)
        relinked = session._relinked(BOARD_TOKEN)
        if not linked.loaded or relinked:  # new or expired in Redis, or this tab reconnected
            linked._fill(await asyncio.to_thread(load_board))
