"""/orders/[number]: the order, its anomalies and approvals, a live timeline, and decisions."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app.core.clock import utcnow
from oms_app.core.errors import DomainError
from oms_app.core.permissions import Permission
from oms_app.orders import queries as order_queries
from oms_app.orders import service as order_service
from state.base import SessionState


def order_token(order_id: int) -> str:
    return f"order:{order_id}"


class OrderLiveState(rx.SharedState):
    """Bumped by the event consumer whenever the order changes; tabs reload on a new value."""

    version: int = 0

    @rx.event
    async def connect(self, order_id: int):
        if order_id > 0:
            await self._link_to(order_token(order_id))


class OrderDetailState(SessionState):
    order: dict = {}
    history: list[dict] = []
    summary: dict = {}
    comment: str = ""
    error: str = ""
    not_found: bool = False

    @rx.var
    def can_decide(self) -> bool:
        role = self.order.get("pending_role", "")
        return (
            bool(role)
            and (role in self.roles or "admin" in self.roles)
            and "order.approve" in self.permissions
        )

    @rx.var
    def order_id(self) -> int:
        return int(self.order.get("id", 0) or 0)

    @rx.event
    async def load(self):
        actor = await self._actor()
        number = self.router.page.params.get("number", "")
        if actor is None or not number:
            return None
        try:
            self.order = await asyncio.to_thread(
                order_queries.get_order, self._uow(), actor=actor, number=number
            )
            self.history = await asyncio.to_thread(
                order_queries.list_order_history, self._uow(), actor=actor, number=number
            )
        except DomainError:
            self.order, self.history, self.not_found = {}, [], True
            return None
        self.not_found = False
        if actor.can(Permission.ORDER_VIEW):
            self.summary = await asyncio.to_thread(
                order_queries.customer_summary,
                self._uow(),
                actor=actor,
                customer_id=self.order["customer_id"],
                now=utcnow(),
            )
        return OrderLiveState.connect(self.order["id"])

    @rx.event
    def set_comment(self, value: str):
        self.comment = value

    async def _decide(self, func, **kwargs):
        actor = await self._actor()
        try:
            await asyncio.to_thread(
                func, self._uow(), actor=actor, number=self.order.get("number", ""), **kwargs
            )
        except DomainError as err:
            self.error = self._error_text(err)
            return None
        self.error, self.comment = "", ""
        return [rx.toast.success(self._tr("order.decision_saved")), OrderDetailState.load]

    @rx.event
    async def approve(self, form: dict):
        return await self._decide(
            order_service.approve_order, comment=self.comment, totp_code=form.get("totp_code", "")
        )

    @rx.event
    async def reject(self):
        return await self._decide(order_service.reject_order, comment=self.comment)
