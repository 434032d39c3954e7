"""Builds the Reflex app: pages, the REST API, the live event consumer. No logic."""

import reflex as rx

import oms_app.models  # noqa: F401  (all tables and the lifecycles)
from oms_app import routes
from oms_app.api.app import create_api
from oms_app.core.origins import is_trusted_origin
from oms_app.pages.account import account_page, two_factor_page
from oms_app.pages.admin_audit import admin_audit_page
from oms_app.pages.admin_users import admin_users_page
from oms_app.pages.admin_webhooks import admin_webhooks_page
from oms_app.pages.approval_policy import approval_policy_page
from oms_app.pages.approvals import approvals_page
from oms_app.pages.budgets import budgets_page
from oms_app.pages.dashboard import dashboard_page
from oms_app.pages.finance_journal import finance_journal_page
from oms_app.pages.finance_panel import finance_panel_page
from oms_app.pages.finance_payments import finance_payments_page
from oms_app.pages.finance_statements import finance_statements_page
from oms_app.pages.home import home_page
from oms_app.pages.layout import guarded
from oms_app.pages.lists import customers_page, orders_page, portal_page, products_page, stock_page
from oms_app.pages.login import login_page
from oms_app.pages.operations_report import operations_report_page
from oms_app.pages.order_detail import order_detail_page
from oms_app.pages.order_entry import order_entry_page
from oms_app.pages.packing import packing_page
from oms_app.pages.pay import pay_page
from oms_app.pages.picking import picking_page
from oms_app.pages.receiving import receiving_page
from oms_app.pages.replenishment import replenishment_page
from oms_app.pages.reports import reports_page
from oms_app.pages.returns import returns_page
from oms_app.pages.warehouse_board import warehouse_board_page, warehouse_board_tv_page
from oms_app.pages.waves import waves_page
from state.account import AccountState
from state.admin_users import AdminUsersState
from state.admin_webhooks import AdminWebhooksState
from state.approval_policy import ApprovalPolicyState
from state.approvals_board import ApprovalBoardState
from state.audit_log import AuditLogState, ChangeRequestsState
from state.auth import LoginState, TwoFactorState
from state.budgets import BudgetForecastState, BudgetsState
from state.dashboard import DashboardState
from state.finance_journal import FinanceJournalState
from state.finance_panel import FinancePanelState
from state.finance_payments import FinancePaymentsState
from state.finance_statements import FinanceStatementsState, LedgerPulseState
from state.lists import (
    CustomersState,
    HomeState,
    OrdersState,
    PortalOrdersState,
    ProductsState,
    StockState,
)
from state.live import consume_events
from state.operations_report import OperationsReportState
from state.order_detail import OrderDetailState
from state.order_entry import OrderEntryState
from state.outage import answer_backend_exception
from state.packing import PackingState
from state.pay import PayState
from state.picking import PickingState
from state.receiving import ReceivingState
from state.replenishment import ReorderRulesState, SuggestionsState
from state.reports import ReportsState
from state.returns import OrderReturnsState, ReturnsState
from state.warehouse_board import WarehouseBoardState
from state.waves import WavesState

app = rx.App(
    api_transformer=create_api(),
    backend_exception_handler=answer_backend_exception,
    stylesheets=["/layout.css"],  # assets/layout.css: rules every screen shares
)
app.register_lifespan_task(consume_events)
# The socket carries the session cookie: only trusted pages may open it (checked per handshake,
# so the settings are read when it opens). python-socketio takes a callable here.
app.sio.eio.cors_allowed_origins = is_trusted_origin

# Signed-in pages: (view, route, what to load after the access check).
GUARDED_PAGES = [
    (home_page, routes.HOME, [HomeState.load]),
    (dashboard_page, routes.DASHBOARD, [DashboardState.load]),
    (operations_report_page, routes.OPERATIONS_REPORT, [OperationsReportState.load]),
    (reports_page, routes.REPORTS, [ReportsState.load]),
    (orders_page, routes.ORDERS, [OrdersState.load]),
    (order_entry_page, routes.ORDER_NEW, [OrderEntryState.start]),
    (order_detail_page, routes.ORDER_DETAIL, [OrderDetailState.load, OrderReturnsState.load]),
    (approvals_page, routes.APPROVALS, [ApprovalBoardState.connect]),
    (approval_policy_page, routes.APPROVAL_POLICY, [ApprovalPolicyState.load]),
    (customers_page, routes.CUSTOMERS, [CustomersState.load]),
    (products_page, routes.PRODUCTS, [ProductsState.load]),
    (stock_page, routes.STOCK, [StockState.load]),
    (portal_page, routes.PORTAL, [PortalOrdersState.load]),
    (admin_users_page, routes.ADMIN_USERS, [AdminUsersState.load]),
    (admin_webhooks_page, routes.ADMIN_WEBHOOKS, [AdminWebhooksState.load]),
    (admin_audit_page, routes.ADMIN_AUDIT, [AuditLogState.load, ChangeRequestsState.load]),
    (account_page, routes.ACCOUNT, [AccountState.load]),
    (two_factor_page, routes.ACCOUNT_2FA, [TwoFactorState.start]),
    (receiving_page, routes.RECEIVING, [ReceivingState.load]),
    (
        replenishment_page,
        routes.REPLENISHMENT,
        [SuggestionsState.open_page, ReorderRulesState.open_page],
    ),
    (warehouse_board_page, routes.WAREHOUSE_BOARD, [WarehouseBoardState.load]),
    (warehouse_board_tv_page, routes.WAREHOUSE_BOARD_TV, [WarehouseBoardState.load_tv]),
    (waves_page, routes.WAREHOUSE_WAVES, [WavesState.load]),
    (picking_page, routes.WAREHOUSE_PICKING, [PickingState.load]),
    (packing_page, routes.WAREHOUSE_PACKING, [PackingState.load]),
    (finance_payments_page, routes.FINANCE_PAYMENTS, [FinancePaymentsState.open_page]),
    (finance_panel_page, routes.FINANCE, [FinancePanelState.connect]),
    (
        finance_statements_page,
        routes.FINANCE_STATEMENTS,
        [FinanceStatementsState.load, LedgerPulseState.connect],
    ),
    (finance_journal_page, routes.FINANCE_JOURNAL, [FinanceJournalState.open_page]),
    (budgets_page, routes.BUDGETS, [BudgetsState.load, BudgetForecastState.load]),
    (returns_page, routes.RETURNS, [ReturnsState.load]),
]

app.add_page(login_page, route=routes.LOGIN, title="OMS", on_load=LoginState.on_load_login)
app.add_page(pay_page, route=routes.PAY, title="OMS · 支付 Pay", on_load=PayState.load)
for view, route, loaders in GUARDED_PAGES:
    app.add_page(view, route=route, title="OMS", on_load=guarded(route, *loaders))
