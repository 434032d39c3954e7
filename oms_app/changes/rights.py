"""Which permission may change which master-data field. Fields not listed follow the record's
edit permission; a listed field changed without its permission becomes a proposal."""

from __future__ import annotations

from oms_app.core.permissions import Actor, Permission

FIELD_RIGHTS: dict[tuple[str, str], Permission] = {
    # credit and terms decide how much risk an order may carry: finance's call
    ("customer", "credit_limit"): Permission.CUSTOMER_CREDIT_EDIT,
    ("customer", "payment_terms_days"): Permission.CUSTOMER_CREDIT_EDIT,
    # the tier picks the price list: sales managers and finance
    ("customer", "tier"): Permission.CUSTOMER_TIER_EDIT,
    ("product", "list_price"): Permission.PRICE_EDIT,
    ("product", "standard_cost"): Permission.PRICE_EDIT,
}


def right_for(entity: str, field: str) -> Permission | None:
    return FIELD_RIGHTS.get((entity, field))


def may_change(actor: Actor, entity: str, field: str) -> bool:
    """Whether the actor may set the field directly (the record's own right is checked before)."""
    needed = right_for(entity, field)
    return needed is None or actor.can(needed)


def held_back(actor: Actor, entity: str, changes: dict[str, tuple]) -> dict[str, tuple]:
    """The (old, new) changes the actor may only propose."""
    return {f: pair for f, pair in changes.items() if not may_change(actor, entity, f)}
