"""The notification bell: one shared state per user, linked from each of the user's tabs."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import Actor
from oms_app.notifications import queries as notification_queries
from oms_app.notifications import service as notifications_service
from state.base import SessionState


def bell_token(user_id: int) -> str:
    """The shared token of a user's bell, derived on the server (no underscores allowed)."""
    return f"bell:user:{user_id}"


def load_bell(actor: Actor) -> tuple[list[dict], int]:
    uow = UnitOfWork()
    return (
        notification_queries.list_recent(uow, actor=actor),
        notification_queries.count_unread(uow, actor=actor),
    )


class BellState(rx.SharedState):
    """Unread count and newest notifications of one user, pushed live to all of their tabs."""

    items: list[dict] = []
    unread: int = 0
    loaded: bool = False

    @rx.event
    async def connect(self):
        """Link this tab to the user's bell; also the keep-alive for idle screens."""
        session = await self.get_state(SessionState)
        actor = await session._actor()
        if actor is None or actor.user_id is None:
            return
        token = bell_token(actor.user_id)
        linked = await self._link_to(token)
        relinked = session._relinked(token)
        if not linked.loaded or relinked:  # new or expired in Redis, or this tab reconnected
            linked.items, linked.unread = await asyncio.to_thread(load_bell, actor)
            linked.loaded = True

    @rx.event
    async def mark_all_read(self):
        session = await self.get_state(SessionState)
        actor = await session._actor()
        if actor is None:
            return
        await asyncio.to_thread(notifications_service.mark_read, UnitOfWork(), actor=actor)
        self.items, self.unread = await asyncio.to_thread(load_bell, actor)
