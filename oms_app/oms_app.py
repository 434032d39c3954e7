"""Builds the Reflex app: pages, the REST API, the live event consumer, the theme. No logic."""

import reflex as rx

import oms_app.models  # noqa: F401  (all tables and the order lifecycle)
from oms_app import routes
from oms_app.api.app import create_api
from oms_app.pages.account import account_page, two_factor_page
from oms_app.pages.admin_users import admin_users_page
from oms_app.pages.home import home_page
from oms_app.pages.layout import guarded
from oms_app.pages.lists import customers_page, orders_page, portal_page, products_page, stock_page
from oms_app.pages.login import login_page
from state.admin_users import AdminUsersState
from state.auth import LoginState, TwoFactorState
from state.lists import (
    CustomersState,
    HomeState,
    OrdersState,
    PortalOrdersState,
    ProductsState,
    StockState,
)
from state.live import consume_events

app = rx.App(api_transformer=create_api())
app.register_lifespan_task(consume_events)

app.add_page(login_page, route=routes.LOGIN, title="OMS", on_load=LoginState.on_load_login)
app.add_page(home_page, route=routes.HOME, title="OMS", on_load=guarded(HomeState.load))
app.add_page(orders_page, route=routes.ORDERS, title="OMS", on_load=guarded(OrdersState.load))
app.add_page(
    customers_page, route=routes.CUSTOMERS, title="OMS", on_load=guarded(CustomersState.load)
)
app.add_page(products_page, route=routes.PRODUCTS, title="OMS", on_load=guarded(ProductsState.load))
app.add_page(stock_page, route=routes.STOCK, title="OMS", on_load=guarded(StockState.load))
app.add_page(portal_page, route=routes.PORTAL, title="OMS", on_load=guarded(PortalOrdersState.load))
app.add_page(
    admin_users_page, route=routes.ADMIN_USERS, title="OMS", on_load=guarded(AdminUsersState.load)
)
app.add_page(account_page, route=routes.ACCOUNT, title="OMS", on_load=guarded())
app.add_page(
    two_factor_page, route=routes.ACCOUNT_2FA, title="OMS", on_load=guarded(TwoFactorState.start)
)
