"""Reactions to domain events inside the Reflex backend: one consumer group for all workers.

Each backend worker runs `consume_events` as a lifespan task. The stream is read as one
consumer group, so every event is handled by exactly one worker, which updates the shared
states; Reflex fans the change out to every linked tab on every worker.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable

import redis.asyncio as aioredis
import reflex as rx

from oms_app.accounts import service as accounts_service
from oms_app.core.clock import utcnow
from oms_app.core.config import get_settings
from oms_app.core.db import UnitOfWork
from oms_app.core.events import (
    ENSURE_GROUPS_SCRIPT,
    SEEN_TTL_SECONDS,
    decode_stream_entry,
    group_script_args,
    seen_key,
)
from oms_app.core.permissions import Actor
from oms_app.orders.queries import customer_id_of, order_number_of
from state.approvals_board import BOARD_TOKEN, ApprovalBoardState, load_board
from state.bell import BellState, bell_token, load_bell
from state.coalesce import Coalescer, fan_out_finished
from state.dashboard_live import on_business_event
from state.finance_panel import PANEL_TOKEN, FinancePanelState, load_panel
from state.finance_statements import LEDGER_TOKEN, LedgerPulseState
from state.order_detail import (
    OrderLiveState,
    OrderPage,
    OrderStaffLiveState,
    load_customer_page_for_push,
    load_order_for_push,
    order_customer_token,
    order_staff_token,
    order_token,
)
from state.warehouse_board import on_order_event, on_warehouse_event

log = logging.getLogger(__name__)
GROUP = "reflex-ui"
Handler = Callable[[dict], Awaitable[None]]


async def rebuild_bell(user_id: str) -> None:
    """Rebuild the user's bell from the database and push it to their linked tabs."""
    from oms_app.oms_app import app

    locale, tz = await asyncio.to_thread(
        accounts_service.get_preferences, UnitOfWork(), user_id=int(user_id)
    )
    actor = Actor(user_id=int(user_id), username="", locale=locale, tz=tz)
    items, unread = await asyncio.to_thread(load_bell, actor)
    token = rx.BaseStateToken(ident=bell_token(int(user_id)), cls=BellState)
    async with app.modify_state(token) as root:
        bell = await root.get_state(BellState)
        bell.items, bell.unread, bell.loaded = items, unread, True


async def rebuild_approval_board(_key: str) -> None:
    """Rebuild the shared approval pulse; every open queue then re-reads its own page."""
    from oms_app.oms_app import app

    summary = await asyncio.to_thread(load_board)
    token = rx.BaseStateToken(ident=BOARD_TOKEN, cls=ApprovalBoardState)
    async with app.modify_state(token) as root:
        board = await root.get_state(ApprovalBoardState)
        board._fill(summary)
    await fan_out_finished()


async def rebuild_order_page(order_id: str) -> None:
    """Refresh the shared order (and its shipments) behind every open page of this order."""
    from oms_app.oms_app import app

    number = await asyncio.to_thread(order_number_of, UnitOfWork(), order_id=int(order_id))
    page = await asyncio.to_thread(load_order_for_push, number)
    await _fill_live(order_token(page.order_id), page)
    token = rx.BaseStateToken(ident=order_staff_token(page.order_id), cls=OrderStaffLiveState)
    async with app.modify_state(token) as root:
        staff = await root.get_state(OrderStaffLiveState)
        staff._fill(page)
    # The customer's own copy gets only the customer views (it reaches their browser).
    customer_id = await asyncio.to_thread(customer_id_of, UnitOfWork(), order_id=page.order_id)
    theirs = await asyncio.to_thread(load_customer_page_for_push, number, customer_id)
    await _fill_live(order_customer_token(page.order_id), theirs)


async def _fill_live(ident: str, page: OrderPage) -> None:
    from oms_app.oms_app import app

    token = rx.BaseStateToken(ident=ident, cls=OrderLiveState)
    async with app.modify_state(token) as root:
        live = await root.get_state(OrderLiveState)
        live._fill(page)


async def rebuild_finance_panel(_key: str) -> None:
    """Rebuild the shared finance panel from the ledger (the same figures for every viewer)."""
    from oms_app.oms_app import app

    figures = await asyncio.to_thread(load_panel)
    token = rx.BaseStateToken(ident=PANEL_TOKEN, cls=FinancePanelState)
    async with app.modify_state(token) as root:
        panel = await root.get_state(FinancePanelState)
        panel._fill(figures)
    await fan_out_finished()


async def bump_ledger_pulse(_key: str) -> None:
    """Tell every open statement that the ledger moved; each rebuilds its own dates."""
    from oms_app.oms_app import app

    token = rx.BaseStateToken(ident=LEDGER_TOKEN, cls=LedgerPulseState)
    async with app.modify_state(token) as root:
        pulse = await root.get_state(LedgerPulseState)
        pulse.posted = utcnow().isoformat()
    await fan_out_finished()


BELLS = Coalescer(rebuild_bell)
APPROVAL_BOARD = Coalescer(rebuild_approval_board, delay=0.05)
ORDER_PAGES = Coalescer(rebuild_order_page)
FINANCE_PANEL = Coalescer(rebuild_finance_panel, delay=0.05)
LEDGER_PULSE = Coalescer(bump_ledger_pulse, delay=0.05)


async def push_bell(data: dict) -> None:
    BELLS.schedule(str(data["user_id"]))


async def push_approval_board(data: dict) -> None:
    APPROVAL_BOARD.schedule("all")


async def push_order_page(data: dict) -> None:
    ORDER_PAGES.schedule(str(data["order_id"]))


async def push_finance_panel(data: dict) -> None:
    FINANCE_PANEL.schedule("all")


async def push_ledger_pulse(data: dict) -> None:
    LEDGER_PULSE.schedule("all")


EVENT_HANDLERS: dict[str, list[Handler]] = {
    "notification.created": [push_bell],
    # The shared default view of /dashboard, rebuilt once per burst (state/dashboard_live).
    "order.status_changed": [
        push_approval_board,
        push_order_page,
        on_order_event,
        on_business_event,
    ],
    "approval.status_changed": [push_approval_board, push_order_page, on_business_event],
    # The picking board of the event's warehouse, rebuilt once per burst (state/warehouse_board).
    "shipment.status_changed": [on_warehouse_event, push_order_page, on_business_event],
    "payment.status_changed": [push_order_page, on_business_event],
    "order.payment_status_changed": [
        push_order_page,
        on_order_event,
        push_approval_board,
        on_business_event,
    ],
    "pick.confirmed": [on_warehouse_event],
    "wave.status_changed": [on_warehouse_event],
    "ledger.entry_posted": [push_finance_panel, push_ledger_pulse],
    # Past days rewritten by the rollup pump (an old order shipped): the dashboard's figures.
    "analytics.rollups_refreshed": [on_business_event],
}


async def _ensure_group(client: aioredis.Redis, stream: str) -> None:
    """Create the stream and every consumer group that is missing (the one list is in
    core.events): after Redis restarted empty, every group starts at the stream's start."""
    await client.eval(ENSURE_GROUPS_SCRIPT, 1, stream, *group_script_args())


async def _handle(client: aioredis.Redis, fields: dict) -> None:
    """Run the event's reactions unless this event was handled already.

    A duplicate (republished after a Redis loss) would only rebuild screens from the database
    again, so the cheap Redis dedupe is enough; it is marked after the reactions ran.
    """
    event_id, event_type, data = decode_stream_entry(fields)
    if await client.exists(seen_key(GROUP, event_id)):
        return
    for handler in EVENT_HANDLERS.get(event_type, []):
        try:
            await handler(data)
        except Exception:  # one failing reaction must not stop the others
            log.exception("handler %s failed for event %s", handler.__name__, event_id)
    await client.set(seen_key(GROUP, event_id), 1, ex=SEEN_TTL_SECONDS)


async def _handle_entry(client: aioredis.Redis, stream: str, entry_id: str, fields) -> None:
    try:
        await _handle(client, fields)
    except (KeyError, TypeError, ValueError):  # deleted or foreign entry: acknowledge, skip
        log.warning("skipping unreadable stream entry %s", entry_id)
    await client.xack(stream, GROUP, entry_id)


async def consume_events() -> None:
    """Lifespan task: read the event stream forever, reconnecting when Redis blinks."""
    settings = get_settings()
    if not settings.redis_url:
        log.warning("no OMS_REDIS_URL: live updates are off")
        return
    consumer = f"{socket.gethostname()}-{os.getpid()}"
    stream = settings.event_stream
    while True:
        client = aioredis.Redis.from_url(settings.redis_url, decode_responses=True)
        try:
            await _ensure_group(client, stream)
            while True:
                batches = await client.xreadgroup(
                    GROUP, consumer, {stream: ">"}, count=50, block=5000
                )
                for _stream, entries in batches or []:
                    for entry_id, fields in entries:
                        await _handle_entry(client, stream, entry_id, fields)
        except asyncio.CancelledError:
            raise
        except Exception:  # also NOGROUP after Redis restarted empty: the groups are re-made
            log.warning("event consumer lost Redis; retrying", exc_info=True)
            await asyncio.sleep(2)
        finally:
            await client.aclose()
