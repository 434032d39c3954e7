"""Alipay and WeChat Pay through Stripe: what we send (checked on the SDK's HTTP seam against
recorded answers), what the payer gets (a redirect or a QR code), and success by signed webhook."""

from __future__ import annotations

import json
import time

import pytest
import stripe

from oms_app.integrations.stripe_gateway import StripeGateway
from oms_app.payments import inbox, service
from tests.factories.payments import history, order_payment_status, payable_order
from tests.stripe_infra import API_KEY, WEBHOOK_SECRET
from tests.stripe_recorded import RecordedStripe


def gateway_for(method: str) -> tuple[StripeGateway, RecordedStripe]:
    recorded = RecordedStripe(method=method)
    gateway = StripeGateway(
        API_KEY,
        api_base="https://api.stripe.test",
        webhook_secret=WEBHOOK_SECRET,
        http_client=recorded,
    )
    return gateway, recorded


def signed(event: dict) -> tuple[bytes, str]:
    payload = json.dumps(event).encode()
    stamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(
        f"{stamp}.{payload.decode()}", WEBHOOK_SECRET
    )
    return payload, f"t={stamp},v1={signature}"


def test_alipay_sends_the_alipay_intent_and_gives_the_payer_a_redirect(uow):
    world, number = payable_order(uow)
    gateway, recorded = gateway_for("alipay")
    # when
    payment = service.create_payment(
        uow,
        actor=world.rep,
        order_number=number,
        method="alipay",
        return_url="https://shop.example/return",
        provider=gateway,
    )
    # then: the intent is for Alipay in fen, keyed by our payment and attempt
    create, meta, confirm = recorded.sent
    assert (create.method, create.path) == ("POST", "/v1/payment_intents")
    assert create.params["payment_method_types[0]"] == "alipay"
    assert create.params["currency"] == "cny" and create.params["amount"] == "7424"
    assert create.params["metadata[payment_id]"] == str(payment["id"])
    assert create.headers["Idempotency-Key"] == f"oms-pay-{payment['id']}-a1-create"
    assert confirm.path == "/v1/payment_intents/pi_3RecordedWallet01/confirm"
    assert confirm.params["payment_method_data[type]"] == "alipay"
    assert confirm.params["return_url"] == "https://shop.example/return"
    assert confirm.headers["Idempotency-Key"] == f"oms-pay-{payment['id']}-a1-confirm"
    assert meta.params["metadata[attempt]"] == "1"
    assert payment["status"] == "requires_action"
    assert payment["redirect_url"].startswith("https://hooks.stripe.com/redirect/")
    assert "Authorization" in create.headers and API_KEY in create.headers["Authorization"]


def test_wechat_pay_asks_for_a_web_qr_code_and_the_payer_gets_it(uow):
    world, number = payable_order(uow)
    gateway, recorded = gateway_for("wechat_pay")
    payment = service.create_payment(
        uow, actor=world.rep, order_number=number, method="wechat_pay", provider=gateway
    )
    confirm = recorded.sent[-1]
    assert confirm.params["payment_method_data[type]"] == "wechat_pay"
    assert confirm.params["payment_method_options[wechat_pay][client]"] == "web"
    assert "return_url" not in confirm.params
    assert payment["qr_code"] == "weixin://wxpay/bizpayurl?pr=RecordedQR"
    assert payment["status"] == "requires_action"


def test_a_signed_succeeded_webhook_pays_a_wechat_order(uow):
    world, number = payable_order(uow)
    gateway, _ = gateway_for("wechat_pay")
    payment = service.create_payment(
        uow, actor=world.rep, order_number=number, method="wechat_pay", provider=gateway
    )
    event = {
        "id": "evt_wechat_ok_1",
        "object": "event",
        "type": "payment_intent.succeeded",
        "data": {
            "object": {
                "id": "pi_3RecordedWallet01",
                "object": "payment_intent",
                "status": "succeeded",
                "amount": 7424,
                "amount_received": 7424,
                "currency": "cny",
                "metadata": {"attempt": "1"},
            }
        },
    }
    payload, signature = signed(event)
    # when
    event_id, new = inbox.receive_stripe_event(
        uow, payload=payload, signature=signature, provider=gateway
    )
    outcome = inbox.process_stripe_event(uow, event_id=event_id)
    # then
    assert new and outcome == "requires_action -> succeeded"
    assert order_payment_status(uow, number) == "paid"
    assert history(uow, payment["id"])[-1] == ("requires_action", "succeeded")


def test_a_webhook_with_a_bad_signature_is_refused_and_stores_nothing(uow):
    gateway, _ = gateway_for("alipay")
    payload, signature = signed({"id": "evt_forged", "type": "payment_intent.succeeded"})
    with pytest.raises(inbox.InvalidWebhook):
        inbox.receive_stripe_event(
            uow, payload=payload, signature=signature.replace("v1=", "v1=0"), provider=gateway
        )
    assert inbox.unprocessed_event_ids(uow, older_than_seconds=-60) == []
