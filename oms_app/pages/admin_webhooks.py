"""/admin/webhooks"""

from __future__ import annotations

import reflex as rx

from oms_app.pages.admin_banner import admin_banner
from oms_app.pages.layout import shell
from state.admin_webhooks import AdminWebhooksState as S

STATE_COLORS = {"pending": "gray", "succeeded": "green", "failed": "amber", "dead": "red"}


def _state_badge(state) -> rx.Component:
    t = S.t
    return rx.match(
        state,
        *[
            (name, rx.badge(t[f"webhook.state.{name}"], color_scheme=color))
            for name, color in STATE_COLORS.items()
        ],
        rx.badge(state),
    )


def _secret_callout() -> rx.Component:
    """The new subscription's signing secret, shown until the admin says it is copied."""
    t = S.t
    return rx.cond(
        S.new_secret != "",
        rx.callout(
            rx.vstack(
                rx.text(t["webhook.secret_once"]),
                rx.code(S.new_secret, id="webhook-new-secret"),
                rx.button(
                    t["webhook.secret_copied"], size="1", variant="soft", on_click=S.forget_secret
                ),
            ),
            color_scheme="green",
        ),
    )


def _create_form() -> rx.Component:
    t = S.t
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading(t["webhook.new"], size="3"),
                rx.hstack(
                    rx.input(name="name", placeholder=t["field.name"], id="webhook-name"),
                    rx.input(
                        name="url",
                        placeholder="https://erp.example.com/hooks/oms",
                        id="webhook-url",
                        width="24em",
                    ),
                    rx.input(
                        name="event_types",
                        placeholder=t["webhook.events_hint"],
                        id="webhook-events",
                        width="20em",
                    ),
                    rx.input(
                        name="secret",
                        type="password",
                        placeholder=t["webhook.secret_optional"],
                        id="webhook-secret",
                    ),
                    wrap="wrap",
                ),
                rx.cond(
                    S.form_error != "",
                    rx.callout(S.form_error, color_scheme="red", id="webhook-error"),
                ),
                _secret_callout(),
                rx.button(t["admin.create"], type="submit", id="create-webhook"),
            ),
            on_submit=S.create_subscription,
            reset_on_submit=True,
        ),
        width="100%",
    )


def _subscription_row(w) -> rx.Component:
    t = S.t
    return rx.table.row(
        rx.table.cell(w["name"]),
        rx.table.cell(rx.code(w["url"])),
        rx.table.cell(w["events"]),
        rx.table.cell(
            rx.cond(
                w["is_active"],
                rx.badge(t["admin.active"], color_scheme="green"),
                rx.badge(t["admin.disabled"], color_scheme="gray"),
            )
        ),
        rx.table.cell(w["created"]),
        rx.table.cell(
            rx.hstack(
                rx.button(
                    t["webhook.show_log"], size="1", variant="soft", on_click=S.show_log(w["id"])
                ),
                rx.button(
                    rx.cond(w["is_active"], t["webhook.deactivate"], t["webhook.activate"]),
                    size="1",
                    variant="soft",
                    color_scheme=rx.cond(w["is_active"], "red", "green"),
                    on_click=S.set_active(w["id"], ~w["is_active"].to(bool)),
                ),
            )
        ),
    )


def _subscriptions() -> rx.Component:
    t = S.t
    header = ["field.name", "field.url", "field.event_types", "admin.status", "col.created"]
    return rx.table.root(
        rx.table.header(
            rx.table.row(
                *[rx.table.column_header_cell(t[h]) for h in header],
                rx.table.column_header_cell(t["admin.actions"]),
            )
        ),
        rx.table.body(rx.foreach(S.subscriptions, _subscription_row)),
        width="100%",
        size="1",
        id="webhooks-table",
    )


def _delivery_row(d) -> rx.Component:
    t = S.t
    return rx.table.row(
        rx.table.cell(d["created"]),
        rx.table.cell(d["subscription"]),
        rx.table.cell(rx.code(d["event_type"])),
        rx.table.cell(_state_badge(d["state"])),
        rx.table.cell(d["attempts"]),
        rx.table.cell(d["last_status_code"]),
        rx.table.cell(rx.text(d["last_error"], size="1", color_scheme="gray")),
        rx.table.cell(d["delivered"]),
        rx.table.cell(
            rx.button(
                t["webhook.redeliver"], size="1", variant="soft", on_click=S.redeliver(d["id"])
            )
        ),
    )


def _state_filter() -> rx.Component:
    t = S.t
    return rx.select.root(
        rx.select.trigger(placeholder=t["list.all"]),
        rx.select.content(
            rx.select.item(t["list.all"], value="all"),
            *[rx.select.item(t[f"webhook.state.{s}"], value=s) for s in STATE_COLORS],
        ),
        value=rx.cond(S.state_filter == "", "all", S.state_filter),
        on_change=S.filter_state,
    )


def _pager() -> rx.Component:
    return rx.hstack(
        rx.button(
            "‹",
            on_click=S.go_to_page(S.delivery_page - 1),
            disabled=S.delivery_page <= 1,
            variant="soft",
        ),
        rx.text(S.delivery_page, " / ", S.delivery_page_count, id="deliveries-page"),
        rx.button(
            "›",
            on_click=S.go_to_page(S.delivery_page + 1),
            disabled=S.delivery_page >= S.delivery_page_count,
            variant="soft",
        ),
        rx.text(S.t["list.total"], ": ", S.delivery_total),
        align="center",
    )


def _delivery_log() -> rx.Component:
    t = S.t
    header = [
        "col.created",
        "field.subscription",
        "webhook.event",
        "field.state",
        "webhook.attempts",
        "webhook.last_code",
        "webhook.last_error",
        "webhook.delivered",
        "admin.actions",
    ]
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(t["webhook.deliveries"], size="3"),
                rx.cond(
                    S.log_subscription_id != 0,
                    rx.button(
                        t["webhook.all_subscriptions"],
                        size="1",
                        variant="ghost",
                        on_click=S.show_log(0),
                    ),
                ),
                _state_filter(),
                rx.button(t["webhook.refresh"], size="1", variant="soft", on_click=S.load),
                align="center",
            ),
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(t[h]) for h in header])),
                rx.table.body(rx.foreach(S.deliveries, _delivery_row)),
                width="100%",
                size="1",
                id="deliveries-table",
            ),
            _pager(),
            width="100%",
        ),
        width="100%",
    )


def admin_webhooks_page() -> rx.Component:
    return shell(
        "nav.admin_webhooks",
        rx.vstack(
            admin_banner(),
            _create_form(),
            _subscriptions(),
            _delivery_log(),
            width="100%",
            spacing="4",
        ),
    )
