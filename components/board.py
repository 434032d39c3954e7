"""The live picking board: columns of shipment cards with browser-side cut-off countdowns.

Cards carry UTC cut-offs (`cutoff_at` ISO, `cutoff_ms`); each viewer's browser shows them in
its own language and zone and turns a card red once its cut-off passes, without the server.
"""

from __future__ import annotations

import reflex as rx

from components.payment_badges import payment_badge

SHIPPED_COLUMN = "shipped_today"
ONE_LINE = {
    "white_space": "nowrap",
    "overflow": "hidden",
    "text_overflow": "ellipsis",
    "min_width": "0",
}


def _sizes(tv: bool) -> dict[str, str]:
    if tv:
        return {"title": "2", "text": "4", "small": "3", "heading": "6", "min_width": "0"}
    return {"title": "1", "text": "2", "small": "1", "heading": "3", "min_width": "190px"}


def countdown(cutoff_at: rx.Var, lang: rx.Var, tz: rx.Var, size: str) -> rx.Component:
    """ "in 2 hours" / "2 小时内" plus the local clock time; ticks in the browser every 30 s."""

    def relative(locale: str) -> rx.Component:
        return rx.moment(cutoff_at, from_now=True, interval=30_000, locale=locale)

    return rx.cond(
        cutoff_at != "",
        rx.hstack(
            rx.icon("alarm-clock", size=14),
            rx.text(rx.cond(lang == "en", relative("en"), relative("zh-cn")), size=size),
            rx.text(
                rx.moment(cutoff_at, format="HH:mm", tz=tz),
                size=size,
                color_scheme="gray",
            ),
            spacing="1",
            align="center",
            class_name="board-countdown",
        ),
    )


def priority_badge(t: rx.Var, priority: rx.Var, size: str) -> rx.Component:
    return rx.match(
        priority.to(int),
        (1, rx.badge(t["board.urgent"], color_scheme="red", variant="solid", size=size)),
        (3, rx.badge(t["board.low"], color_scheme="gray", variant="soft", size=size)),
        rx.fragment(),
    )


def board_card(
    t: rx.Var, card, column_key: rx.Var, *, lang: rx.Var, tz: rx.Var, now_ms: rx.Var, tv: bool
) -> rx.Component:
    s = _sizes(tv)
    cutoff_ms = card["cutoff_ms"].to(int)
    # Overdue as the server saw it, or since then by the browser's clock (still in the building).
    overdue = card["overdue"].to(bool) | (
        (column_key != SHIPPED_COLUMN) & (cutoff_ms > 0) & (cutoff_ms < now_ms)
    )
    units, picked = card["units"].to(int), card["picked"].to(int)
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.text(card["order_number"], weight="bold", size=s["text"], **ONE_LINE),
                rx.spacer(),
                priority_badge(t, card["priority"], s["title"]),
                rx.cond(
                    overdue,
                    rx.badge(
                        t["board.overdue"], color_scheme="red", variant="soft", size=s["title"]
                    ),
                ),
                width="100%",
                align="center",
                wrap="wrap",
                spacing="1",
            ),
            rx.hstack(
                rx.text(
                    card["customer"], size=s["small"], trim="both", class_name="board-customer"
                ),
                rx.spacer(),
                payment_badge(t, card["payment"].to(str), s["title"]),
                width="100%",
                align="center",
            ),
            countdown(card["cutoff_at"].to(str), lang, tz, s["small"]),
            rx.cond(
                units > 0,
                rx.hstack(
                    rx.progress(value=card["progress"].to(int), max=100, size="1", flex="1"),
                    rx.text(picked, "/", units, size=s["small"], class_name="board-progress"),
                    width="100%",
                    align="center",
                ),
            ),
            # shipment, carrier and wave wrap onto two lines in a narrow column, never clipped
            rx.flex(
                rx.text(card["number"], size=s["title"], color_scheme="gray"),
                rx.spacer(),
                rx.text(card["carrier"], size=s["title"], color_scheme="gray"),
                rx.cond(
                    card["wave"] != "",
                    rx.badge(card["wave"], variant="outline", size="1"),
                ),
                width="100%",
                align="center",
                wrap="wrap",
                spacing="1",
            ),
            spacing="1",
            width="100%",
        ),
        id="card-" + card["number"].to(str),
        class_name=rx.cond(overdue, "board-card board-overdue", "board-card"),
        border=rx.cond(overdue, f"2px solid {rx.color('red', 9)}", "2px solid transparent"),
        width="100%",
        overflow="hidden",
    )


def board_column(
    t: rx.Var, column, *, lang: rx.Var, tz: rx.Var, now_ms: rx.Var, tv: bool
) -> rx.Component:
    s = _sizes(tv)
    key = column["key"].to(str)
    cards = column["cards"].to(list[dict])
    count = column["count"].to(int)
    hidden = count - cards.length()
    return rx.vstack(
        rx.hstack(
            rx.heading(t["board." + key], size=s["heading"]),
            rx.spacer(),
            rx.badge(
                count,
                radius="full",
                size="3" if tv else "2",
                variant="solid",
                color_scheme=rx.cond(key == SHIPPED_COLUMN, "green", "indigo"),
                id="board-count-" + key,
            ),
            width="100%",
            align="center",
        ),
        rx.foreach(
            cards,
            lambda card: board_card(t, card, key, lang=lang, tz=tz, now_ms=now_ms, tv=tv),
        ),
        rx.cond(
            hidden > 0,
            rx.text("+", hidden, " ", t["board.more"], size=s["small"], color_scheme="gray"),
        ),
        id="board-col-" + key,
        class_name="board-column",
        flex="1 1 0",
        min_width=s["min_width"],
        padding="0.6em",
        border_radius="8px",
        background=rx.color("gray", 2),
        spacing="2",
        max_height="calc(100vh - 140px)" if tv else "calc(100vh - 220px)",
        overflow_y="auto",
    )


def board_columns(
    t: rx.Var, columns: rx.Var, *, lang: rx.Var, tz: rx.Var, now_ms: rx.Var, tv: bool = False
) -> rx.Component:
    return rx.hstack(
        rx.foreach(
            columns,
            lambda column: board_column(t, column, lang=lang, tz=tz, now_ms=now_ms, tv=tv),
        ),
        align="start",
        spacing="3",
        width="100%",
        # Columns keep a readable width; when they do not all fit, the board scrolls
        # sideways inside itself (the page never widens).
        overflow_x="auto",
        padding_bottom="0.4em",
        id="picking-board",
    )


def warehouse_select(t: rx.Var, warehouses: rx.Var, value: rx.Var, on_change) -> rx.Component:
    return rx.hstack(
        rx.text(t["board.warehouse"], size="2"),
        rx.select.root(
            rx.select.trigger(id="board-warehouse", placeholder=t["board.warehouse"]),
            rx.select.content(
                rx.foreach(
                    warehouses,
                    lambda w: rx.select.item(
                        w["code"], " · ", w["name"], value=w["code"], id="board-wh-" + w["code"]
                    ),
                )
            ),
            value=value,
            on_change=on_change,
        ),
        align="center",
        spacing="2",
    )


def board_toolbar(
    t: rx.Var, select: rx.Component, tv_href: rx.Var, as_of: rx.Var, tz: rx.Var
) -> rx.Component:
    return rx.hstack(
        select,
        rx.spacer(),
        rx.cond(
            as_of != "",
            rx.text(
                t["board.updated"],
                " ",
                rx.moment(as_of, format="HH:mm:ss", tz=tz),
                size="1",
                color_scheme="gray",
                id="board-as-of",
            ),
        ),
        rx.link(
            rx.button(rx.icon("tv", size=16), t["board.tv_mode"], variant="soft", size="2"),
            href=tv_href,
            id="board-tv-link",
        ),
        width="100%",
        align="center",
        margin_bottom="0.8em",
    )


def tv_header(t: rx.Var, code: rx.Var, name: rx.Var, tz: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.icon("warehouse", size=36),
        rx.heading(code, " · ", name, size="8", id="board-tv-warehouse"),
        rx.spacer(),
        rx.heading(rx.moment(format="HH:mm", tz=tz, interval=10_000), size="8"),
        width="100%",
        align="center",
        padding_bottom="0.4em",
    )


def empty_board(t: rx.Var) -> rx.Component:
    return rx.callout(t["board.empty"], icon="info", id="board-empty")
