"""Route constants, the permission each route needs, and the sidebar menu."""

from __future__ import annotations

from oms_app.core.permissions import Permission as P

LOGIN = "/login"
HOME = "/"
DASHBOARD = "/dashboard"
OPERATIONS_REPORT = "/reports/operations"
REPORTS = "/reports"
ORDERS = "/orders"
ORDER_NEW = "/orders/new"
ORDER_DETAIL = "/orders/[number]"
APPROVALS = "/approvals"
APPROVAL_POLICY = "/approvals/policy"
CUSTOMERS = "/customers"
PRODUCTS = "/products"
STOCK = "/stock"
PORTAL = "/portal"
ADMIN_USERS = "/admin/users"
ADMIN_WEBHOOKS = "/admin/webhooks"
ADMIN_AUDIT = "/admin/audit"
ACCOUNT = "/account"
ACCOUNT_2FA = "/account/2fa"
RECEIVING = "/warehouse/receiving"
REPLENISHMENT = "/warehouse/replenishment"
WAREHOUSE_BOARD = "/warehouse/board"
WAREHOUSE_BOARD_TV = "/warehouse/board/tv"
WAREHOUSE_WAVES = "/warehouse/waves"
WAREHOUSE_PICKING = "/warehouse/picking"
WAREHOUSE_PACKING = "/warehouse/packing"
PAY = "/pay/[token]"  # public: the signed link is the permission
FINANCE_PAYMENTS = "/finance/payments"
FINANCE = "/finance"
FINANCE_JOURNAL = "/finance/journal"
FINANCE_STATEMENTS = "/finance/statements"
BUDGETS = "/budgets"
RETURNS = "/returns"

# Deny by default: a route missing here is open only to signed-in users with no extra need.
ROUTE_PERMISSIONS: dict[str, P | None] = {
    HOME: None,
    DASHBOARD: P.DASHBOARD_VIEW,
    OPERATIONS_REPORT: P.DASHBOARD_VIEW,
    REPORTS: P.DASHBOARD_VIEW,
    ORDERS: P.ORDER_VIEW,
    ORDER_NEW: P.ORDER_CREATE,
    ORDER_DETAIL: None,  # staff with order.view or the customer who placed it (query checks)
    APPROVALS: P.ORDER_APPROVE,
    APPROVAL_POLICY: P.USER_ADMIN,
    CUSTOMERS: P.CUSTOMER_VIEW,
    PRODUCTS: P.PRODUCT_VIEW,
    STOCK: P.STOCK_VIEW,
    PORTAL: P.PORTAL_USE,
    ADMIN_USERS: P.USER_ADMIN,
    ADMIN_WEBHOOKS: P.WEBHOOK_ADMIN,
    ADMIN_AUDIT: P.AUDIT_VIEW,
    ACCOUNT: None,
    ACCOUNT_2FA: None,
    RECEIVING: P.STOCK_MOVE,
    REPLENISHMENT: P.STOCK_MOVE,
    WAREHOUSE_BOARD: P.ORDER_FULFIL,
    WAREHOUSE_BOARD_TV: P.ORDER_FULFIL,
    WAREHOUSE_WAVES: P.ORDER_FULFIL,
    WAREHOUSE_PICKING: P.ORDER_FULFIL,
    WAREHOUSE_PACKING: P.ORDER_FULFIL,
    FINANCE_PAYMENTS: P.FINANCE_VIEW,
    FINANCE: P.FINANCE_VIEW,
    FINANCE_JOURNAL: P.FINANCE_VIEW,
    FINANCE_STATEMENTS: P.FINANCE_VIEW,
    BUDGETS: P.FINANCE_VIEW,
    RETURNS: P.RETURN_MANAGE,
}

# Sidebar entries in order: (route, translation key of the label, lucide icon).
MENU: list[tuple[str, str, str]] = [
    (HOME, "nav.home", "house"),
    (DASHBOARD, "nav.dashboard", "chart-line"),
    (OPERATIONS_REPORT, "nav.operations_report", "timer"),
    (REPORTS, "nav.reports", "file-chart-column"),
    (ORDERS, "nav.orders", "clipboard-list"),
    (ORDER_NEW, "nav.order_new", "file-plus"),
    (APPROVALS, "nav.approvals", "stamp"),
    (CUSTOMERS, "nav.customers", "users"),
    (PRODUCTS, "nav.products", "package"),
    (STOCK, "nav.stock", "warehouse"),
    (RECEIVING, "nav.receiving", "package-plus"),
    (REPLENISHMENT, "nav.replenishment", "refresh-cw"),
    (WAREHOUSE_BOARD, "nav.warehouse_board", "kanban"),
    (WAREHOUSE_WAVES, "nav.warehouse_waves", "layers"),
    (WAREHOUSE_PICKING, "nav.warehouse_picking", "scan-barcode"),
    (WAREHOUSE_PACKING, "nav.warehouse_packing", "package-check"),
    (RETURNS, "nav.returns", "undo-2"),
    (FINANCE, "nav.finance", "landmark"),
    (FINANCE_STATEMENTS, "nav.finance_statements", "file-spreadsheet"),
    (FINANCE_JOURNAL, "nav.finance_journal", "book-open"),
    (BUDGETS, "nav.budgets", "piggy-bank"),
    (FINANCE_PAYMENTS, "nav.finance_payments", "wallet"),
    (PORTAL, "nav.portal", "shopping-bag"),
    (ADMIN_USERS, "nav.admin_users", "shield"),
    (ADMIN_WEBHOOKS, "nav.admin_webhooks", "webhook"),
    (ADMIN_AUDIT, "nav.audit", "scroll-text"),
    (APPROVAL_POLICY, "nav.approval_policy", "list-checks"),
    (ACCOUNT, "nav.account", "user-cog"),
]


def menu_for(permissions: frozenset[str] | set[str]) -> list[dict[str, str]]:
    """The menu entries a user with these permissions may open."""
    items = []
    for route, label, icon in MENU:
        needed = ROUTE_PERMISSIONS[route]
        if route == HOME and "portal.use" in permissions and "order.view" not in permissions:
            continue  # customers start in the portal
        if needed is None or needed.value in permissions:
            items.append({"route": route, "label": label, "icon": icon})
    return items


def normalize_route(route_id: str) -> str:
    """Reflex's route id ("orders/[number]", "index") as the constants above spell it."""
    path = route_id.strip("/")
    return "/" if path in ("", "index") else f"/{path}"


def order_route(number: str) -> str:
    return f"/orders/{number}"


def landing_route(permissions: frozenset[str] | set[str]) -> str:
    customer = P.PORTAL_USE.value in permissions and P.ORDER_VIEW.value not in permissions
    return PORTAL if customer else HOME
