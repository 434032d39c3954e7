"""Which provider takes online payments: Stripe when its key is set, none otherwise."""

from __future__ import annotations

from functools import lru_cache

from oms_app.core.config import get_settings
from oms_app.core.errors import ValidationFailed
from oms_app.integrations.stripe_gateway import StripeGateway
from oms_app.payments.provider import PaymentProvider


@lru_cache(maxsize=4)
def _stripe(key: str, base: str, secret: str, timeout: float) -> StripeGateway:
    return StripeGateway(key, api_base=base, webhook_secret=secret, timeout_seconds=timeout)


def online_provider() -> PaymentProvider | None:
    """The configured provider, or None when only offline methods are available."""
    s = get_settings()
    if not s.stripe_api_key:
        return None
    return _stripe(
        s.stripe_api_key, s.stripe_api_base, s.stripe_webhook_secret, s.stripe_timeout_seconds
    )


def require_provider(provider: PaymentProvider | None, method: str) -> PaymentProvider:
    """The provider for an online method, or a clear error naming the method."""
    provider = provider or online_provider()
    if provider is None or method not in provider.methods:
        raise ValidationFailed("method", "payment.error.method_unavailable", method=method)
    return provider
