"""Signed payment links (`/pay/<token>`): whoever holds one may pay that order, until it expires."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta

from oms_app.core.clock import utcnow
from oms_app.core.config import get_settings
from oms_app.core.permissions import Actor, Permission


def _sign(body: str) -> str:
    key = get_settings().signing_key().encode()
    digest = hmac.new(key, f"pay-link:{body}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def make_pay_token(order_number: str, *, now: datetime | None = None) -> str:
    """A token naming the order and its expiry, signed with the secret key."""
    expires = int(((now or utcnow()) + timedelta(days=get_settings().pay_link_days)).timestamp())
    body = f"{order_number}.{expires}"
    return f"{body}.{_sign(body)}"


def read_pay_token(token: str, *, now: datetime | None = None) -> str | None:
    """The order number of a valid, unexpired token; None otherwise."""
    try:
        number, expires, signature = token.rsplit(".", 2)
        expiry = int(expires)
    except ValueError:
        return None
    if not hmac.compare_digest(signature, _sign(f"{number}.{expires}")):
        return None
    if (now or utcnow()).timestamp() > expiry:
        return None
    return number


def payer_actor(order_number: str) -> Actor:
    """Whoever opened a valid payment link: may pay that one order, nothing else."""
    return Actor(
        user_id=None,
        username="payer",
        permissions=frozenset({Permission.PAYMENT_PAY.value}),
        extra={"pay_order": order_number},
    )
