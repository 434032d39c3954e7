"""The approval queue: one dense row per pending level, decided from the row itself."""

from __future__ import annotations

import reflex as rx

from components.payment_badges import payment_badge
from components.timeline import anomaly_chips

# number | customer, reasons, anomalies | amount | waiting | SLA due | risk | decide
DESKTOP_COLUMNS = (
    "minmax(150px,1fr) minmax(200px,3fr) minmax(110px,1fr) minmax(56px,0.5fr) "
    "minmax(140px,1fr) minmax(72px,0.6fr) 180px"
)
# On a tablet held upright (below 1280 px) the row fits the window: the decide buttons show their
# icons only (named by their tooltip) and the customer column takes what is left.
TABLET_COLUMNS = "128px minmax(100px,1fr) 100px 40px 112px 60px 80px"
QUEUE_COLUMNS = rx.breakpoints(initial=TABLET_COLUMNS, lg=DESKTOP_COLUMNS)
WIDE_ONLY = rx.breakpoints(initial="none", lg="inline")


def _risk_badge(t: rx.Var, risk: rx.Var) -> rx.Component:
    return rx.badge(
        t["approvals.risk"],
        " ",
        risk,
        color_scheme=rx.cond(
            risk.to(int) >= 70, "red", rx.cond(risk.to(int) >= 40, "orange", "gray")
        ),
        variant=rx.cond(risk.to(int) >= 70, "solid", "soft"),
        justify_self="start",
        class_name="risk-badge",
    )


def _decide_buttons(t: rx.Var, row, index, on_approve, on_reject) -> rx.Component:
    return rx.cond(
        row["can_decide"].to(bool),
        rx.hstack(
            rx.button(
                rx.icon("check", size=14),
                rx.text(t["approvals.approve"], as_="span", display=WIDE_ONLY),
                rx.cond(row["step_up"].to(bool), rx.icon("key-round", size=12)),
                size="1",
                color_scheme="green",
                on_click=on_approve(index),
                class_name="approve-card",
                aria_label=t["approvals.approve"],
                title=rx.cond(
                    row["step_up"].to(bool), t["approvals.step_up_hint"], t["approvals.approve"]
                ),
            ),
            rx.button(
                rx.icon("x", size=14),
                rx.text(t["approvals.reject"], as_="span", display=WIDE_ONLY),
                aria_label=t["approvals.reject"],
                title=t["approvals.reject"],
                size="1",
                color_scheme="red",
                variant="soft",
                on_click=on_reject(index),
                class_name="reject-card",
            ),
            spacing="2",
            justify="end",
        ),
        rx.text(t["approvals.not_your_level"], size="1", color_scheme="gray"),
    )


def queue_row(t: rx.Var, row, index, selected: rx.Var, errors: rx.Var, handlers: dict):
    """One pending level; the selected row (j/k) is outlined."""
    key = row["request_id"].to(str)
    return rx.box(
        rx.grid(
            rx.vstack(
                rx.link(
                    row["number"],
                    href="/orders/" + row["number"].to(str),
                    weight="bold",
                    size="2",
                    white_space="nowrap",
                    class_name="queue-number",
                ),
                rx.badge(t["role." + row["role"].to(str)], variant="outline", size="1"),
                spacing="1",
            ),
            rx.vstack(
                rx.text(row["customer"], size="2", weight="medium", trim="both", truncate=True),
                rx.text(
                    row["reasons"].to(list[str]).join(" · "),
                    size="1",
                    color_scheme="gray",
                    truncate=True,
                ),
                anomaly_chips(t, row["anomalies"].to(list[str])),
                spacing="1",
                min_width="0",
            ),
            rx.vstack(
                rx.text("¥", row["total"], weight="bold", class_name="queue-amount"),
                payment_badge(t, row["payment"].to(str)),
                align="end",
                spacing="1",
            ),
            rx.text(
                row["waiting_hours"],
                " h",
                size="2",
                text_align="right",
                padding_right="1em",
                class_name="queue-age",
            ),
            rx.cond(
                row["overdue"].to(bool),
                rx.badge(
                    t["approvals.overdue"],
                    " ",
                    row["due"],
                    color_scheme="red",
                    justify_self="start",
                    white_space="normal",  # two lines in the tablet's narrower column
                ),
                rx.text(row["due"], size="1", color_scheme="gray"),
            ),
            _risk_badge(t, row["risk"]),
            _decide_buttons(t, row, index, handlers["approve"], handlers["reject"]),
            columns=QUEUE_COLUMNS,
            spacing="3",
            align="center",
            width="100%",
        ),
        rx.cond(
            errors.contains(key),
            rx.callout(errors[key].to(str), color_scheme="red", size="1", class_name="card-error"),
        ),
        on_click=handlers["select"](index),
        class_name="approval-card",
        data_selected=(index == selected).to(str),
        data_number=row["number"],
        padding="0.5em 0.75em",
        border_radius="6px",
        border=rx.cond(
            index == selected, f"2px solid {rx.color('accent', 8)}", "2px solid transparent"
        ),
        background=rx.cond(index == selected, rx.color("accent", 2), rx.color("gray", 1)),
        box_shadow=f"0 0 0 1px {rx.color('gray', 4)}",
        width="100%",
    )


def queue_header(t: rx.Var) -> rx.Component:
    labels = ["order", "customer", "amount", "age", "due", "risk_col", "decide"]
    return rx.grid(
        *[
            rx.text(
                t["approvals.col." + name],
                size="1",
                weight="medium",
                color_scheme="gray",
                text_align="right" if name in ("amount", "age", "decide") else "left",
                padding_right="1em" if name == "age" else "0",
            )
            for name in labels
        ],
        columns=QUEUE_COLUMNS,
        spacing="3",
        padding="0 0.9em",
        width="100%",
    )


def queue_list(t, rows, selected, errors, handlers) -> rx.Component:
    return rx.vstack(
        queue_header(t),
        rx.foreach(rows, lambda row, i: queue_row(t, row, i, selected, errors, handlers)),
        rx.cond(
            rows.length() == 0,
            rx.center(
                rx.text(t["approvals.empty"], color_scheme="gray"),
                padding="2em",
                width="100%",
                id="queue-empty",
            ),
        ),
        spacing="2",
        width="100%",
        id="approval-queue",
    )
