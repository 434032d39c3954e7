"""Wires the shell components to the session and bell states."""

from __future__ import annotations

import reflex as rx

from components.connection_banner import connection_banner
from components.full_navigation import full_navigation
from components.shell import bell, page_frame, sidebar, top_bar
from state.base import SessionState, register_page_loaders
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
                SessionState.roles,
                SessionState.lang,
                SessionState.set_language,
                bell_component,
                SessionState.log_out,
            ),
            t[title_key],
            access_gate(*children),
        ),
        rx.moment(interval=KEEP_ALIVE_MS, on_change=BellState.connect, display="none"),
    )


def reconnecting_banner() -> rx.Component:
    """Shown while the socket is down: the clicks made meanwhile are sent once it is back."""
    t = SessionState.t
    return connection_banner(t["runtime.reconnecting"], t["runtime.reconnecting_hint"])


def guarded(route: str, *loaders) -> list:
    """on_load for a protected page: check access; once it passed, link the bell and load."""
    register_page_loaders(route, (BellState.connect, *loaders))
    return [SessionState.check_access]


# The path the browser shows now, read at each render: a page's content stays hidden until the
# access check passed for this very path (the state may still hold the previous page's).
BROWSER_PATH = rx.Var(
    "((typeof window !== 'undefined' && window.location.pathname.replace(/\\/+$/, '')) || '/')"
).to(str)


def access_gate(*children: rx.Component) -> rx.Component:
    return rx.cond(
        SessionState.checked_path == BROWSER_PATH,
        rx.fragment(*children),
        rx.center(
            rx.hstack(
                rx.spinner(), rx.text(SessionState.t["access.checking"], color_scheme="gray")
            ),
            padding="4em",
        ),
    )
