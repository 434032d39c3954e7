"""A page's work beside a narrow side column (totals, payment, actions) where there is room."""

from __future__ import annotations

import reflex as rx

# From Radix's "lg" breakpoint (1280 px) the side column stands beside the main one; below it,
# on a tablet, it goes under the main column, which then keeps the window's whole width instead
# of squeezing its table to a word per line.
SIDE_BY_SIDE = rx.breakpoints(initial="column", lg="row")


def main_and_side(main: rx.Component, side: rx.Component, side_width: str) -> rx.Component:
    return rx.flex(
        rx.box(main, width="100%", min_width="0"),
        rx.box(side, width=rx.breakpoints(initial="100%", lg=side_width), flex_shrink="0"),
        direction=SIDE_BY_SIDE,
        align="start",
        spacing="5",
        width="100%",
    )
