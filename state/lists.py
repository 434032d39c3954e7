"""Paged lists: the server filters, sorts and pages; the screen holds one page of rows."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app.catalog import queries as catalog_queries
from oms_app.core.errors import DomainError
from oms_app.core.paging import PageRequest
from oms_app.core.permissions import Actor, Permission
from oms_app.customers import queries as customer_queries
from oms_app.inventory import queries as inventory_queries
from oms_app.orders import queries as order_queries
from oms_app.orders.status import OrderStatus
from state.base import SessionState


class ListState(rx.State, mixin=True):
    """Paging, sorting and search shared by every list screen (mixed into a SessionState)."""

    rows: list[dict] = []
    total: int = 0
    page: int = 1
    page_size: int = 25
    sort: str = ""
    descending: bool = False
    search: str = ""
    filter_value: str = ""
    list_error: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    def _fetch(self, actor: Actor, request: PageRequest) -> dict:
        raise NotImplementedError

    @rx.event
    async def load(self):
        actor = await self._actor()
        if actor is None:
            return
        request = PageRequest(
            page=self.page,
            page_size=self.page_size,
            sort=self.sort,
            descending=self.descending,
            search=self.search,
        )
        try:
            result = await asyncio.to_thread(self._fetch, actor, request)
        except DomainError as err:
            self.list_error, self.rows, self.total = self._error_text(err), [], 0
            return
        self.list_error, self.rows, self.total = "", result["rows"], result["total"]

    @rx.event
    async def set_search(self, form: dict):
        self.search, self.page = (form.get("search") or "").strip(), 1
        return type(self).load

    @rx.event
    def set_filter(self, value: str):
        self.filter_value, self.page = "" if value == "all" else value, 1
        return type(self).load

    @rx.event
    def sort_by(self, column: str):
        self.descending = not self.descending if self.sort == column else False
        self.sort, self.page = column, 1
        return type(self).load

    @rx.event
    def go_to_page(self, page: int):
        self.page = min(max(1, page), self.page_count)
        return type(self).load


class OrdersState(SessionState, ListState):
    sort: str = "created"
    descending: bool = True

    def _fetch(self, actor, request):
        return order_queries.list_orders(
            self._uow(), actor=actor, request=request, status=self.filter_value
        )


class PortalOrdersState(SessionState, ListState):
    sort: str = "created"
    descending: bool = True

    def _fetch(self, actor, request):
        return order_queries.list_orders(
            self._uow(),
            actor=actor,
            request=request,
            status=self.filter_value,
            customer_id=actor.customer_id or -1,
        )


class CustomersState(SessionState, ListState):
    sort: str = "code"

    def _fetch(self, actor, request):
        return customer_queries.list_customers(
            self._uow(), actor=actor, request=request, tier=self.filter_value
        )


class ProductsState(SessionState, ListState):
    sort: str = "sku"

    def _fetch(self, actor, request):
        return catalog_queries.list_products(
            self._uow(), actor=actor, request=request, category=self.filter_value
        )


class StockState(SessionState, ListState):
    sort: str = "sku"

    def _fetch(self, actor, request):
        return inventory_queries.list_stock_levels(
            self._uow(), actor=actor, request=request, warehouse=self.filter_value
        )


class HomeState(SessionState):
    """The overview: order counts by status for those who may see orders."""

    status_counts: list[dict] = []

    @rx.event
    async def load(self):
        actor = await self._actor()
        if actor is None or not actor.can(Permission.ORDER_VIEW):
            self.status_counts = []
            return
        counts = await asyncio.to_thread(order_queries.count_by_status, self._uow(), actor=actor)
        self.status_counts = [{"status": str(s), "count": counts.get(s, 0)} for s in OrderStatus]
