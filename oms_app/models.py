"""Every table, imported once so SQLModel's metadata (and Alembic) see the whole schema."""

from oms_app.accounts.models import (  # noqa: F401
    ApiKey,
    PermissionRow,
    Role,
    RolePermission,
    User,
    UserRole,
    UserSession,
)
from oms_app.analytics.models import SalesDaily, SalesDailyCategory  # noqa: F401
from oms_app.approvals import lifecycle as approval_lifecycle  # noqa: F401
from oms_app.approvals.models import ApprovalEvent, ApprovalRequest, ApprovalRule  # noqa: F401
from oms_app.audit.models import AuditEntry  # noqa: F401
from oms_app.budgets import lifecycle as budget_lifecycle  # noqa: F401
from oms_app.budgets.models import (  # noqa: F401
    Budget,
    BudgetAdjustment,
    BudgetAdjustmentEvent,
    BudgetAlert,
    BudgetMonth,
)
from oms_app.catalog.models import Category, PriceList, PriceListItem, Product  # noqa: F401
from oms_app.changes import lifecycle as change_lifecycle  # noqa: F401
from oms_app.changes.models import MasterDataChangeRequest  # noqa: F401
from oms_app.core.events import OutboxMessage  # noqa: F401
from oms_app.customers.models import Customer, CustomerAddress, CustomerContact  # noqa: F401
from oms_app.fulfillment import lifecycle as fulfillment_lifecycle  # noqa: F401
from oms_app.fulfillment.models import (  # noqa: F401
    Backorder,
    Parcel,
    PickTask,
    Shipment,
    ShipmentEvent,
    ShipmentLine,
    Wave,
    WaveEvent,
)
from oms_app.inventory.models import (  # noqa: F401
    BinLocation,
    ExpectedReceipt,
    ReorderRule,
    ReplenishmentSuggestion,
    StockMovement,
    Warehouse,
)
from oms_app.ledger.models import (  # noqa: F401
    AccountingPeriod,
    JournalEntry,
    JournalLine,
    LedgerAccount,
)
from oms_app.notifications.models import Notification  # noqa: F401
from oms_app.orders import lifecycle  # noqa: F401  (registers the order state machine)
from oms_app.orders.models import (  # noqa: F401
    IdempotencyKey,
    Order,
    OrderAnomaly,
    OrderEvent,
    OrderLine,
    OrderNumberCounter,
    OrderTemplate,
)
from oms_app.payments import lifecycle as payment_lifecycle  # noqa: F401
from oms_app.payments.models import (  # noqa: F401
    Invoice,
    Payment,
    PaymentAttempt,
    PaymentEvent,
    PaymentRefund,
    StripeEvent,
)
from oms_app.reports import lifecycle as report_lifecycle  # noqa: F401
from oms_app.reports.models import ReportRun, ReportRunEvent  # noqa: F401
from oms_app.returns import lifecycle as return_lifecycle  # noqa: F401
from oms_app.returns.models import (  # noqa: F401
    Return,
    ReturnEvent,
    ReturnLine,
    ReturnNumberCounter,
)
from oms_app.webhooks.models import WebhookDelivery, WebhookSubscription  # noqa: F401
