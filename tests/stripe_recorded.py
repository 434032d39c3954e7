"""Stripe answers recorded in Stripe's documented shapes, served through the SDK's own HTTP
client seam, for what localstripe cannot do (Alipay and WeChat Pay). Every request the SDK
makes is kept, so a test can check exactly what we sent."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

import stripe


@dataclass
class SentRequest:
    method: str
    path: str
    params: dict
    headers: dict


def _intent(pi_id: str, method: str, status: str, next_action: dict | None = None) -> dict:
    return {
        "id": pi_id,
        "object": "payment_intent",
        "amount": 7424,
        "amount_received": 0,
        "currency": "cny",
        "status": status,
        "client_secret": f"{pi_id}_secret_recorded",
        "payment_method_types": [method],
        "capture_method": "automatic",
        "metadata": {"attempt": "1"},
        "next_action": next_action,
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
    }


ALIPAY_REDIRECT = {
    "type": "alipay_handle_redirect",
    "alipay_handle_redirect": {
        "native_data": None,
        "native_url": None,
        "return_url": "https://shop.example/return",
        "url": "https://hooks.stripe.com/redirect/authenticate/src_1RecordedAlipay",
    },
}
WECHAT_QR = {
    "type": "wechat_pay_display_qr_code",
    "wechat_pay_display_qr_code": {
        "data": "weixin://wxpay/bizpayurl?pr=RecordedQR",
        "hosted_instructions_url": "https://pay.stripe.com/wechat/recorded",
        "image_data_url": "data:image/png;base64,iVBORw0KGgo=",
        "image_url_png": "https://qr.stripe.com/recorded.png",
        "image_url_svg": "https://qr.stripe.com/recorded.svg",
    },
}


@dataclass
class RecordedStripe(stripe.HTTPClient):
    """Answers create / update / confirm of a wallet PaymentIntent as Stripe does."""

    method: str = "alipay"
    sent: list[SentRequest] = field(default_factory=list)
    name = "recorded"

    def __post_init__(self):
        super().__init__()

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        path = url.split("://", 1)[-1].split("/", 1)[-1]
        params = dict(parse_qsl(post_data or "", keep_blank_values=True))
        self.sent.append(SentRequest(method.upper(), f"/{path}", params, dict(headers or {})))
        pi_id = "pi_3RecordedWallet01"
        if path.endswith("/confirm"):
            action = ALIPAY_REDIRECT if self.method == "alipay" else WECHAT_QR
            body = _intent(pi_id, self.method, "requires_action", action)
        else:
            body = _intent(pi_id, self.method, "requires_payment_method")
        return json.dumps(body), 200, {"request-id": f"req_{len(self.sent)}"}
