"""Dashboard views: chart cards and the filter choices. Vars and handlers in, components out."""

from __future__ import annotations

import reflex as rx

CHART_CONFIG = {"displaylogo": False, "responsive": True}


def chart_plot(figure: rx.Var, ready: rx.Var, *, on_click=None) -> rx.Component:
    """One Plotly chart, a skeleton until it first loads."""
    props = {"on_click": on_click} if on_click is not None else {}
    return rx.skeleton(
        rx.plotly(data=figure, config=CHART_CONFIG, width="100%", height="340px", **props),
        loading=~ready,
        width="100%",
    )


def chart_card(
    title: rx.Var,
    figure: rx.Var,
    ready: rx.Var,
    chart_id: str,
    *,
    on_click=None,
    hint: rx.Var | None = None,
    wide: bool = False,
    plot: rx.Component | None = None,
) -> rx.Component:
    """A titled card holding one Plotly chart (or the given plot, e.g. a live/private switch)."""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(title, size="3"),
                rx.spacer(),
                rx.text(hint, size="1", color_scheme="gray") if hint is not None else rx.fragment(),
                width="100%",
                align="center",
            ),
            plot if plot is not None else chart_plot(figure, ready, on_click=on_click),
            width="100%",
            spacing="2",
        ),
        id=chart_id,
        grid_column="1 / -1" if wide else "auto",
        min_width="0",
        width="100%",  # outside a grid (a stack) a card would shrink to its title's width
    )


def live_badge(live: rx.Var, live_text: rx.Var, own_text: rx.Var) -> rx.Component:
    """Says whether the figures on screen update by themselves or are the viewer's own."""
    return rx.badge(
        rx.cond(live, live_text, own_text),
        color_scheme=rx.cond(live, "green", "gray"),
        variant="soft",
        id="dashboard-live",
        data_live=rx.cond(live, "1", "0"),
    )


def option_items(options: rx.Var) -> rx.Component:
    """Select items from a list var of {"value", "label"}."""
    return rx.foreach(options, lambda o: rx.select.item(o["label"], value=o["value"]))


def choice_select(
    name: str, label: rx.Var, all_label: rx.Var, items, value: rx.Var, select_id: str
) -> rx.Component:
    """A labelled select whose first choice, "all", does not narrow."""
    return rx.hstack(
        rx.text(label, size="2"),
        rx.select.root(
            rx.select.trigger(id=select_id, min_width="120px"),
            rx.select.content(rx.select.item(all_label, value="all"), *items),
            name=name,
            default_value=rx.cond(value == "", "all", value),
        ),
        align="center",
        spacing="2",
    )
