"""The "reconnecting" banner: shown while the browser has lost its connection to the server.

Reflex keeps the clicks made meanwhile in the page's event queue and sends them once the socket
is back, so the banner tells the user to carry on rather than reload (a reload loses them).
"""

from __future__ import annotations

import reflex as rx
from reflex.components.core.banner import has_connection_errors


def connection_banner(title: rx.Var | str, hint: rx.Var | str) -> rx.Component:
    """At the top of the page while the socket is down; gone as soon as it is back."""
    return rx.cond(
        has_connection_errors,
        rx.hstack(
            rx.spinner(size="2"),
            rx.text(title, weight="bold", id="connection-banner-title"),
            rx.text(hint, size="2"),
            id="connection-banner",
            role="status",
            align="center",
            justify="center",
            spacing="3",
            # in the page's flow, above the shell: it pushes the page down rather than covering
            # the top bar, whose controls stay usable (their clicks wait in the queue)
            position="sticky",
            top="0",
            width="100%",
            z_index="2000",
            padding="0.5em 1em",
            background=rx.color("amber", 4),
            color=rx.color("amber", 12),
            border_bottom=f"1px solid {rx.color('amber', 7)}",
        ),
    )
