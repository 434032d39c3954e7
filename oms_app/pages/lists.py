"""/orders, /customers, /products, /stock and /portal: server-paged lists."""

from __future__ import annotations

import reflex as rx

from components.data_table import Column, data_table, filter_select
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
    Column("channel", "col.channel", translate="channel."),
    Column("created", "col.created", "created"),
]
STATUS_OPTIONS = [(s.value, f"status.{s.value}") for s in OrderStatus]


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


def orders_page() -> rx.Component:
    return shell("nav.orders", _table(OrdersState, ORDER_COLUMNS, "orders", STATUS_OPTIONS))


def portal_page() -> rx.Component:
    columns = [c for c in ORDER_COLUMNS if c.key != "customer"]
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
        Column("unit", "col.unit"),
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
