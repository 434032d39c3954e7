"""Who may call each API operation, as the design says (the permission its service requires).

One row per OpenAPI operation: the roles allowed, PUBLIC for operations that need no key, or
EVERYONE for any valid key. A customer is allowed only on its own company's rows: the matrix
sends company A's rows, so "customer" here means A's customer; B's customer is refused on any
path that names a row and sees only its own rows in lists. A new operation without a row fails
tests/security/test_authorization_matrix.py.
"""

from __future__ import annotations

ADMIN, SALES, MANAGER, FINANCE = "admin", "sales", "sales_manager", "finance"
WAREHOUSE, EXECUTIVE, CUSTOMER = "warehouse", "executive", "customer"
ROLES = frozenset({ADMIN, SALES, MANAGER, FINANCE, WAREHOUSE, EXECUTIVE, CUSTOMER})
PUBLIC = "public"  # no key needed (health checks, Stripe's signed webhook)
EVERYONE = ROLES

STAFF = frozenset({ADMIN, SALES, MANAGER, FINANCE, WAREHOUSE, EXECUTIVE})
ORDER_VIEW = STAFF | {CUSTOMER}  # staff see every order, a customer its own
ORDER_CREATE = frozenset({ADMIN, SALES, MANAGER})
ORDER_APPROVE = frozenset({ADMIN, MANAGER, FINANCE, WAREHOUSE})  # each decides its own level
ORDER_CANCEL = frozenset({ADMIN, MANAGER})
PRODUCT_VIEW = frozenset({ADMIN, SALES, MANAGER, WAREHOUSE, EXECUTIVE})
STOCK_VIEW = PRODUCT_VIEW
STOCK_MOVE = frozenset({ADMIN, WAREHOUSE})
FULFIL = frozenset({ADMIN, WAREHOUSE})
CUSTOMER_VIEW = frozenset({ADMIN, SALES, MANAGER, FINANCE, EXECUTIVE})
# Sales edit customers; a credit limit or payment terms they send only becomes a proposal for
# finance (the service keeps the old value), so the call itself is allowed.
CUSTOMER_EDIT = frozenset({ADMIN, SALES, MANAGER})
PRICE_EDIT = frozenset({ADMIN})  # product master data; list-price changes by others are proposals
PAY = frozenset({ADMIN, SALES, MANAGER, FINANCE, CUSTOMER})  # start/retry/see an order's payment
MONEY = frozenset({ADMIN, FINANCE})  # capture, refund, receipts, write-offs, the books
FINANCE_VIEW = frozenset({ADMIN, FINANCE, EXECUTIVE})
DASHBOARD = frozenset({ADMIN, MANAGER, FINANCE, EXECUTIVE})
RETURN_REQUEST = frozenset({ADMIN, SALES, MANAGER, CUSTOMER})
RETURN_VIEW = STAFF | {CUSTOMER}
RETURN_MANAGE = frozenset({ADMIN, MANAGER, WAREHOUSE})
WEBHOOKS = frozenset({ADMIN})
AUDIT = frozenset({ADMIN, FINANCE})  # the audit log is read-only, for admin and finance
MASTERDATA_APPROVE = frozenset({ADMIN, MANAGER, FINANCE})  # each field by its own right too

ALLOWED: dict[str, frozenset[str] | str] = {
    "GET /api/v1/health": PUBLIC,
    "GET /api/v1/me": EVERYONE,
    # the browser's session cookie: guarded by a log-in's one-time code, not by a key (see
    # tests/security/test_session_cookie.py); cleared for anyone
    "GET /api/v1/session/claim": PUBLIC,
    "GET /api/v1/session/end": PUBLIC,
    # orders
    "POST /api/v1/orders": ORDER_CREATE,
    "GET /api/v1/orders": ORDER_VIEW,
    "GET /api/v1/orders/export": ORDER_VIEW,
    "GET /api/v1/orders/{number}": ORDER_VIEW,
    "GET /api/v1/orders/{number}/history": ORDER_VIEW,
    "POST /api/v1/orders/{number}/approve": ORDER_APPROVE,
    "POST /api/v1/orders/{number}/reject": ORDER_APPROVE,
    "POST /api/v1/orders/{number}/cancel": ORDER_CANCEL,
    # master data and stock
    "POST /api/v1/receipts": STOCK_MOVE,
    "GET /api/v1/inventory/{sku}": STOCK_VIEW,
    "PUT /api/v1/products/{sku}": PRICE_EDIT,
    "GET /api/v1/products/{sku}": PRODUCT_VIEW,
    "GET /api/v1/products": PRODUCT_VIEW,
    "PUT /api/v1/customers/{code}": CUSTOMER_EDIT,
    "GET /api/v1/customers/{code}": CUSTOMER_VIEW,
    "PUT /api/v1/inventory/{warehouse}/{sku}": STOCK_MOVE,
    # webhooks
    "GET /api/v1/webhooks": WEBHOOKS,
    "POST /api/v1/webhooks": WEBHOOKS,
    "PATCH /api/v1/webhooks/{subscription_id}": WEBHOOKS,
    "DELETE /api/v1/webhooks/{subscription_id}": WEBHOOKS,
    "GET /api/v1/webhooks/{subscription_id}/deliveries": WEBHOOKS,
    "POST /api/v1/webhooks/deliveries/{delivery_id}/redeliver": WEBHOOKS,
    "POST /api/v1/webhooks/stripe": PUBLIC,  # Stripe's signature is its credential
    # the warehouse floor
    "GET /api/v1/waves": FULFIL,
    "POST /api/v1/waves": FULFIL,
    "GET /api/v1/waves/{number}": FULFIL,
    "POST /api/v1/waves/{number}/start": FULFIL,
    "GET /api/v1/waves/{number}/pick-list.pdf": FULFIL,
    "POST /api/v1/waves/{number}/assign": FULFIL,
    "POST /api/v1/waves/{number}/cancel": FULFIL,
    "POST /api/v1/picks/{pick_id}/confirm": FULFIL,
    "POST /api/v1/picks/{pick_id}/short": FULFIL,
    "POST /api/v1/orders/{number}/shipments": FULFIL,
    "GET /api/v1/orders/{number}/shipments": FULFIL,
    "GET /api/v1/shipments/{number}": FULFIL,
    "GET /api/v1/shipments/{number}/packing-slip.pdf": FULFIL,
    "GET /api/v1/shipments/{number}/label.pdf": FULFIL,
    "POST /api/v1/shipments/{number}/items": FULFIL,
    "POST /api/v1/shipments/{number}/parcels/close": FULFIL,
    "POST /api/v1/shipments/{number}/pack": FULFIL,
    "POST /api/v1/shipments/{number}/ship": FULFIL,
    # dashboards and reports
    "GET /api/v1/analytics/kpis": DASHBOARD,
    "GET /api/v1/analytics/operations": DASHBOARD,
    "POST /api/v1/reports": DASHBOARD,
    "GET /api/v1/reports": DASHBOARD,
    "GET /api/v1/reports/{run_id}": DASHBOARD,
    "GET /api/v1/reports/{run_id}/file.pdf": DASHBOARD,
    "GET /api/v1/reports/{run_id}/file.xlsx": DASHBOARD,
    # payments
    "POST /api/v1/orders/{number}/payments": PAY,
    "GET /api/v1/orders/{number}/payments": PAY,
    "POST /api/v1/payments/{payment_id}/card": PAY,
    "POST /api/v1/payments/{payment_id}/sync": PAY,
    "POST /api/v1/payments/{payment_id}/capture": MONEY,
    "POST /api/v1/payments/{payment_id}/cancel": PAY,  # abandon an unpaid one; void needs MONEY
    "POST /api/v1/payments/{payment_id}/refund": MONEY,
    "GET /api/v1/payments/{payment_id}/history": PAY,
    "POST /api/v1/orders/{number}/receipts": MONEY,
    "POST /api/v1/orders/{number}/write-offs": MONEY,
    # money going out waits for a second person of finance (four eyes)
    "GET /api/v1/finance/proposals": MONEY,
    "POST /api/v1/finance/proposals/{proposal_id}/release": MONEY,
    # the audit log and proposed master-data changes (a tier proposed by sales is seeded)
    "GET /api/v1/audit": AUDIT,
    "GET /api/v1/audit/export": AUDIT,
    "GET /api/v1/master-data/change-requests": MASTERDATA_APPROVE,
    "POST /api/v1/master-data/change-requests/{change_id}/approve": MASTERDATA_APPROVE,
    "POST /api/v1/master-data/change-requests/{change_id}/reject": MASTERDATA_APPROVE,
    "POST /api/v1/finance/proposals/{proposal_id}/decline": MONEY,
    # only its proposer (a third finance user, not a principal here) may withdraw a proposal
    "POST /api/v1/finance/proposals/{proposal_id}/withdraw": frozenset(),
    "GET /api/v1/finance/payments": FINANCE_VIEW,
    # the books
    "GET /api/v1/finance/trial-balance": FINANCE_VIEW,
    "GET /api/v1/finance/income-statement": FINANCE_VIEW,
    "GET /api/v1/finance/balance-sheet": FINANCE_VIEW,
    "GET /api/v1/finance/journal": FINANCE_VIEW,
    "GET /api/v1/finance/journal/{entry_id}": FINANCE_VIEW,
    "GET /api/v1/finance/accounts": FINANCE_VIEW,
    "GET /api/v1/finance/accounts/{code}/lines": FINANCE_VIEW,
    "GET /api/v1/finance/periods": FINANCE_VIEW,
    "GET /api/v1/finance/statements/{kind}.pdf": FINANCE_VIEW,
    "GET /api/v1/finance/statements/{kind}.xlsx": FINANCE_VIEW,
    "POST /api/v1/finance/expenses": MONEY,
    "POST /api/v1/finance/journal/{entry_id}/reverse": MONEY,
    "POST /api/v1/finance/periods/{period}/close": MONEY,
    "POST /api/v1/finance/periods/{period}/reopen": MONEY,
    # budgets
    "GET /api/v1/budgets": FINANCE_VIEW,
    "POST /api/v1/budgets": MONEY,
    "GET /api/v1/forecasts": FINANCE_VIEW,
    "GET /api/v1/budgets/{budget_id}": FINANCE_VIEW,
    "POST /api/v1/budgets/{budget_id}/adjustments": FINANCE_VIEW,  # budget holders ask
    "GET /api/v1/budget-adjustments": FINANCE_VIEW,
    "POST /api/v1/budget-adjustments/{adjustment_id}/approve": MONEY,
    "POST /api/v1/budget-adjustments/{adjustment_id}/reject": MONEY,
    "POST /api/v1/budgets/expenses": MONEY,
    # returns
    "POST /api/v1/orders/{number}/returns": RETURN_REQUEST,
    "GET /api/v1/orders/{number}/returns": RETURN_VIEW,
    "GET /api/v1/returns": RETURN_VIEW,
    "GET /api/v1/returns/{number}": RETURN_VIEW,
    "POST /api/v1/returns/{number}/approve": RETURN_MANAGE,
    "POST /api/v1/returns/{number}/reject": RETURN_MANAGE,
    "POST /api/v1/returns/{number}/receive": RETURN_MANAGE,
    "POST /api/v1/returns/{number}/close": RETURN_MANAGE,
    # only who asked may withdraw a return: here A's customer
    "POST /api/v1/returns/{number}/cancel": frozenset({CUSTOMER}),
}
