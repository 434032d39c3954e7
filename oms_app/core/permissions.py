"""Roles, permissions and the acting user. Deny by default: no grant, no access."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from oms_app.core.errors import PermissionDenied


class Permission(StrEnum):
    ORDER_VIEW = "order.view"
    ORDER_CREATE = "order.create"
    ORDER_SUBMIT = "order.submit"
    ORDER_APPROVE = "order.approve"
    ORDER_CANCEL = "order.cancel"
    ORDER_FULFIL = "order.fulfil"
    CUSTOMER_VIEW = "customer.view"
    CUSTOMER_EDIT = "customer.edit"
    CUSTOMER_CREDIT_EDIT = "customer.credit.edit"  # credit limit and payment terms
    CUSTOMER_TIER_EDIT = "customer.tier.edit"
    PRICE_EDIT = "price.edit"  # list prices and price lists
    MASTERDATA_APPROVE = "masterdata.approve"  # decide proposals (plus the field's own right)
    PRODUCT_VIEW = "product.view"
    PRODUCT_EDIT = "product.edit"
    STOCK_VIEW = "stock.view"
    STOCK_MOVE = "stock.move"
    FINANCE_VIEW = "finance.view"
    PAYMENT_MANAGE = "payment.manage"
    PAYMENT_PAY = "payment.pay"  # start or retry a payment of an order one may see
    LEDGER_POST = "ledger.post"  # enter expenses, reverse entries, close periods, edit the chart
    DASHBOARD_VIEW = "dashboard.view"
    USER_ADMIN = "user.admin"
    APIKEY_ADMIN = "apikey.admin"
    WEBHOOK_ADMIN = "webhook.admin"
    AUDIT_VIEW = "audit.view"
    PORTAL_USE = "portal.use"
    NOTIFY_SEND = "notify.send"
    RETURN_REQUEST = "return.request"  # ask to return shipped goods (customers: their own orders)
    RETURN_MANAGE = "return.manage"  # approve, reject, receive and close returns


class Role(StrEnum):
    ADMIN = "admin"
    SALES = "sales"
    SALES_MANAGER = "sales_manager"
    FINANCE = "finance"
    WAREHOUSE = "warehouse"
    EXECUTIVE = "executive"
    CUSTOMER = "customer"


P = Permission
_SALES = {
    P.ORDER_VIEW,
    P.ORDER_CREATE,
    P.ORDER_SUBMIT,
    P.CUSTOMER_VIEW,
    P.PRODUCT_VIEW,
    P.STOCK_VIEW,
}

# The grant table seeded into the roles/permissions tables; the database is the source at run time.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission) - {P.PORTAL_USE},
    Role.SALES: frozenset(_SALES | {P.CUSTOMER_EDIT, P.PAYMENT_PAY, P.RETURN_REQUEST}),
    Role.SALES_MANAGER: frozenset(
        _SALES
        | {P.CUSTOMER_EDIT, P.ORDER_APPROVE, P.ORDER_CANCEL, P.DASHBOARD_VIEW, P.PAYMENT_PAY}
        | {P.RETURN_REQUEST, P.RETURN_MANAGE, P.CUSTOMER_TIER_EDIT, P.MASTERDATA_APPROVE}
    ),
    Role.FINANCE: frozenset(
        {
            P.ORDER_VIEW,
            P.ORDER_APPROVE,
            P.CUSTOMER_VIEW,
            P.FINANCE_VIEW,
            P.PAYMENT_MANAGE,
            P.PAYMENT_PAY,
            P.LEDGER_POST,
            P.DASHBOARD_VIEW,
            P.AUDIT_VIEW,
            P.CUSTOMER_CREDIT_EDIT,
            P.CUSTOMER_TIER_EDIT,
            P.PRICE_EDIT,
            P.MASTERDATA_APPROVE,
        }
    ),
    Role.WAREHOUSE: frozenset(
        {
            P.ORDER_VIEW,
            P.ORDER_APPROVE,
            P.ORDER_FULFIL,
            P.PRODUCT_VIEW,
            P.STOCK_VIEW,
            P.STOCK_MOVE,
            P.RETURN_MANAGE,
        }
    ),
    Role.EXECUTIVE: frozenset(
        {
            P.ORDER_VIEW,
            P.CUSTOMER_VIEW,
            P.PRODUCT_VIEW,
            P.STOCK_VIEW,
            P.FINANCE_VIEW,
            P.DASHBOARD_VIEW,
        }
    ),
    Role.CUSTOMER: frozenset({P.PORTAL_USE, P.PAYMENT_PAY, P.RETURN_REQUEST}),
}

# Roles whose accounts must enrol a second factor before they can work.
ROLES_REQUIRING_TOTP = frozenset({Role.ADMIN, Role.FINANCE})


@dataclass(frozen=True)
class Actor:
    """Who is acting: resolved on the server from a session, an API key or the system."""

    user_id: int | None
    username: str
    roles: frozenset[str] = frozenset()
    permissions: frozenset[str] = frozenset()
    locale: str = "zh_CN"
    tz: str = "Asia/Shanghai"
    customer_id: int | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def can(self, permission: Permission) -> bool:
        return permission.value in self.permissions


SYSTEM_ACTOR = Actor(
    user_id=None,
    username="system",
    roles=frozenset({"system"}),
    permissions=frozenset(p.value for p in Permission),
)
ANONYMOUS = Actor(user_id=None, username="anonymous")


def sees_customer_view(actor: Actor) -> bool:
    """Whether the actor gets the customer's views of orders, payments and returns.

    Deny by default: only staff who may see every order get the internal fields; customers
    (and holders of a payment link) see what the customer views list, nothing more.
    """
    return actor.customer_id is not None or not actor.can(Permission.ORDER_VIEW)


def require(actor: Actor | None, permission: Permission) -> Actor:
    """Raise PermissionDenied unless the actor holds the permission."""
    if actor is None or not actor.can(permission):
        raise PermissionDenied(permission=permission.value)
    return actor
