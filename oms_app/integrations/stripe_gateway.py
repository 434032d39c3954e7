"""Stripe through its official SDK (`StripeClient`): PaymentIntents for card, Alipay and WeChat
Pay, capture, cancel, refunds and webhook verification.

The card itself never reaches us: the payer's browser hands it to Stripe.js, which gives back a
PaymentMethod (or a tokenised card) id; we attach that id and confirm. We set the payment method
with an update and confirm without parameters, which real Stripe and localstripe both accept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oms_app.payments.provider import IntentState, InvalidWebhook, ProviderError, RefundState
from oms_app.payments.rules import from_minor_units, to_minor_units

if TYPE_CHECKING:
    import stripe

STRIPE_METHOD_TYPES = {"card": "card", "alipay": "alipay", "wechat_pay": "wechat_pay"}


class StripeGateway:
    """The PaymentProvider for Stripe."""

    name = "stripe"
    methods = tuple(STRIPE_METHOD_TYPES)

    def __init__(
        self,
        api_key: str,
        *,
        api_base: str = "",
        webhook_secret: str = "",
        timeout_seconds: float = 20.0,
        http_client: stripe.HTTPClient | None = None,
    ):
        import stripe  # the SDK (about 26 MiB) loads with the first gateway, not with the app

        client = http_client or stripe.RequestsClient(timeout=timeout_seconds)
        bases = {"api": api_base.rstrip("/")} if api_base else None
        # The SDK retries timeouts and 5xx with the same idempotency key: a retry is not a charge.
        self.client = stripe.StripeClient(
            api_key, base_addresses=bases, http_client=client, max_network_retries=2
        )
        self.webhook_secret = webhook_secret

    def create_intent(
        self, *, payment_id, order_number, amount, currency, method, capture_method, key
    ):
        params = {
            "amount": to_minor_units(amount, currency),
            "currency": currency.lower(),
            "payment_method_types": [STRIPE_METHOD_TYPES[method]],
            "metadata": {"payment_id": str(payment_id), "order": order_number, "attempt": "1"},
        }
        if method == "card":
            params["capture_method"] = capture_method
        return self._call(self.client.v1.payment_intents.create, key, params)

    def confirm_card(self, *, ref, payment_method, attempt, key):
        update = {"payment_method": payment_method, "metadata": {"attempt": str(attempt)}}
        self._call(self.client.v1.payment_intents.update, f"{key}-attach", update, ref)
        return self._call(self.client.v1.payment_intents.confirm, key, {}, ref)

    def start_wallet(self, *, ref, method, attempt, return_url, key):
        params: dict = {
            "payment_method_data": {"type": STRIPE_METHOD_TYPES[method]},
            "metadata": {"attempt": str(attempt)},
        }
        if method == "wechat_pay":
            params["payment_method_options"] = {"wechat_pay": {"client": "web"}}
        else:
            params["return_url"] = return_url
        # Wallet methods confirm in one call; the state carries the redirect or the QR code.
        self._call(
            self.client.v1.payment_intents.update,
            f"{key}-meta",
            {"metadata": params.pop("metadata")},
            ref,
        )
        return self._call(self.client.v1.payment_intents.confirm, key, params, ref)

    def retrieve(self, *, ref):
        return self._call(self.client.v1.payment_intents.retrieve, None, {}, ref)

    def capture(self, *, ref, amount, currency, key):
        params = {"amount_to_capture": to_minor_units(amount, currency)}
        return self._call(self.client.v1.payment_intents.capture, key, params, ref)

    def cancel(self, *, ref, key):
        return self._call(self.client.v1.payment_intents.cancel, key, {}, ref)

    def refund(self, *, ref, amount, currency, reason, key):
        params = {
            "payment_intent": ref,
            "amount": to_minor_units(amount, currency),
            "metadata": {"reason": reason[:300]},
        }
        import stripe

        try:
            refund = self.client.v1.refunds.create(params=params, options={"idempotency_key": key})
        except stripe.StripeError as err:
            raise _provider_error(err) from err
        return RefundState(
            ref=refund.id,
            status=refund.status or "succeeded",
            amount=from_minor_units(refund.amount, currency),
        )

    def parse_webhook(self, payload: bytes, signature: str) -> dict:
        if not self.webhook_secret:
            raise InvalidWebhook("no webhook secret configured")
        import stripe

        try:
            event = stripe.Webhook.construct_event(payload, signature, self.webhook_secret)
        except (stripe.SignatureVerificationError, ValueError) as err:
            raise InvalidWebhook(str(err)) from err
        return event.to_dict()

    def _call(self, method, key, params, *ref) -> IntentState:
        import stripe

        options = {"idempotency_key": key} if key else None
        try:
            intent = (
                method(*ref, params=params, options=options)
                if ref
                else method(params=params, options=options)
            )
        except stripe.StripeError as err:
            raise _provider_error(err) from err
        return intent_state(intent.to_dict())


def intent_state(pi: dict) -> IntentState:
    """Our view of a PaymentIntent, from an API answer or a webhook's data.object."""
    currency = pi.get("currency") or "cny"
    error = pi.get("last_payment_error") or {}
    charge = pi.get("latest_charge")
    refunded = charge.get("amount_refunded", 0) if isinstance(charge, dict) else 0
    attempt = (pi.get("metadata") or {}).get("attempt")
    return IntentState(
        ref=pi["id"],
        status=pi.get("status") or "",
        amount=from_minor_units(pi.get("amount") or 0, currency),
        currency=currency.upper(),
        client_secret=pi.get("client_secret") or "",
        amount_received=from_minor_units(pi.get("amount_received") or 0, currency),
        amount_refunded=from_minor_units(refunded or 0, currency),
        next_action=_next_action(pi.get("next_action") or {}),
        failure_code=error.get("code") or "",
        decline_code=error.get("decline_code") or "",
        failure_message=error.get("message") or "",
        attempt=int(attempt) if str(attempt or "").isdigit() else None,
    )


def _next_action(action: dict) -> dict:
    """What the payer must do next, in our words: open a URL, scan a code, or authenticate."""
    if "redirect_to_url" in action:
        return {"redirect_url": action["redirect_to_url"].get("url", "")}
    if "alipay_handle_redirect" in action:
        return {"redirect_url": action["alipay_handle_redirect"].get("url", "")}
    if "wechat_pay_display_qr_code" in action:
        qr = action["wechat_pay_display_qr_code"]
        return {"qr_code": qr.get("data", ""), "qr_image": qr.get("image_data_url", "")}
    if action.get("type") == "use_stripe_sdk":
        return {"authenticate": True}
    return {}


def _provider_error(err: stripe.StripeError) -> ProviderError:
    import stripe

    if isinstance(err, stripe.APIConnectionError):
        timed_out = "timed out" in str(err).lower() or "timeout" in str(err).lower()
        return ProviderError("timeout" if timed_out else "network_error", str(err))
    detail = err.error
    code = (detail.code if detail else None) or err.code or "provider_error"
    decline = (detail.decline_code if detail else None) or ""
    state = None
    intent = detail.payment_intent if detail else None
    if intent is not None:
        state = intent_state(intent.to_dict() if hasattr(intent, "to_dict") else dict(intent))
    message = (detail.message if detail else None) or str(err)
    return ProviderError(code, message, decline_code=decline, state=state)
