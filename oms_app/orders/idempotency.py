"""Idempotency keys of order intake: a retry with the same key and the same request gets the
first order; the same key with another request is refused, as payment APIs do."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import sqlalchemy as sa

from oms_app.core.errors import ValidationFailed
from oms_app.core.permissions import Actor
from oms_app.orders.models import IdempotencyKey, Order
from oms_app.orders.rules import OrderInput

KEY_FIELD = "Idempotency-Key"
KEY_MAX_CHARS = 128
REUSED = "idempotency_key_reused"


def request_hash(cmd: OrderInput, *, submit: bool) -> str:
    """SHA-256 of the request in canonical form (sorted keys, no spacing), hex."""
    canonical = {"order": dataclasses.asdict(cmd), "submit": submit}
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def replay(uow, *, actor: Actor, key: str, fingerprint: str) -> str | None:
    """The order number the key made before, if any (serialized per user and key).

    Raises when the key was first used with another request: a silent replay would hand the
    client an order it did not ask for.
    """
    if len(key) > KEY_MAX_CHARS:
        raise ValidationFailed(KEY_FIELD, "error.too_long", max=KEY_MAX_CHARS)
    uow.session.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": f"idem:{actor.user_id}:{key}"}
    )
    found = uow.session.execute(
        sa.select(Order.number, IdempotencyKey.request_hash)
        .join(IdempotencyKey, IdempotencyKey.order_id == Order.id)
        .where(IdempotencyKey.user_id == actor.user_id, IdempotencyKey.key == key)
    ).first()
    if found is None:
        return None
    number, stored = found
    # Keys stored before hashes were kept have none: they replay as they always did.
    if stored and stored != fingerprint:
        raise ValidationFailed(KEY_FIELD, REUSED)
    return number


def remember(uow, *, actor: Actor, key: str, fingerprint: str, order_id: int) -> None:
    """Store the key with the hash of the request that used it first."""
    uow.session.add(
        IdempotencyKey(user_id=actor.user_id, key=key, request_hash=fingerprint, order_id=order_id)
    )
