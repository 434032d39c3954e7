"""/warehouse/replenishment: suggestions to accept or dismiss, and the reorder rules."""

from __future__ import annotations

import reflex as rx

from components.warehouse_forms import (
    paged_table,
    rule_form,
    rule_row,
    suggestion_row,
    warehouse_picker,
)
from oms_app.pages.layout import shell
from state.replenishment import ReorderRulesState, SuggestionsState


def _toolbar(state, *buttons: rx.Component, table_id: str) -> rx.Component:
    t = state.t
    return rx.hstack(
        rx.form(
            rx.hstack(
                rx.input(
                    name="search", placeholder=t["list.search"], width="220px", id=f"{table_id}-q"
                ),
                rx.button(t["list.search_button"], type="submit"),
            ),
            on_submit=state.set_search,
        ),
        warehouse_picker(
            t,
            state.warehouse_options,
            state.filter_value,
            state.set_filter,
            f"{table_id}-warehouse",
            all_option=True,
        ),
        rx.spacer(),
        *buttons,
        width="100%",
        align="center",
    )


def _suggestions() -> rx.Component:
    S, t = SuggestionsState, SuggestionsState.t
    head = [
        "col.sku",
        "col.name",
        "col.warehouse",
        "col.available",
        "col.reorder_point",
        "col.suggested_qty",
        "col.expected_on",
        "",
    ]
    check = rx.button(
        t["replenishment.check_now"], variant="soft", on_click=S.check_now, id="suggest-now"
    )
    return rx.vstack(
        _toolbar(S, check, table_id="suggestions"),
        rx.cond(S.list_error != "", rx.callout(S.list_error, color_scheme="red")),
        paged_table(
            t,
            head,
            S.rows,
            suggestion_row(t, S.set_qty, S.set_date, S.accept, S.dismiss),
            total=S.total,
            page=S.page,
            page_count=S.page_count,
            on_page=S.go_to_page,
            table_id="suggestions",
        ),
        width="100%",
    )


def _rules() -> rx.Component:
    R, t = ReorderRulesState, ReorderRulesState.t
    head = [
        "col.sku",
        "col.name",
        "col.warehouse",
        "col.reorder_point",
        "col.reorder_qty",
        "col.lead_time",
        "col.source",
        "col.updated",
        "",
    ]
    recompute = rx.button(
        t["replenishment.recompute"], variant="soft", on_click=R.recompute, id="rules-recompute"
    )
    return rx.vstack(
        rx.text(t["replenishment.rules_hint"], size="2", color_scheme="gray"),
        rule_form(t, R.warehouse_options, R.add_rule, R.form_error, R.form_key),
        _toolbar(R, recompute, table_id="rules"),
        rx.cond(R.list_error != "", rx.callout(R.list_error, color_scheme="red")),
        paged_table(
            t,
            head,
            R.rows,
            rule_row(t, R.set_edit, R.save_rule),
            total=R.total,
            page=R.page,
            page_count=R.page_count,
            on_page=R.go_to_page,
            table_id="rules",
        ),
        width="100%",
    )


def replenishment_page() -> rx.Component:
    t = SuggestionsState.t
    return shell(
        "replenishment.title",
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(t["replenishment.tab_suggestions"], value="suggestions"),
                rx.tabs.trigger(t["replenishment.tab_rules"], value="rules"),
            ),
            rx.tabs.content(_suggestions(), value="suggestions", padding_top="1em"),
            rx.tabs.content(_rules(), value="rules", padding_top="1em"),
            default_value="suggestions",
            width="100%",
        ),
    )
