"""Wires the shell components to the session and bell states."""

from __future__ import annotations

import reflex as rx

from components.connection_banner import connection_banner
from components.full_navigation import full_navigation
from components.shell import bell, page_frame, sidebar, top_bar
from state.base import SessionState
from state.bell import BellState

KEEP_ALIVE_MS = 4 * 60 * 1000  # re-link before shared state keys can expire in Redis


def shell(title_key: str, *children: rx.Component) -> rx.Component:
    t = SessionState.t
    bell_component = bell(t, BellState.unread, BellState.items, BellState.mark_all_read)
    return rx.fragment(
        reconnecting_banner(),
        full_navigation(SessionState.full_navigation),
        page_frame(
            sidebar(t, SessionState.menu),
            top_bar(
                t,
                SessionState.display_name,
                SessionState.lang,
                SessionState.set_language,
                bell_component,
                SessionState.log_out,
            ),
            t[title_key],
            *children,
        ),
        rx.moment(interval=KEEP_ALIVE_MS, on_change=BellState.connect, display="none"),
    )


def reconnecting_banner() -> rx.Component:
    """Shown while the socket is down: the clicks made meanwhile are sent once it is back."""
    t = SessionState.t
    return connection_banner(t["runtime.reconnecting"], t["runtime.reconnecting_hint"])


def guarded(*loaders) -> list:
    """on_load for a protected page: check access, link the bell, then load the screen."""
    return [SessionState.check_access, BellState.connect, *loaders]
