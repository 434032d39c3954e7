"""/orders/[number]: the order, its anomalies and approvals, a live timeline, and decisions.

The order itself lives in a shared state per order, filled by the server and pushed to every
open page of that order when it changes; it holds only language- and zone-neutral values
(codes, amounts, UTC times), which each page shows in its viewer's language and zone.
"""

from __future__ import annotations

import asyncio
from datetime import date

import reflex as rx

from oms_app.core.clock import utcnow
from oms_app.core.db import UnitOfWork
from oms_app.core.errors import DomainError
from oms_app.core.permissions import SYSTEM_ACTOR, Actor, Permission
from oms_app.orders import queries as order_queries
from oms_app.orders import service as order_service
from oms_app.orders import templates as order_templates
from state.base import SessionState


def order_token(order_id: int) -> str:
    return f"order:{order_id}"


def load_order(actor: Actor, number: str) -> tuple[dict, list[dict]]:
    """The order and its history as the actor may see them (NotFound otherwise)."""
    uow = UnitOfWork()
    order = order_queries.get_order(uow, actor=actor, number=number)
    return order, order_queries.list_order_history(uow, actor=actor, number=number)


def load_order_for_push(number: str) -> tuple[dict, list[dict]]:
    return load_order(SYSTEM_ACTOR, number)


class OrderLiveState(rx.SharedState):
    """One order, shared by every page that shows it."""

    order: dict = {}
    history: list[dict] = []

    @rx.var
    def approvals(self) -> list[dict]:
        return list(self.order.get("approvals", []))

    @rx.event
    async def connect(self, number: str):
        """Link to the order after checking on the server that this user may see it."""
        session = await self.get_state(SessionState)
        actor = await session._actor()
        if actor is None:
            return
        try:
            order, history = await asyncio.to_thread(load_order, actor, number)
        except DomainError:
            return
        linked = await self._link_to(order_token(order["id"]))
        linked.order, linked.history = order, history


class OrderDetailState(SessionState):
    """The viewer's side of the order page: the customer's record and the decision form."""

    summary: dict = {}
    comment: str = ""
    error: str = ""
    not_found: bool = False

    def _number(self) -> str:
        return self.router.page.params.get("number", "")

    @rx.event
    async def load(self):
        actor = await self._actor()
        number = self._number()
        if actor is None or not number:
            return None
        try:
            order, _ = await asyncio.to_thread(load_order, actor, number)
        except DomainError:
            self.not_found = True
            return None
        self.not_found = False
        if actor.can(Permission.ORDER_VIEW):
            self.summary = await asyncio.to_thread(
                order_queries.customer_summary,
                self._uow(),
                actor=actor,
                customer_id=order["customer_id"],
                now=utcnow(),
            )
        return OrderLiveState.connect(number)

    @rx.event
    def set_comment(self, value: str):
        self.comment = value

    async def _decide(self, func, **kwargs):
        actor = await self._actor()
        try:
            await asyncio.to_thread(func, self._uow(), actor=actor, number=self._number(), **kwargs)
        except DomainError as err:
            self.error = self._error_text(err)
            return None
        self.error, self.comment = "", ""
        return rx.toast.success(self._tr("order.decision_saved"))

    @rx.event
    async def approve(self, form: dict):
        return await self._decide(
            order_service.approve_order, comment=self.comment, totp_code=form.get("totp_code", "")
        )

    @rx.event
    async def save_template(self, form: dict):
        """Keep this order as a template (optionally shared, optionally recurring)."""
        actor = await self._actor()
        recurrence = form.get("recurrence", "")
        try:
            first = date.fromisoformat(form["first_run"]) if form.get("first_run") else None
        except ValueError:
            first = None
        try:
            await asyncio.to_thread(
                order_templates.save_template,
                self._uow(),
                actor=actor,
                name=form.get("name", ""),
                from_number=self._number(),
                shared=bool(form.get("shared")),
                recurrence="" if recurrence == "none" else recurrence,
                first_run=first,
            )
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        return rx.toast.success(self._tr("template.saved"))

    @rx.event
    async def reject(self):
        return await self._decide(order_service.reject_order, comment=self.comment)
