"""The app shell: role-aware sidebar, top bar with bell, language switch and user menu."""

from __future__ import annotations

import reflex as rx

SIDEBAR_WIDTH = "210px"
RAIL_WIDTH = "56px"
# Below Radix's "md" breakpoint (1024 px: a 10-inch tablet in portrait) the sidebar is a rail
# of icons, each named by its tooltip, leaving the screen to the work.
WIDE_ONLY = rx.breakpoints(initial="none", md="block")
SIDEBAR_SIZE = rx.breakpoints(initial=RAIL_WIDTH, md=SIDEBAR_WIDTH)


def _menu_link(t: rx.Var, item) -> rx.Component:
    label = t[item["label"]]
    return rx.link(
        rx.hstack(
            rx.icon(item["icon"], size=16, flex_shrink="0"),
            rx.text(label, size="3", white_space="nowrap", display=WIDE_ONLY),
            align="center",
        ),
        href=item["route"],
        id="nav-" + item["route"].to(str).replace("/", "-"),
        title=label,
        aria_label=label,
        underline="none",
        width="100%",
        padding="0.4em 0.6em",
        border_radius="6px",
        _hover={"background": rx.color("accent", 3)},
    )


def sidebar(t: rx.Var, menu: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("boxes", size=22, flex_shrink="0"),
            # Chinese never breaks between characters; a long English name wraps at a space
            rx.heading(
                t["app.name"],
                size="4",
                word_break="keep-all",
                display=WIDE_ONLY,
                id="sidebar-title",
            ),
            padding_y="0.75em",
            padding_x=rx.breakpoints(initial="0.4em", md="0"),
            align="center",
        ),
        rx.foreach(menu, lambda item: _menu_link(t, item)),
        # A fixed width that wide content never squeezes (it scrolls inside the main column).
        width=SIDEBAR_SIZE,
        min_width=SIDEBAR_SIZE,
        flex_shrink="0",
        # It stays in view, full height, while a long list scrolls beside it.
        height="100vh",
        position="sticky",
        top="0",
        overflow_y="auto",
        padding=rx.breakpoints(initial="0.5em 0.3em", md="1em"),
        spacing="1",
        background=rx.color("gray", 2),
        border_right=f"1px solid {rx.color('gray', 5)}",
        id="sidebar",
    )


def language_switch(lang: rx.Var, on_change) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id="language-switch", variant="ghost"),
        rx.select.content(
            rx.select.item("中文", value="zh_CN"), rx.select.item("English", value="en")
        ),
        value=lang,
        on_change=on_change,
        size="1",
    )


def bell(t: rx.Var, unread: rx.Var, items: rx.Var, on_mark_read) -> rx.Component:
    badge = rx.cond(
        unread > 0,
        # A small dot-sized count on the bell's top-right corner, not a label over the bell.
        rx.badge(
            unread,
            color_scheme="red",
            variant="solid",
            radius="full",
            size="1",
            id="bell-count",
            position="absolute",
            top="0",
            right="0",
            transform="translate(60%, -45%)",
            font_size="10px",
            line_height="14px",
            min_width="16px",
            height="16px",
            padding="0 4px",
            justify_content="center",
            pointer_events="none",
        ),
    )
    entry = lambda n: rx.box(  # noqa: E731
        rx.text(n["title"], weight=rx.cond(n["unread"], "bold", "regular"), size="2"),
        rx.text(n["body"], size="1", color_scheme="gray"),
        rx.text(n["at"], size="1", color_scheme="gray"),
        padding_y="0.4em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="bell-item",
    )
    return rx.popover.root(
        rx.popover.trigger(
            rx.box(
                rx.icon("bell", size=20),
                badge,
                position="relative",
                display="flex",
                margin_right="0.5em",
                cursor="pointer",
                id="bell",
            )
        ),
        rx.popover.content(
            rx.hstack(
                rx.text(t["bell.title"], weight="bold"),
                rx.spacer(),
                rx.button(t["bell.mark_read"], size="1", variant="soft", on_click=on_mark_read),
            ),
            rx.cond(
                items.length() > 0,
                rx.box(rx.foreach(items, entry), id="bell-items"),
                rx.text(t["bell.empty"], size="2", color_scheme="gray"),
            ),
            width="320px",
        ),
    )


def top_bar(
    t: rx.Var,
    display_name: rx.Var,
    roles: rx.Var,
    lang: rx.Var,
    on_language,
    bell_component,
    on_log_out,
) -> rx.Component:
    return rx.hstack(
        rx.spacer(),
        bell_component,
        language_switch(lang, on_language),
        rx.menu.root(
            rx.menu.trigger(
                rx.button(
                    rx.icon("circle-user", size=16), display_name, variant="ghost", id="user-menu"
                )
            ),
            rx.menu.content(
                # who is signed in as what, in the reader's language (names are people's own)
                rx.foreach(
                    roles,
                    lambda role: rx.text(
                        t["role." + role], size="1", color_scheme="gray", padding_x="0.75em"
                    ),
                ),
                rx.menu.separator(),
                rx.menu.item(t["nav.account"], on_click=rx.redirect("/account")),
                rx.menu.separator(),
                rx.menu.item(t["nav.log_out"], on_click=on_log_out, id="log-out"),
            ),
        ),
        width="100%",
        padding="0.6em 1.2em",
        spacing="4",
        align="center",
        border_bottom=f"1px solid {rx.color('gray', 5)}",
    )


def page_frame(
    sidebar_component, top_bar_component, title: rx.Var, *children: rx.Component
) -> rx.Component:
    return rx.hstack(
        sidebar_component,
        rx.vstack(
            top_bar_component,
            rx.box(
                rx.heading(title, size="6", margin_bottom="0.6em", id="page-title"),
                *children,
                padding="1.2em",
                width="100%",
                id="page-content",  # assets/layout.css spaces its parts apart
            ),
            # min_width 0 lets the main column shrink below its content's width, so a wide
            # board or table scrolls inside itself instead of widening the page.
            flex="1 1 0",
            min_width="0",
            spacing="0",
        ),
        spacing="0",
        width="100%",
        align="start",
    )
