"""An Idempotency-Key names one request: the same request again gets the first order, another
request with that key is refused with `idempotency_key_reused`, and nothing is stored."""

from __future__ import annotations

import asyncio

import pytest

from tests.api.test_orders_api import BODY, client, keys_for, order_count
from tests.factories.sales import make_world

pytestmark = pytest.mark.asyncio


async def test_a_key_reused_with_another_body_is_422_and_stores_nothing(uow):
    # given an order entered with a key
    keys = keys_for(uow, make_world(uow))
    headers = {**keys["shop"], "Idempotency-Key": "erp-7781"}
    other = {**BODY, "lines": [{"sku": "OFF-0001", "quantity": 20}]}
    async with client() as http:
        first = await http.post("/api/v1/orders", json=BODY, headers=headers)
        # when the key comes again with another body
        reused = await http.post("/api/v1/orders", json=other, headers=headers)
    # then it is refused naming the key, and only the first order exists
    assert first.status_code == 201
    assert reused.status_code == 422, reused.text
    [error] = reused.json()["errors"]
    assert (error["field"], error["code"]) == ("Idempotency-Key", "idempotency_key_reused")
    assert "Idempotency-Key" in error["message"]
    assert order_count(uow) == 1


async def test_the_same_key_and_the_same_body_return_the_first_order(uow):
    keys = keys_for(uow, make_world(uow))
    headers = {**keys["shop"], "Idempotency-Key": "erp-7782"}
    async with client() as http:
        first = await http.post("/api/v1/orders", json=BODY, headers=headers)
        # the same request, keys in another order: the same canonical body
        again = await http.post(
            "/api/v1/orders", json=dict(reversed(list(BODY.items()))), headers=headers
        )
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["number"] == first.json()["number"]
    assert order_count(uow) == 1


async def test_parallel_requests_with_one_key_and_two_bodies_make_one_order(uow):
    keys = keys_for(uow, make_world(uow))
    headers = {**keys["shop"], "Idempotency-Key": "erp-7783"}
    other = {**BODY, "notes": "another request"}
    async with client() as http:
        answers = await asyncio.gather(
            *[
                http.post("/api/v1/orders", json=BODY if i % 2 else other, headers=headers)
                for i in range(6)
            ]
        )
    # whichever body came first made the order; the other body's requests are all refused
    made = [a for a in answers if a.status_code == 201]
    refused = [a for a in answers if a.status_code == 422]
    assert (len(made), len(refused)) == (3, 3)
    assert len({a.json()["number"] for a in made}) == 1
    assert {a.json()["errors"][0]["code"] for a in refused} == {"idempotency_key_reused"}
    assert order_count(uow) == 1
