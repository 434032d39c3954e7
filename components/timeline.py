"""A vertical timeline of status changes: who, when, why."""

from __future__ import annotations

import reflex as rx

from components.data_table import status_badge


def timeline(t: rx.Var, events: rx.Var, tz: rx.Var) -> rx.Component:
    """Events carry UTC times (`at_utc`), shown in the viewer's zone `tz`."""

    def entry(e) -> rx.Component:
        return rx.hstack(
            rx.box(
                width="10px",
                height="10px",
                border_radius="50%",
                background=rx.color("accent", 9),
                margin_top="6px",
                flex_shrink="0",
            ),
            rx.vstack(
                rx.hstack(
                    status_badge(t, e["to"]),
                    rx.moment(e["at_utc"], format="YYYY-MM-DD HH:mm", tz=tz, font_size="0.8em"),
                ),
                rx.text(t["action." + e["action"].to(str)], " · ", e["actor"], size="2"),
                rx.cond(e["reason"] != "", rx.text(e["reason"], size="2", color_scheme="gray")),
                spacing="1",
            ),
            align="start",
            spacing="3",
            class_name="timeline-entry",
        )

    return rx.vstack(
        rx.foreach(events, entry),
        spacing="3",
        id="timeline",
        border_left=f"2px solid {rx.color('gray', 5)}",
        padding_left="0.8em",
    )


def customer_timeline(t: rx.Var, events: rx.Var, tz: rx.Var) -> rx.Component:
    """The customer's timeline: their order's status changes, by "you" or "us", no names."""

    def entry(e) -> rx.Component:
        return rx.hstack(
            status_badge(t, e["status"]),
            rx.moment(e["at_utc"], format="YYYY-MM-DD HH:mm", tz=tz, font_size="0.8em"),
            rx.text(t["order.by." + e["by"].to(str)], size="2", color_scheme="gray"),
            align="center",
            spacing="3",
            class_name="timeline-entry",
        )

    return rx.vstack(
        rx.foreach(events, entry),
        spacing="3",
        id="timeline",
        border_left=f"2px solid {rx.color('gray', 5)}",
        padding_left="0.8em",
    )


def anomaly_chips(t: rx.Var, codes: rx.Var) -> rx.Component:
    return rx.flex(
        rx.foreach(
            codes,
            lambda code: rx.badge(t["anomaly." + code.to(str)], color_scheme="red", variant="soft"),
        ),
        spacing="1",
        wrap="wrap",
    )
