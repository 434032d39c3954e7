"""Lone surrogates, NUL and other control characters are refused in every text of the path,
the query and the body with a 422 naming the field, and nothing is stored; a row that already
holds such text (stored before the rule) still reads."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from oms_app.catalog import service as catalog_service
from oms_app.catalog.models import Product
from oms_app.core.errors import ValidationFailed
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.core.text import readable, text_problem, text_problems
from oms_app.orders import rules as order_rules
from tests.api.test_orders_api import BODY as ORDER
from tests.api.test_orders_api import keys_for, order_count
from tests.factories.accounts import make_admin
from tests.factories.catalog import make_category, make_product, product_input
from tests.factories.sales import make_world

JSON = {"Content-Type": "application/json", "Accept-Language": "en"}
PRODUCT = '{"name_zh": "订书机", "name_en": "Stapler", "category": "OFF", "list_price": "25.50"'


@pytest.fixture
def http(uow):
    make_category(uow)
    key = accounts_admin.create_api_key(uow, actor=make_admin(uow), name="erp")
    with TestClient(create_api(), raise_server_exceptions=False) as client:
        client.headers["X-API-Key"] = key
        yield client


def products(uow) -> int:
    with uow:
        return uow.session.scalar(sa.select(sa.func.count()).select_from(Product))


# --- the rule -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("a\x00b", "error.text.nul"),
        ("\udc00", "error.text.surrogate"),
        ("x\ud83d", "error.text.surrogate"),
        ("bell\x07", "error.text.control"),
        ("esc\x1b[31m", "error.text.control"),
        ("del\x7f", "error.text.control"),
        ("next line\x85", "error.text.control"),  # C1
        ("a\tb", "error.text.control"),
        ("a\nb", "error.text.control"),
        ("上海市 ÷ café 😀 \U0010ffff", None),
    ],
)
def test_the_text_rule_names_what_is_wrong(text, code):
    assert text_problem(text) == code


def test_tab_and_line_breaks_are_allowed_in_free_text_notes_only():
    assert text_problems({"notes": "line 1\r\nline 2\tend", "lines": [{"note": "a\nb"}]}) == []
    assert text_problems({"street": "a\nb"}) == [(("street",), "error.text.control")]
    assert text_problems({"notes": "a\x0bb"}) == [(("notes",), "error.text.control")]


def test_reading_replaces_lone_surrogates_so_every_value_encodes():
    value = readable({"k": "\udc00x", "list": ["ok", "\ud800"]})
    assert value == {"k": "\ufffdx", "list": ["ok", "\ufffd"]}
    assert value["k"].encode("utf-8")


# --- the API ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "field", "code"),
    [
        (', "specs": {"k": "\\udc00"}', "specs.k", "error.text.surrogate"),
        (', "specs": {"\\udc00": "v"}', "specs", "error.text.surrogate"),
        (', "specs": {"k": "a\\u0001b"}', "specs.k", "error.text.control"),
        (', "barcode": "\\u0085"', "barcode", "error.text.control"),
        (', "unit": "pcs\\n"', "unit", "error.text.control"),
        # raw, not escaped: that is no JSON at all
        (', "unit": "pcs\x01"', "body", "error.invalid"),
    ],
)
def test_a_bad_text_in_a_product_is_422_naming_the_field_and_stores_nothing(
    uow, http, extra, field, code
):
    answer = http.put("/api/v1/products/OFF-0001", content=PRODUCT + extra + "}", headers=JSON)
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert (error["field"], error["code"]) == (field, code)
    assert products(uow) == 0


@pytest.mark.parametrize(
    ("url", "field", "code"),
    [
        ("/api/v1/products?search=a%01b", "search", "error.text.control"),
        ("/api/v1/products?search=%C2%85", "search", "error.text.control"),
        ("/api/v1/products?category=OFF%0A", "category", "error.text.control"),
        ("/api/v1/products/OFF%1B0001", "sku", "error.text.control"),
        ("/api/v1/products/OFF%7F0001", "sku", "error.text.control"),
    ],
)
def test_a_bad_text_in_the_path_or_query_is_422_naming_it(http, url, field, code):
    answer = http.get(url)
    assert answer.status_code == 422, answer.text
    assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [(field, code)]


def test_a_product_stored_with_a_lone_surrogate_before_the_rule_still_reads(uow, http):
    # given a product whose specs hold a lone surrogate, written as the old code let it be
    make_product(uow, sku="OFF-0001")
    with uow:
        uow.session.execute(
            sa.text("UPDATE products SET specs = CAST(:specs AS json) WHERE sku = 'OFF-0001'"),
            {"specs": '{"k": "\\udc00", "colour": "red"}'},
        )
        uow.commit()
    # when anyone lists or reads the products
    listed = http.get("/api/v1/products")
    one = http.get("/api/v1/products/OFF-0001")
    # then both answer, the bad character shown as U+FFFD
    assert listed.status_code == 200, listed.text
    assert one.status_code == 200, one.text
    assert one.json()["specs"] == {"k": "\ufffd", "colour": "red"}


def test_free_text_notes_may_hold_line_breaks_but_not_other_controls(uow):
    keys = keys_for(uow, make_world(uow))
    with TestClient(create_api(), raise_server_exceptions=False) as client:
        fine = client.post(
            "/api/v1/orders", json={**ORDER, "notes": "gate 2\nafter 14:00"}, headers=keys["shop"]
        )
        bad = client.post(
            "/api/v1/orders",
            json={**ORDER, "lines": [{"sku": "OFF-0001", "quantity": 10, "price_reason": "a\nb"}]},
            headers=keys["shop"],
        )
    assert fine.status_code == 201, fine.text
    assert bad.status_code == 422
    assert [(e["field"], e["code"]) for e in bad.json()["errors"]] == [
        ("lines[0].price_reason", "error.text.control")
    ]
    assert order_count(uow) == 1


# --- the services the screens call -------------------------------------------------------------


def test_the_master_data_service_refuses_a_lone_surrogate_in_specs(uow):
    make_category(uow)
    with pytest.raises(ValidationFailed) as refused:
        catalog_service.upsert_product(
            uow, actor=SYSTEM_ACTOR, sku="OFF-0002", data=product_input(specs={"k": "\udc00"})
        )
    assert (refused.value.field, refused.value.code) == ("specs.k", "error.text.surrogate")
    assert products(uow) == 0


def test_order_entry_refuses_control_characters_naming_each_field():
    cmd = order_rules.OrderInput(
        customer_code="C1\x00",
        lines=[order_rules.LineInput(sku="OFF-0001", quantity=1, price_reason="\x1b")],
        address=order_rules.AddressInput(street="\udc00"),
        notes="two\nlines",
    )
    named = {(e.field, e.code) for e in order_rules.header_errors(cmd)}
    assert named == {
        ("customer_code", "error.text.nul"),
        ("lines[0].price_reason", "error.text.control"),
        ("address.street", "error.text.surrogate"),
    }


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/products/OFF%ED%B0%800001",  # a surrogate encoded as UTF-8: not UTF-8 at all
        "/api/v1/products?search=%ED%B0%80",
        "/api/v1/products?search=%FF%FE",
    ],
)
def test_bytes_that_are_no_utf8_in_the_path_or_query_never_fail_the_server(http, url):
    answer = http.get(url)
    assert answer.status_code in (200, 404, 422), answer.text


def test_the_webhook_service_refuses_a_control_character_in_a_subscription_name(uow):
    from oms_app.webhooks import service as webhook_service

    with pytest.raises(ValidationFailed) as refused:
        webhook_service.create_subscription(
            uow,
            actor=make_admin(uow),
            name="ERP\x1b[2J",
            url="https://erp.example.com/hooks",
            event_types=["order.*"],
        )
    assert (refused.value.field, refused.value.code) == ("name", "error.text.control")
