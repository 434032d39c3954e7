"""Paged lists: the server filters, sorts and pages; the screen holds one page of rows."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app import routes
from oms_app.catalog import queries as catalog_queries
from oms_app.core.clock import format_local, utcnow
from oms_app.core.errors import DomainError
from oms_app.core.paging import PageRequest
from oms_app.core.permissions import Actor, Permission
from oms_app.customers import queries as customer_queries
from oms_app.inventory import queries as inventory_queries
from oms_app.orders import export as order_export
from oms_app.orders import queries as order_queries
from oms_app.orders.status import OrderStatus
from state.base import SessionState
from state.order_filters import URL_FILTERS, filters_from_params, order_filter_of


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
        await self._load_page()

    async def _load_page(self) -> None:
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


def _order_file(uow, actor: Actor, flt, fmt: str, sort: str, desc: bool, locale: str) -> bytes:
    rows = order_queries.export_orders(uow, actor=actor, flt=flt, sort=sort, descending=desc)
    return order_export.render(rows, fmt, locale)[0]


class OrdersState(SessionState, ListState):
    """The order list with its filter form, and the export of everything it matches."""

    sort: str = "created"
    descending: bool = True
    filter_customer: str = ""
    filter_rep: str = ""
    filter_from: str = ""  # ISO days from the date inputs, in the user's zone
    filter_to: str = ""
    filter_min: str = ""
    filter_max: str = ""
    filter_anomaly: str = ""
    filter_channel: str = ""  # the rest come only from the URL (the dashboard's drill-down)
    filter_province: str = ""
    filter_sku: str = ""
    filter_category: str = ""
    filter_warehouse: str = ""
    filter_reached: str = ""  # statuses, comma-separated
    filter_booked: str = ""  # "1": booked orders only
    filter_payment: str = ""  # the order's payment status
    filter_form_key: int = 0  # a new key re-mounts the form with the cleared values
    _applied_query: str = ""  # the query string whose filters are applied
    active_filters: list[dict[str, str]] = []  # the filters in force: {"param", "value"}

    def _apply_url_filters(self) -> None:
        """Take the filters from the URL when it changed since they were last taken."""
        params = {k: v for k, v in self.router.page.params.items() if k in URL_FILTERS}
        query = repr(sorted(params.items()))
        if query == self._applied_query:
            return
        self._applied_query = query
        for var, value in filters_from_params(params).items():
            setattr(self, var, value)
        self.page = 1
        self.filter_form_key += 1

    @rx.event
    async def load(self):
        """on_load and after every change: the URL's filters (if new), then the page."""
        self._apply_url_filters()
        self.active_filters = [
            {"param": param, "value": getattr(self, var)}
            for param, var in URL_FILTERS.items()
            if getattr(self, var)
        ]
        await self._load_page()

    def _order_filter(self) -> order_queries.OrderFilter:
        values = {var: getattr(self, var) for var in URL_FILTERS.values()}
        return order_filter_of(values, self.search)

    def _fetch(self, actor, request):
        return order_queries.list_orders(
            self._uow(), actor=actor, request=request, flt=self._order_filter()
        )

    @rx.event
    def apply_filters(self, form: dict):
        field = {k: str(v or "").strip() for k, v in form.items()}
        self.filter_customer, self.filter_rep = field.get("customer", ""), field.get("rep", "")
        self.filter_from, self.filter_to = field.get("from", ""), field.get("to", "")
        self.filter_min, self.filter_max = field.get("min", ""), field.get("max", "")
        self.page = 1
        return OrdersState.load

    @rx.event
    def set_payment_filter(self, value: str):
        self.filter_payment, self.page = "" if value == "all" else value, 1
        return OrdersState.load

    @rx.event
    def set_anomaly_filter(self, value: str):
        self.filter_anomaly, self.page = "" if value == "all" else value, 1
        return OrdersState.load

    @rx.event
    def clear_filters(self):
        for var in URL_FILTERS.values():
            setattr(self, var, "")
        self.page = 1
        self.filter_form_key += 1
        if self.router.page.params.keys() & URL_FILTERS.keys():
            return rx.redirect(routes.ORDERS)  # a clean URL, so a reload shows everything too
        return OrdersState.load

    @rx.event
    def remove_filter(self, param: str):
        """Drop one filter chip."""
        if param in URL_FILTERS:
            setattr(self, URL_FILTERS[param], "")
            self.page = 1
            self.filter_form_key += 1
        return OrdersState.load

    @rx.event
    async def export(self, fmt: str):
        """Download every order the list matches (not just this page) as CSV or XLSX."""
        actor = await self._actor()
        if actor is None or fmt not in order_export.FORMATS:
            return None
        try:
            flt = self._order_filter()
            args = (self._uow(), actor, flt, fmt, self.sort, self.descending, self.lang)
            data = await asyncio.to_thread(_order_file, *args)
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        filename = f"orders-{format_local(utcnow(), actor.tz, '%Y-%m-%d')}.{fmt}"
        return rx.download(data=data, filename=filename, mime_type=order_export.FORMATS[fmt][1])


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
