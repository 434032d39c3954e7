"""/orders/new"""

from __future__ import annotations

import reflex as rx

from components.date_field import date_field
from components.order_form import (
    customer_picker,
    field_error,
    line_grid,
    split_switch,
    totals_card,
)
from components.two_columns import main_and_side
from oms_app.pages.layout import shell
from state.order_entry import ADDRESS_FIELDS
from state.order_entry import OrderEntryState as S


def _address_picker() -> rx.Component:
    t = S.t
    return rx.cond(
        S.addresses.length() > 1,
        rx.select.root(
            rx.select.trigger(placeholder=t["entry.other_address"], id="address-select"),
            rx.select.content(
                rx.foreach(
                    S.addresses, lambda a, i: rx.select.item(a["label"], value=i.to_string())
                )
            ),
            on_change=S.pick_address,
        ),
    )


def _address() -> rx.Component:
    t = S.t
    return rx.grid(
        *[
            rx.vstack(
                rx.input(
                    placeholder=t["field." + name],
                    value=S.address[name],
                    on_change=lambda v, n=name: S.set_address(n, v),
                    debounce_timeout=300,
                    id=f"address-{name}",
                    width="100%",
                ),
                field_error(S.errors["delivery.address." + name]),
                spacing="0",
            )
            for name in ADDRESS_FIELDS
        ],
        columns="3",
        spacing="2",
        width="100%",
    )


def _sku_box() -> rx.Component:
    t = S.t
    option = lambda p: rx.box(  # noqa: E731
        rx.text(p["sku"], " · ", p["name_zh"], " · ¥", p["list_price"], size="2"),
        on_click=S.add_sku(p["sku"]),
        cursor="pointer",
        padding="0.3em 0.5em",
        _hover={"background": rx.color("accent", 3)},
        class_name="sku-option",
    )
    return rx.vstack(
        rx.form(
            rx.input(
                name="sku",
                placeholder=t["entry.sku_search"],
                value=S.sku_query,
                on_change=S.search_skus,
                debounce_timeout=250,
                id="sku-input",
                width="100%",
            ),
            on_submit=S.scan,
            reset_on_submit=True,
            width="100%",
        ),
        rx.cond(
            S.sku_options.length() > 0, rx.box(rx.foreach(S.sku_options, option), width="100%")
        ),
        field_error(S.errors["lines"]),
        width="100%",
        spacing="1",
    )


def _side() -> rx.Component:
    t = S.t
    return rx.vstack(
        totals_card(t, S.totals),
        rx.cond(
            S.draft_number != "",
            rx.text(
                t["entry.draft_saved"],
                " ",
                S.draft_number,
                size="1",
                color_scheme="gray",
                id="draft-number",
            ),
        ),
        rx.text(t["entry.delivery"], weight="bold"),
        rx.select.root(
            rx.select.trigger(id="delivery-method"),
            rx.select.content(
                *[
                    rx.select.item(t["delivery." + m], value=m)
                    for m in ("express", "freight", "pickup")
                ]
            ),
            value=S.delivery_method,
            on_change=S.set_delivery,
        ),
        # Pickup orders are collected at one warehouse, so the switch does not apply to them.
        split_switch(t, S.allow_split, S.set_allow_split, S.delivery_method == "pickup"),
        rx.hstack(
            rx.text(t["field.requested_date"], size="2"),
            date_field(
                t, value=S.requested_date, on_change=S.set_requested_date, id="requested-date"
            ),
            align="center",
        ),
        field_error(S.errors["requested_date"]),
        rx.text_area(
            placeholder=t["entry.notes"], value=S.notes, on_change=S.set_notes, width="100%"
        ),
        rx.hstack(
            rx.button(
                t["entry.save_draft"],
                variant="soft",
                on_click=S.save_draft,
                loading=S.busy,
                id="save-draft",
            ),
            rx.button(t["entry.submit"], on_click=S.submit, loading=S.busy, id="submit-order"),
            wrap="wrap",
        ),
        width="100%",
        spacing="3",
    )


def _templates() -> rx.Component:
    t = S.t
    return rx.hstack(
        rx.select.root(
            rx.select.trigger(placeholder=t["entry.from_template"], id="template-select"),
            rx.select.content(
                rx.foreach(
                    S.templates,
                    lambda tpl: rx.select.item(
                        tpl["name"], " ", tpl["customer_code"], value=tpl["id"].to(str)
                    ),
                )
            ),
            on_change=S.use_template,
        ),
        field_error(S.errors["template"]),
        align="center",
    )


def order_entry_page() -> rx.Component:
    t = S.t
    return shell(
        "nav.order_new",
        main_and_side(
            rx.vstack(
                _templates(),
                customer_picker(
                    t,
                    S.customer_query,
                    S.customer_options,
                    S.customer_code,
                    S.customer_name,
                    S.search_customers,
                    S.pick_customer,
                    S.errors["customer"],
                ),
                rx.hstack(rx.text(t["entry.ship_to"], weight="bold"), _address_picker()),
                _address(),
                rx.text(t["entry.lines"], weight="bold"),
                _sku_box(),
                line_grid(t, S.lines, S.priced, S.line_errors, S.set_line, S.remove_line),
                width="100%",
                spacing="3",
            ),
            _side(),
            side_width="320px",
        ),
    )
