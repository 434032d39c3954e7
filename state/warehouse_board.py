"""/warehouse/board: the live picking board, one shared state per warehouse ("board:SH").

The event consumer rebuilds a warehouse's snapshot after its shipments, picks or waves change
(bursts coalesced) and pushes it to every linked tab; tabs never poll. Countdowns and the
overdue highlight tick in the browser from the UTC cut-offs the cards carry.
"""

from __future__ import annotations

import asyncio
import logging
import time

import reflex as rx

from oms_app.core.db import UnitOfWork
from oms_app.core.errors import DomainError
from oms_app.core.permissions import SYSTEM_ACTOR, Actor, Permission
from oms_app.fulfillment import board as board_queries
from state.base import SessionState
from state.coalesce import Coalescer, fan_out_finished
from state.waves import my_warehouse, opening_warehouse

log = logging.getLogger(__name__)
COALESCE_SECONDS = 0.2  # events for one warehouse within this window make one rebuild
TV_CYCLE_MIN_SECONDS = 15  # the TV's 20 s timer also fires on mount: ignore early ticks
BOARD_PERMISSIONS = (Permission.ORDER_FULFIL.value, Permission.STOCK_VIEW.value)


def board_token(code: str) -> str:
    """The shared token of a warehouse's board (shared tokens may not contain underscores)."""
    return "board:" + code.replace("_", "~")


def load_board(code: str, actor: Actor = SYSTEM_ACTOR) -> dict:
    return board_queries.board_snapshot(UnitOfWork(), actor=actor, warehouse_code=code)


_CODES: dict[int, str] = {}


async def warehouse_code_for(warehouse_id: int) -> str:
    """Events name a warehouse by id; cached, reloaded when a new warehouse shows up."""
    if warehouse_id not in _CODES:
        _CODES.update(await asyncio.to_thread(board_queries.warehouse_codes, UnitOfWork()))
    return _CODES.get(warehouse_id, "")


class PickingBoardState(rx.SharedState):
    """One warehouse's columns of cards (viewer-neutral: UTC times, codes, numbers)."""

    warehouse: str = ""
    name: str = ""
    as_of: str = ""
    columns: list[dict] = []
    loaded: bool = False
    version: float = 0.0  # when the shown snapshot was read; an older one never overwrites it

    def _fill(self, snapshot: dict, version: float) -> None:
        self.warehouse, self.name = snapshot["warehouse"], snapshot["name"]
        self.as_of, self.columns = snapshot["as_of"], snapshot["columns"]
        self.version, self.loaded = version, True

    @rx.event
    async def connect(self, code: str):
        """Link this tab to a warehouse's board; also the keep-alive and the TV's cycle.

        Uses the rights and warehouses the page's access check stored on the server, so
        re-linking touches the database only when the board must be rebuilt.
        """
        view = await self.get_state(WarehouseBoardState)
        if not view._may_view() or code not in view._codes():
            return
        token = board_token(code)
        linked = await self._link_to(token)
        relinked = (await self.get_state(SessionState))._relinked(token)
        if not linked.loaded or relinked:  # new or expired in Redis, or this tab was away
            version = time.time()
            snapshot = await asyncio.to_thread(load_board, code, view._board_actor())
            linked._fill(snapshot, version)


class WarehouseBoardState(SessionState):
    """The viewer's side: which warehouse they watch, and the TV mode's rotation."""

    warehouses: list[dict[str, str]] = []
    selected: str = ""
    tv: bool = False
    _switched_at: float = 0.0
    _mine_applied: bool = False  # the user's own warehouse is applied once per tab

    def _may_view(self) -> bool:
        return any(p in self.permissions for p in BOARD_PERMISSIONS)

    def _codes(self) -> list[str]:
        return [w["code"] for w in self.warehouses]

    def _board_actor(self) -> Actor:
        return Actor(
            user_id=self.user_id or None,
            username=self.username,
            permissions=frozenset(self.permissions),
        )

    async def _start(self, tv: bool):
        actor = await self._actor()
        if actor is None:
            return None
        try:
            self.warehouses = await asyncio.to_thread(
                board_queries.list_board_warehouses, self._uow(), actor=actor
            )
        except DomainError:
            self.warehouses = []
            return None
        codes = self._codes()
        if tv:  # a wall screen shows every warehouse in turn, starting where asked
            wanted = self.router.page.params.get("wh", "") or self.selected
            self.selected = wanted if wanted in codes else (codes[0] if codes else "")
        else:
            mine = None if self._mine_applied else await my_warehouse(self, actor)
            self._mine_applied = True
            asked = self.router.page.params.get("wh", "")  # a link to one warehouse's board
            chosen = opening_warehouse(codes, self.selected, mine)
            self.selected = asked if asked in codes else chosen
        self.tv, self._switched_at = tv, time.time()
        return PickingBoardState.connect(self.selected) if self.selected else None

    @rx.event
    async def load(self):
        """on_load of /warehouse/board (after the access check)."""
        return await self._start(tv=False)

    @rx.event
    async def load_tv(self):
        """on_load of /warehouse/board/tv."""
        return await self._start(tv=True)

    @rx.event
    def choose_warehouse(self, code: str):
        """The warehouse select: re-link this tab to the chosen board."""
        if code not in self._codes():
            return None
        self.selected = code
        return PickingBoardState.connect(code)

    @rx.event
    def keep_alive(self):
        """Hidden timer: re-link before the shared key can expire in Redis."""
        return PickingBoardState.connect(self.selected) if self.selected else None

    @rx.event
    def next_warehouse(self):
        """TV mode, every 20 s: show the next warehouse (re-links only; no query)."""
        codes = self._codes()
        if not self.tv or not codes or time.time() - self._switched_at < TV_CYCLE_MIN_SECONDS:
            return None
        position = codes.index(self.selected) if self.selected in codes else -1
        self.selected = codes[(position + 1) % len(codes)]
        self._switched_at = time.time()
        return PickingBoardState.connect(self.selected)


# --- pushed by the event consumer (state/live.py) -------------------------------------------


async def push_board(code: str) -> None:
    """Rebuild a warehouse's board from the database and push it to every linked tab."""
    from oms_app.oms_app import app

    version = time.time()
    snapshot = await asyncio.to_thread(load_board, code)
    token = rx.BaseStateToken(ident=board_token(code), cls=PickingBoardState)
    async with app.modify_state(token) as root:
        live = await root.get_state(PickingBoardState)
        if live.version <= version:
            live._fill(snapshot, version)
    await fan_out_finished()


BOARD_REBUILDS = Coalescer(push_board, delay=COALESCE_SECONDS)


async def on_warehouse_event(data: dict) -> None:
    """shipment.status_changed, pick.confirmed, wave.status_changed: that warehouse's board."""
    code = await warehouse_code_for(int(data["warehouse_id"]))
    if code:
        BOARD_REBUILDS.schedule(code)


async def on_order_event(data: dict) -> None:
    """An order allocated makes shipments without a shipment event: refresh their boards."""
    if data.get("to_status") != "allocated" and "payment_status" not in data:
        return
    codes = await asyncio.to_thread(
        board_queries.warehouses_of_order, UnitOfWork(), order_id=int(data["order_id"])
    )
    for code in codes:
        BOARD_REBUILDS.schedule(code)
