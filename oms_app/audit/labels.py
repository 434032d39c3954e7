"""The action codes and entity kinds the audit log holds, and the words people read for them.

Codes stay in the database and the API (machines filter on them); screens and the export for
people show the label (assets/locales/audit/<locale>.json: audit.action.<code>,
audit.entity.<kind>). A unit test keeps every code written somewhere in this list, labelled.
"""

from __future__ import annotations

from oms_app.core.i18n import translate

_PROPOSAL_STEPS = ("proposed", "released", "declined", "withdrawn", "failed")

# In the order the filter lists them: grouped by area (the part before the first dot).
ACTIONS: tuple[str, ...] = (
    "auth.login",
    "auth.login_failed",
    "auth.recovery_code_used",
    "auth.totp_enabled",
    "auth.recovery_codes_renewed",
    "user.created",
    "user.roles_set",
    "user.active_set",
    "user.unlocked",
    "user.totp_reset",
    "apikey.created",
    "apikey.revoked",
    "customer.created",
    "customer.updated",
    "product.created",
    "product.updated",
    "change_request.proposed",
    "change_request.approved",
    "change_request.rejected",
    "order.draft_edited",
    "approval.stand_in",
    "budget.create",
    "budget.allocate",
    "budget.override",
    "budget.adjustment.request",
    "budget.adjustment.approve",
    "budget.adjustment.reject",
    "payment.create",
    "payment.receipt",
    "payment.capture",
    "payment.cancel",
    "payment.refund",
    "payment.write_off",
    *(f"payment.{kind}_{step}" for kind in ("refund", "write_off") for step in _PROPOSAL_STEPS),
    "return.request",
    "return.approve",
    "return.reject",
    "return.receive",
    "return.close",
    "return.cancel",
    "stock.received",
    "stock.counted",
    "reorder_rule.set",
    "replenishment.accepted",
    "replenishment.dismissed",
    "ledger.account_added",
    "ledger.account_renamed",
    "ledger.account_active",
    "ledger.account_deleted",
    "ledger.period_closed",
    "ledger.period_reopened",
    "webhook.created",
    "webhook.updated",
    "webhook.redelivered",
)

ENTITIES: tuple[str, ...] = (
    "user",
    "api_key",
    "customer",
    "product",
    "change_request",
    "order",
    "budget",
    "budget_adjustment",
    "payment",
    "payment_proposal",
    "return",
    "receipt",
    "stock",
    "reorder_rule",
    "replenishment_suggestion",
    "ledger_account",
    "accounting_period",
    "webhook",
    "webhook_delivery",
)


def area_of(action: str) -> str:
    return action.partition(".")[0]


AREAS: tuple[str, ...] = tuple(dict.fromkeys(area_of(a) for a in ACTIONS))


def action_key(action: str) -> str:
    return f"audit.action.{action}"


def entity_key(entity: str) -> str:
    return f"audit.entity.{entity}"


def area_key(area: str) -> str:
    return f"audit.area.{area}"


def _label(key: str, code: str, locale: str) -> str:
    # an old code no longer written (so without a label) still shows, as itself
    text = translate(key, locale)
    return code if text == key else text


def action_label(action: str, locale: str) -> str:
    return _label(action_key(action), action, locale)


def entity_label(entity: str, locale: str) -> str:
    return _label(entity_key(entity), entity, locale) if entity else ""
