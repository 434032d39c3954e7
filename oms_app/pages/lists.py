"""/orders, /customers, /products, /stock and /portal: server-paged lists."""

from __future__ import annotations

import reflex as rx

from components.data_table import Column, data_table, filter_select
from components.date_field import date_field
from oms_app.approvals.rules import ANOMALY_CODES
from oms_app.orders.queries import PAYMENT_STATUSES
from oms_app.orders.status import OrderStatus
from oms_app.pages.layout import shell
from state.lists import (
    CustomersState,
    ListState,
    OrdersState,
    PortalOrdersState,
    ProductsState,
    StockState,
)

ORDER_COLUMNS = [
    Column("number", "col.number", "number", link="/orders/"),
    Column("customer", "col.customer"),
    Column("status", "col.status", "status", badge=True),
    Column("total", "col.total", "total", align="right"),
    Column("payment", "col.payment", "payment", translate="payment_status."),
    Column("channel", "col.channel", translate="channel."),
    Column("created", "col.created", "created"),
]
STATUS_OPTIONS = [(s.value, f"status.{s.value}") for s in OrderStatus]
PAYMENT_OPTIONS = [(s, f"payment_status.{s}") for s in PAYMENT_STATUSES]
ANOMALY_OPTIONS = [(code, f"anomaly.{code}") for code in ANOMALY_CODES]


def _table(
    state: type[ListState],
    columns: list[Column],
    table_id: str,
    options: list[tuple[str, str]] | None = None,
) -> rx.Component:
    t = state.t
    select = (
        filter_select(t, options, state.filter_value, state.set_filter, f"{table_id}-filter")
        if options
        else None
    )
    return rx.vstack(
        rx.cond(state.list_error != "", rx.callout(state.list_error, color_scheme="red")),
        data_table(
            t,
            columns,
            state.rows,
            total=state.total,
            page=state.page,
            page_count=state.page_count,
            sort=state.sort,
            descending=state.descending,
            on_sort=state.sort_by,
            on_page=state.go_to_page,
            on_search=state.set_search,
            filter_select=select,
            table_id=table_id,
        ),
        width="100%",
    )


def _filter_input(name: str, label_key: str, value: rx.Var, **props) -> rx.Component:
    label = OrdersState.t[label_key]
    common = {"name": name, "default_value": value, "aria_label": label, "id": f"filter-{name}"}
    if props.pop("dated", False):
        # A date box's placeholder shows the format: name it beside the box.
        box = date_field(OrdersState.t, width="9em", **common, **props)
        return rx.hstack(rx.text(label, size="1"), box, align="center")
    return rx.input(placeholder=label, width="150px", **common, **props)


def _order_filters() -> rx.Component:
    """The order list's filter form and its export buttons."""
    S, t = OrdersState, OrdersState.t
    return rx.form(
        rx.flex(
            _filter_input("customer", "list.customer_code", S.filter_customer),
            _filter_input("rep", "list.rep", S.filter_rep),
            _filter_input("from", "list.created_from", S.filter_from, dated=True),
            _filter_input("to", "list.created_to", S.filter_to, dated=True),
            _filter_input("min", "list.min_total", S.filter_min, input_mode="decimal"),
            _filter_input("max", "list.max_total", S.filter_max, input_mode="decimal"),
            rx.hstack(
                rx.text(t["col.payment"], size="1"),
                filter_select(
                    t, PAYMENT_OPTIONS, S.filter_payment, S.set_payment_filter, "filter-payment"
                ),
                align="center",
            ),
            rx.hstack(
                rx.text(t["list.anomaly"], size="1"),
                filter_select(
                    t, ANOMALY_OPTIONS, S.filter_anomaly, S.set_anomaly_filter, "filter-anomaly"
                ),
                align="center",
            ),
            rx.button(t["list.apply"], type="submit", id="filter-apply"),
            rx.button(
                t["list.clear"],
                type="button",
                variant="soft",
                on_click=S.clear_filters,
                id="filter-clear",
            ),
            rx.spacer(),
            *[
                rx.button(
                    t[label],
                    type="button",
                    variant="outline",
                    on_click=S.export(fmt),
                    id=f"export-{fmt}",
                )
                for fmt, label in (("csv", "list.export_csv"), ("xlsx", "list.export_xlsx"))
            ],
            wrap="wrap",
            spacing="2",
            align="center",
            width="100%",
        ),
        on_submit=S.apply_filters,
        reset_on_submit=False,
        key=S.filter_form_key,  # a new key after "clear" re-mounts the inputs empty
        id="orders-filters",
        width="100%",
    )


def _filter_chip(chip) -> rx.Component:
    t = OrdersState.t
    shown = rx.cond(chip["param"] == "booked", "", ": " + chip["value"])
    return rx.badge(
        t["drill." + chip["param"]],
        shown,
        rx.icon("x", size=12, cursor="pointer", on_click=OrdersState.remove_filter(chip["param"])),
        variant="soft",
        size="2",
        id="active-filter-" + chip["param"],
    )


def _active_filters() -> rx.Component:
    """The filters in force (from the form or a dashboard link), each removable, or all at once."""
    S, t = OrdersState, OrdersState.t
    return rx.cond(
        S.active_filters.length() > 0,
        rx.flex(
            rx.text(t["drill.title"], size="2", color_scheme="gray"),
            rx.foreach(S.active_filters, _filter_chip),
            rx.button(
                t["drill.clear"],
                size="1",
                variant="ghost",
                on_click=S.clear_filters,
                id="active-filters-clear",
            ),
            wrap="wrap",
            spacing="2",
            align="center",
            id="active-filters",
        ),
    )


def orders_page() -> rx.Component:
    return shell(
        "nav.orders",
        rx.vstack(
            _order_filters(),
            _active_filters(),
            _table(OrdersState, ORDER_COLUMNS, "orders", STATUS_OPTIONS),
            width="100%",
        ),
    )


def portal_page() -> rx.Component:
    # a customer's rows carry neither the buyer (themselves) nor our sales channel
    columns = [c for c in ORDER_COLUMNS if c.key not in ("customer", "channel")]
    return shell("nav.portal", _table(PortalOrdersState, columns, "portal-orders", STATUS_OPTIONS))


def customers_page() -> rx.Component:
    columns = [
        Column("code", "col.code", "code"),
        Column("name", "col.name", "name"),
        Column("tier", "col.tier", "tier"),
        Column("province", "col.province", "province"),
        Column("city", "col.city"),
        Column("credit_limit", "col.credit_limit", "credit", align="right"),
        Column("terms", "col.terms"),
    ]
    tiers = [(tier, f"tier.{tier}") for tier in "ABCD"]
    return shell("nav.customers", _table(CustomersState, columns, "customers", tiers))


def products_page() -> rx.Component:
    columns = [
        Column("sku", "col.sku", "sku"),
        Column("name", "col.name", "name"),
        Column("category", "col.category", "category"),
        Column("specs", "col.specs"),
        Column("unit", "col.unit", translate="unit."),
        Column("price", "col.price", "price", align="right"),
        Column("moq", "col.moq"),
        Column("pack", "col.pack"),
        Column("barcode", "col.barcode"),
    ]
    return shell("nav.products", _table(ProductsState, columns, "products"))


def stock_page() -> rx.Component:
    columns = [
        Column("sku", "col.sku", "sku"),
        Column("name", "col.name"),
        Column("warehouse", "col.warehouse", "warehouse"),
        Column("on_hand", "col.on_hand", "on_hand", align="right"),
        Column("reserved", "col.reserved", align="right"),
        Column("available", "col.available", "available", align="right"),
    ]
    return shell("nav.stock", _table(StockState, columns, "stock"))
