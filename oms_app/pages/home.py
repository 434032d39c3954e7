"""/ : the overview."""

from __future__ import annotations

import reflex as rx

from components.data_table import status_badge
from oms_app.pages.layout import shell
from state.lists import HomeState


def home_page() -> rx.Component:
    t = HomeState.t
    card = lambda row: rx.card(
        rx.vstack(  # noqa: E731
            status_badge(t, row["status"]), rx.heading(row["count"], size="7"), spacing="1"
        ),
        min_width="150px",
    )
    return shell(
        "nav.home",
        rx.vstack(
            rx.text(t["home.welcome"], " ", HomeState.display_name, size="4", id="welcome"),
            rx.cond(
                HomeState.status_counts.length() > 0,
                rx.flex(
                    rx.foreach(HomeState.status_counts, card),
                    wrap="wrap",
                    spacing="3",
                    id="status-cards",
                ),
            ),
            spacing="4",
        ),
    )
