"""/orders/[number]: the order, its anomalies and approvals, a live timeline, and decisions.

The order itself lives in a shared state per order, filled by the server and pushed to every
open page of that order when it changes; it holds only language- and zone-neutral values
(codes, amounts, UTC times), which each page shows in its viewer's language and zone.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, timedelta

import reflex as rx

from oms_app.core.clock import utcnow
from oms_app.core.config import get_settings
from oms_app.core.db import UnitOfWork
from oms_app.core.errors import DomainError
from oms_app.core.permissions import SYSTEM_ACTOR, Actor, Permission, sees_customer_view
from oms_app.fulfillment import allocation
from oms_app.fulfillment import customer_view as shipment_customer_view
from oms_app.fulfillment import queries as fulfilment_queries
from oms_app.orders import authorship
from oms_app.orders import queries as order_queries
from oms_app.orders import service as order_service
from oms_app.orders import templates as order_templates
from oms_app.orders.status import OrderStatus
from oms_app.payments import customer_view as payment_customer_view
from oms_app.payments import links
from oms_app.payments import queries as payment_queries
from oms_app.returns import queries as return_queries
from state.base import SessionState


def percent(ratio) -> str:
    """A ratio as a percentage with one decimal ("" when there is no figure yet)."""
    return "" if ratio is None else f"{ratio * 100:.1f}"


def order_token(order_id: int) -> str:
    return f"order:{order_id}"


def order_customer_token(order_id: int) -> str:
    """Customers link their own copy of the order: staff's copy holds internal fields, and
    whatever a shared state holds reaches the browser of everyone linked to it."""
    return f"ordercustomer:{order_id}"  # link tokens may not contain "_"


def order_staff_token(order_id: int) -> str:
    return f"orderstaff:{order_id}"  # link tokens may not contain "_"


def live_token(actor: Actor, order_id: int) -> str:
    return order_customer_token(order_id) if sees_customer_view(actor) else order_token(order_id)


@dataclass(frozen=True)
class OrderPage:
    """What the shared states of one order page hold: the same for every viewer of a kind
    (staff, or the order's customer, who gets only the customer views)."""

    order_id: int  # for the link token; never in a state
    order: dict
    history: list[dict]
    shipments: list[dict] = field(default_factory=list)  # without pickup codes
    pickup_codes: dict[str, str] = field(default_factory=dict)  # staff only
    preview: dict = field(default_factory=dict)  # staff only; empty unless pending approval
    payments: dict = field(default_factory=dict)  # payment status, paid, owed, each payment
    pay_url: str = ""  # the signed link to pay the order (anyone who may see the order)


def load_order(actor: Actor, number: str) -> tuple[dict, list[dict]]:
    """The order and its history as the actor may see them (NotFound otherwise)."""
    uow = UnitOfWork()
    order = order_queries.get_order(uow, actor=actor, number=number)
    return order, order_queries.list_order_history(uow, actor=actor, number=number)


def load_shipments(number: str, actor: Actor = SYSTEM_ACTOR) -> tuple[list[dict], dict[str, str]]:
    """The order's shipments for every viewer, and their pickup codes (kept for staff) apart.

    Callers have checked that the viewer may see the order; the floor permission the query
    asks for guards the warehouse API, not the order's own page.
    """
    rows = fulfilment_queries.list_order_shipments(UnitOfWork(), actor=SYSTEM_ACTOR, number=number)
    codes = {r["number"]: r["pickup_code"] for r in rows if r["pickup_code"]}
    if sees_customer_view(actor):
        return [shipment_customer_view.shipment_view(r) for r in rows], {}
    return [{k: v for k, v in r.items() if k != "pickup_code"} for r in rows], codes


def load_allocation_preview(number: str, status: str) -> dict:
    """Where a pending order would ship from; nothing once it is decided (no reservation)."""
    if status != OrderStatus.PENDING_APPROVAL:
        return {}
    return allocation.preview_allocation(UnitOfWork(), actor=SYSTEM_ACTOR, number=number)


def load_payments(number: str, actor: Actor = SYSTEM_ACTOR) -> dict:
    """The order's payments as the viewer may see them (callers checked the viewer may see the
    order; the system reads them, the viewer's kind picks the view)."""
    summary = payment_queries.order_payment_summary(
        UnitOfWork(), actor=SYSTEM_ACTOR, order_number=number
    )
    return payment_customer_view.summary_view(summary) if sees_customer_view(actor) else summary


def pay_url(number: str) -> str:
    return f"{get_settings().base_url.rstrip('/')}/pay/{links.make_pay_token(number)}"


def load_order_page(actor: Actor, number: str) -> OrderPage:
    """Everything the order page shares, as the actor may see it (NotFound otherwise)."""
    order, history = load_order(actor, number)
    order_id = order_queries.order_id_of(UnitOfWork(), number=order["number"])
    shipments, codes = load_shipments(order["number"], actor)
    payments, link = load_payments(order["number"], actor), pay_url(order["number"])
    if sees_customer_view(actor):
        return OrderPage(order_id, order, history, shipments, payments=payments, pay_url=link)
    preview = load_allocation_preview(order["number"], order["status"])
    return OrderPage(order_id, order, history, shipments, codes, preview, payments, link)


def load_order_for_push(number: str) -> OrderPage:
    """The staff page of the order, pushed to staff's shared copy."""
    return load_order_page(SYSTEM_ACTOR, number)


def load_customer_page_for_push(number: str, customer_id: int) -> OrderPage:
    """The customer's page of the order, pushed to the customer's shared copy."""
    return load_order_page(order_customer_actor(customer_id), number)


def order_customer_actor(customer_id: int) -> Actor:
    """The order's customer as a viewer: what any of their people may see of it."""
    return Actor(
        user_id=None,
        username="customer",
        permissions=frozenset({Permission.PORTAL_USE.value}),
        customer_id=customer_id,
    )


class OrderLiveState(rx.SharedState):
    """One order, shared by every page that shows it."""

    order: dict = {}
    history: list[dict] = []
    shipments: list[dict] = []
    payments: dict = {}
    pay_url: str = ""

    @rx.var
    def approvals(self) -> list[dict]:
        return list(self.order.get("approvals", []))

    @rx.var
    def payment_rows(self) -> list[dict]:
        return list(self.payments.get("payments", []))

    def _fill(self, page: OrderPage) -> None:
        self.order, self.history, self.shipments = page.order, page.history, page.shipments
        self.payments, self.pay_url = page.payments, page.pay_url

    @rx.event
    async def connect(self, number: str):
        """Link to the order after checking on the server that this user may see it."""
        session = await self.get_state(SessionState)
        actor = await session._actor()
        if actor is None:
            return
        try:
            page = await asyncio.to_thread(load_order_page, actor, number)
        except DomainError:
            return
        linked = await self._link_to(live_token(actor, page.order_id))
        linked._fill(page)
        if not sees_customer_view(actor):
            staff = await self.get_state(OrderStaffLiveState)
            staff = await staff._link_to(order_staff_token(page.order_id))
            staff._fill(page)


class OrderStaffLiveState(rx.SharedState):
    """What only staff see of one order (customers never link it): pickup codes and, while
    the order waits for approval, where its goods would ship from."""

    pickup_codes: dict[str, str] = {}
    preview: dict = {}

    @rx.var
    def has_preview(self) -> bool:
        return bool(self.preview.get("parts") or self.preview.get("short"))

    @rx.var
    def preview_parts(self) -> list[dict]:
        return list(self.preview.get("parts", []))

    @rx.var
    def preview_short(self) -> list[dict]:
        return list(self.preview.get("short", []))

    @rx.var
    def preview_split(self) -> bool:
        return bool(self.preview.get("split"))

    def _fill(self, page: OrderPage) -> None:
        self.pickup_codes, self.preview = page.pickup_codes, page.preview


class OrderDetailState(SessionState):
    """The viewer's side of the order page: the customer's record and the decision form."""

    summary: dict = {}
    payment_record: dict = {}  # how the customer paid its invoices lately
    comment: str = ""
    error: str = ""
    decision_block: str = ""  # the four-eyes code keeping this viewer from deciding, if any
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
        await self._explain_decision_block(actor)
        if not sees_customer_view(actor):
            summary = await asyncio.to_thread(
                order_queries.customer_summary,
                self._uow(),
                actor=actor,
                customer_id=order["customer_id"],
                now=utcnow(),
            )
            rate = await asyncio.to_thread(
                return_queries.customer_return_rate,
                self._uow(),
                order["customer_id"],
                utcnow() - timedelta(days=365),
            )
            self.summary = {**summary, "return_rate": percent(rate)}
            self.payment_record = await asyncio.to_thread(
                payment_queries.customer_payment_record,
                self._uow(),
                actor=actor,
                customer_id=order["customer_id"],
                now=utcnow(),
            )
        return OrderLiveState.connect(number)

    async def _explain_decision_block(self, actor: Actor) -> None:
        """Say up front why this viewer may not decide (the service refuses it anyway)."""
        code = ""
        if actor.can(Permission.ORDER_APPROVE):
            code = await asyncio.to_thread(
                authorship.decision_refusal, self._uow(), actor=actor, number=self._number()
            )
        self.decision_block = code

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
        await self._explain_decision_block(actor)
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
        except ValueError:  # 2026-02-30 fits the box's pattern but is no day: say so
            text = self._tr("template.first_run") + ": " + self._tr("error.date.invalid")
            return rx.toast.error(text)
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
