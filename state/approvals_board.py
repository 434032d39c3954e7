"""/approvals: the queues of every level as cards, one shared board for all approvers."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app.approvals import queries as approval_queries
from oms_app.core.clock import utcnow
from oms_app.core.db import UnitOfWork
from state.base import SessionState

BOARD_TOKEN = "approvals:board"


def load_board() -> list[dict]:
    return approval_queries.list_board(UnitOfWork(), now=utcnow())


class ApprovalBoardState(rx.SharedState):
    """Pending approval cards; the event consumer rebuilds them and every open board updates."""

    cards: list[dict] = []
    loaded: bool = False

    @rx.var
    def columns(self) -> list[dict]:
        roles = ("sales_manager", "finance", "warehouse")
        return [
            {
                "role": role,
                "cards": [c for c in self.cards if c["role"] == role],
                "count": sum(1 for c in self.cards if c["role"] == role),
            }
            for role in roles
        ]

    @rx.event
    async def connect(self):
        session = await self.get_state(SessionState)
        actor = await session._actor()
        if actor is None or not actor.permissions:
            return
        linked = await self._link_to(BOARD_TOKEN)
        relinked = session._relinked(BOARD_TOKEN)
        if not linked.loaded or relinked:  # new or expired in Redis, or this tab reconnected
            linked.cards = await asyncio.to_thread(load_board)
            linked.loaded = True
