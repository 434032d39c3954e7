"""The approval board: one column per level, a card per pending order."""

from __future__ import annotations

import reflex as rx

from components.payment_badges import payment_badge
from components.timeline import anomaly_chips


def _card(t: rx.Var, card) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.text(card["number"], weight="bold"),
                    rx.spacer(),
                    rx.cond(
                        card["overdue"],
                        rx.badge(t["approvals.overdue"], color_scheme="red", variant="solid"),
                    ),
                ),
                rx.text(card["customer"], size="2"),
                rx.hstack(
                    rx.text("¥", card["total"], weight="bold"),
                    rx.spacer(),
                    payment_badge(t, card["payment"].to(str)),
                    rx.badge(
                        t["approvals.risk"],
                        " ",
                        card["risk"],
                        color_scheme=rx.cond(card["risk"].to(int) >= 40, "red", "gray"),
                    ),
                ),
                anomaly_chips(t, card["anomalies"].to(list[str])),
                rx.text(
                    t["approvals.waiting"],
                    " ",
                    card["waiting_hours"],
                    " h",
                    size="1",
                    color_scheme="gray",
                ),
                spacing="1",
                width="100%",
            ),
            width="100%",
            class_name="approval-card",
        ),
        href="/orders/" + card["number"].to(str),
        underline="none",
        width="100%",
    )


def approval_board(t: rx.Var, columns: rx.Var) -> rx.Component:
    def column(col) -> rx.Component:
        return rx.vstack(
            rx.hstack(
                rx.heading(t["role." + col["role"].to(str)], size="3"),
                rx.badge(col["count"], radius="full"),
                align="center",
            ),
            rx.foreach(col["cards"].to(list[dict]), lambda card: _card(t, card)),
            width="320px",
            min_width="280px",
            padding="0.6em",
            border_radius="8px",
            background=rx.color("gray", 2),
            id="queue-" + col["role"].to(str),
            spacing="2",
        )

    return rx.hstack(
        rx.foreach(columns, column),
        align="start",
        spacing="4",
        overflow_x="auto",
        id="approval-board",
    )
