"""/warehouse/board and /warehouse/board/tv: the live picking board of one warehouse.

TV mode is the same board without the shell or controls, in large type, showing the next
warehouse every 20 s (a browser timer that only re-links the tab; the board itself is pushed).
"""

from __future__ import annotations

import reflex as rx
from reflex.experimental.client_state import ClientStateVar

from components.board import (
    board_columns,
    board_toolbar,
    empty_board,
    tv_header,
    warehouse_select,
)
from components.warehouse_forms import choose_warehouse_first
from oms_app import routes
from oms_app.pages.layout import KEEP_ALIVE_MS, reconnecting_banner, shell
from state.base import SessionState
from state.warehouse_board import PickingBoardState, WarehouseBoardState

CLOCK_MS = 30_000  # how often the browser re-checks cut-offs for the overdue highlight
TV_CYCLE_MS = 20_000

# The browser's clock in ms, kept in the page (never on the server).
NOW_MS = ClientStateVar.create("board_now_ms", default=0)


def _browser_clock() -> rx.Component:
    return rx.moment(interval=CLOCK_MS, format="x", on_change=NOW_MS.set_value(), display="none")


def _columns(tv: bool) -> rx.Component:
    t = SessionState.t
    columns = board_columns(
        t,
        PickingBoardState.columns,
        lang=SessionState.lang,
        tz=SessionState.tz,
        now_ms=NOW_MS.value.to(int),
        tv=tv,
    )
    waiting = rx.cond(
        WarehouseBoardState.warehouses.length() > 0, rx.spinner(size="3"), empty_board(t)
    )
    if tv:
        return rx.cond(PickingBoardState.loaded, columns, waiting)
    return rx.cond(
        (WarehouseBoardState.selected == "") & (WarehouseBoardState.warehouses.length() > 0),
        choose_warehouse_first(t, "board-choose-warehouse"),
        rx.cond(PickingBoardState.loaded, columns, waiting),
    )


def warehouse_board_page() -> rx.Component:
    t = SessionState.t
    select = warehouse_select(
        t,
        WarehouseBoardState.warehouses,
        WarehouseBoardState.selected,
        WarehouseBoardState.choose_warehouse,
    )
    tv_href = routes.WAREHOUSE_BOARD_TV + "?wh=" + WarehouseBoardState.selected
    return shell(
        "nav.warehouse_board",
        board_toolbar(t, select, tv_href, PickingBoardState.as_of, SessionState.tz),
        _columns(tv=False),
        _browser_clock(),
        rx.moment(interval=KEEP_ALIVE_MS, on_change=WarehouseBoardState.keep_alive, display="none"),
    )


def warehouse_board_tv_page() -> rx.Component:
    t = SessionState.t
    return rx.box(
        reconnecting_banner(),
        tv_header(t, PickingBoardState.warehouse, PickingBoardState.name, SessionState.tz),
        _columns(tv=True),
        _browser_clock(),
        rx.moment(
            interval=TV_CYCLE_MS, on_change=WarehouseBoardState.next_warehouse, display="none"
        ),
        width="100vw",
        min_height="100vh",
        padding="1em",
        id="board-tv",
    )
