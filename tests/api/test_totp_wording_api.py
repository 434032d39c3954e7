"""Over the API a step-up without a code answers 401 asking for it; a wrong code answers 401
saying it is incorrect, in the caller's language, and records nothing."""

from __future__ import annotations

import pytest

from tests.api.test_fulfilment_api import client
from tests.api.test_payments_api import key_for
from tests.factories.payments import order_total, payable_order, payment_rows, totp_now

pytestmark = pytest.mark.asyncio


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def test_a_bank_receipt_without_a_code_asks_for_it_and_with_a_wrong_one_says_incorrect(uow):
    world, number = payable_order(uow)
    finance = key_for(uow, world.finance.user_id, "wording")
    body = {"amount": str(order_total(uow, number)), "reference": "ICBC-WORDING-1"}
    url = f"/api/v1/orders/{number}/receipts"
    async with client() as http:
        missing = await http.post(
            url, json={**body, "totp_code": ""}, headers={**finance, "Accept-Language": "en"}
        )
        wrong_en = await http.post(
            url,
            json={**body, "totp_code": wrong(totp_now())},
            headers={**finance, "Accept-Language": "en"},
        )
        wrong_zh = await http.post(
            url,
            json={**body, "totp_code": wrong(totp_now())},
            headers={**finance, "Accept-Language": "zh-CN"},
        )
    assert missing.status_code == 401
    assert missing.json()["error"]["code"] == "error.auth.totp_required"
    assert missing.json()["error"]["field"] == "totp_code"
    assert wrong_en.status_code == 401
    assert wrong_en.json()["error"]["code"] == "error.auth.totp_incorrect"
    assert wrong_en.json()["error"]["message"] == "The authenticator code is incorrect"
    assert wrong_zh.json()["error"]["message"] == "验证码不正确"
    assert payment_rows(uow, number) == []
