"""Master-data endpoints over HTTP: upsert codes, auth, 404 and 422 bodies, paging."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oms_app.accounts import admin as accounts_admin
from oms_app.api import master_data
from oms_app.api.app import create_api
from tests.factories.accounts import make_admin, make_user
from tests.factories.catalog import (
    add_movement,
    ean13,
    make_category,
    make_product,
    make_warehouse,
    product_id,
)

PRODUCT = {
    "name_zh": "得力订书机 12号",
    "name_en": "Deli stapler No. 12",
    "category": "OFF",
    "list_price": "25.50",
    "standard_cost": 15,
    "unit": "pcs",
    "moq": 10,
    "pack_size": 10,
    "barcode": ean13("692123450001"),
}
CONTACT = {"name": "李娜", "phone": "13812345678", "email": "li@example.cn"}
ADDRESS = {
    "province": "上海市",
    "city": "上海市",
    "district": "浦东新区",
    "street": "世纪大道100号",
    "postcode": "200120",
    "receiver": "李娜",
    "phone": "13812345678",
    "is_default": True,
}
CUSTOMER = {
    "name": "上海晨光贸易有限公司",
    "province": "上海市",
    "city": "上海市",
    "tier": "A",
    "credit_limit": 200000,
    "payment_terms_days": 60,
    "contacts": [CONTACT],
    "addresses": [ADDRESS],
}
ENDPOINTS = [
    ("PUT", "/api/v1/products/OFF-0001", PRODUCT),
    ("GET", "/api/v1/products", None),
    ("GET", "/api/v1/products/OFF-0001", None),
    ("PUT", "/api/v1/customers/C10001", CUSTOMER),
    ("GET", "/api/v1/customers/C10001", None),
    ("PUT", "/api/v1/inventory/SH/OFF-0001", {"on_hand": 5}),
    ("GET", "/api/v1/inventory/OFF-0001", None),
]


def client() -> httpx.AsyncClient:
    api = create_api()
    api.include_router(master_data.router)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://oms")


def key_for(uow, admin, *, username: str, roles: list[str]) -> dict[str, str]:
    owner = make_user(uow, username=username, roles=roles)
    key = accounts_admin.create_api_key(uow, actor=admin, name=username, user_id=owner)
    return {"X-API-Key": key}


@pytest.fixture
def admin(uow):
    return make_admin(uow)


@pytest.fixture
def admin_key(uow, admin):
    return {"X-API-Key": accounts_admin.create_api_key(uow, actor=admin, name="erp")}


@pytest.fixture
def master(uow):
    """A category, a product and a warehouse to work on."""
    make_category(uow)
    make_product(uow, sku="OFF-0001")
    make_warehouse(uow, code="SH")
    make_warehouse(uow, code="BJ", name="北京仓 Beijing")


async def call(http: httpx.AsyncClient, method: str, path: str, body=None, headers=None):
    return await http.request(method, path, json=body, headers=headers or {})


# --- auth -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
async def test_every_endpoint_refuses_a_call_without_a_key(clean_db, method, path, body):
    async with client() as http:
        answer = await call(http, method, path, body)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "error.auth.invalid_credentials"


@pytest.mark.parametrize(
    ("method", "path", "body", "role"),
    [
        ("PUT", "/api/v1/products/OFF-0001", PRODUCT, "sales"),
        ("GET", "/api/v1/products", None, "customer"),
        ("GET", "/api/v1/products/OFF-0001", None, "finance"),
        ("PUT", "/api/v1/customers/C10001", CUSTOMER, "warehouse"),
        ("GET", "/api/v1/customers/C10001", None, "warehouse"),
        ("PUT", "/api/v1/inventory/SH/OFF-0001", {"on_hand": 5}, "sales"),
        ("GET", "/api/v1/inventory/OFF-0001", None, "finance"),
    ],
)
async def test_every_endpoint_is_403_for_a_key_whose_owner_lacks_the_permission(
    uow, admin, master, method, path, body, role
):
    headers = key_for(uow, admin, username=f"bot{role}", roles=[role])
    async with client() as http:
        answer = await call(http, method, path, body, headers)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "error.permission_denied"


# --- upserts and reads ------------------------------------------------------------------------


async def test_putting_a_product_creates_it_once_then_replaces_it(uow, admin_key, master):
    async with client() as http:
        created = await call(http, "PUT", "/api/v1/products/off-0002", PRODUCT, admin_key)
        changed = {**PRODUCT, "list_price": 30.1, "moq": 1}
        updated = await call(http, "PUT", "/api/v1/products/OFF-0002", changed, admin_key)
        read = await call(http, "GET", "/api/v1/products/off-0002", headers=admin_key)
    assert (created.status_code, updated.status_code, read.status_code) == (201, 200, 200)
    assert created.json()["sku"] == "OFF-0002"
    assert created.json()["list_price"] == "25.50" and created.json()["standard_cost"] == "15.00"
    assert updated.json()["list_price"] == "30.10" and updated.json()["moq"] == 1
    assert read.json() == updated.json()


async def test_products_are_paged_and_searched_by_sku_name_or_barcode(uow, admin_key, master):
    for n in range(2, 8):
        make_product(
            uow, sku=f"OFF-{n:04d}", name_en=f"Binder {n}", barcode=ean13(f"69212345{n:04d}")
        )
    async with client() as http:
        first = await http.get("/api/v1/products?page_size=3", headers=admin_key)
        third = await http.get("/api/v1/products?page=3&page_size=3", headers=admin_key)
        by_name = await http.get("/api/v1/products?q=binder 7", headers=admin_key)
        by_barcode = await http.get(
            f"/api/v1/products?q={ean13('692123450003')}", headers=admin_key
        )
        by_sku = await http.get("/api/v1/products?q=off-000", headers=admin_key)
        too_far = await http.get("/api/v1/products?page=10000000000000000000", headers=admin_key)
        nul = await http.get("/api/v1/products?q=a%00b", headers=admin_key)
    assert first.json()["total"] == 7
    assert [p["sku"] for p in first.json()["items"]] == ["OFF-0001", "OFF-0002", "OFF-0003"]
    assert [p["sku"] for p in third.json()["items"]] == ["OFF-0007"]
    assert [p["sku"] for p in by_name.json()["items"]] == ["OFF-0007"]
    assert [p["sku"] for p in by_barcode.json()["items"]] == ["OFF-0003"]
    assert by_sku.json()["total"] == 7
    assert first.json()["items"][0]["list_price"] == "25.50"
    assert too_far.status_code == 422
    assert too_far.json()["errors"][0]["field"] == "page"
    assert nul.status_code == 422 and nul.json()["errors"][0]["field"] == "q"


async def test_putting_a_customer_creates_it_once_then_replaces_it(uow, admin_key):
    async with client() as http:
        created = await call(http, "PUT", "/api/v1/customers/c10001", CUSTOMER, admin_key)
        changed = {**CUSTOMER, "tier": "B", "contacts": None, "credit_limit": "1000.5"}
        updated = await call(http, "PUT", "/api/v1/customers/C10001", changed, admin_key)
        read = await call(http, "GET", "/api/v1/customers/C10001", headers=admin_key)
    assert (created.status_code, updated.status_code, read.status_code) == (201, 200, 200)
    assert created.json()["credit_limit"] == "200000.00"
    assert updated.json()["tier"] == "B" and updated.json()["credit_limit"] == "1000.50"
    assert updated.json()["contacts"] == created.json()["contacts"]
    assert read.json()["addresses"][0]["postcode"] == "200120"


async def test_a_stock_count_sets_on_hand_and_the_sku_reads_per_warehouse(uow, admin_key, master):
    async with client() as http:
        counted = await call(
            http,
            "PUT",
            "/api/v1/inventory/SH/OFF-0001",
            {"on_hand": 40, "reason": "audit"},
            admin_key,
        )
        stock = await call(http, "GET", "/api/v1/inventory/off-0001", headers=admin_key)
    assert counted.status_code == 200
    assert counted.json() == {
        "warehouse": "SH",
        "sku": "OFF-0001",
        "on_hand": 40,
        "reserved": 0,
        "available": 40,
        "changed": True,
    }
    body = stock.json()
    assert body["sku"] == "OFF-0001"
    assert (body["on_hand"], body["reserved"], body["available"]) == (40, 0, 40)
    assert body["items"] == [
        {"warehouse": "BJ", "on_hand": 0, "reserved": 0, "available": 0},
        {"warehouse": "SH", "on_hand": 40, "reserved": 0, "available": 40},
    ]


# --- 404 --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("GET", "/api/v1/products/NOPE-1", None, "sku"),
        ("GET", "/api/v1/customers/C99999", None, "code"),
        ("PUT", "/api/v1/inventory/XX/OFF-0001", {"on_hand": 1}, "warehouse"),
        ("PUT", "/api/v1/inventory/SH/NOPE-1", {"on_hand": 1}, "sku"),
        ("GET", "/api/v1/inventory/NOPE-1", None, "sku"),
    ],
)
async def test_unknown_things_are_404_naming_the_field(
    uow, admin_key, master, method, path, body, field
):
    async with client() as http:
        answer = await call(http, method, path, body, admin_key)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "error.not_found"
    assert answer.json()["error"]["field"] == field


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("GET", "/api/v1/products/A%00B", None, "sku"),
        ("GET", "/api/v1/customers/C%00", None, "code"),
        ("PUT", "/api/v1/inventory/S%00H/OFF-0001", {"on_hand": 1}, "warehouse"),
        ("GET", "/api/v1/inventory/%00", None, "sku"),
    ],
)
async def test_a_nul_character_in_a_key_is_422_naming_the_field(
    uow, admin_key, master, method, path, body, field
):
    async with client() as http:
        answer = await call(http, method, path, body, admin_key)
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {"field": field, "code": "error.text.nul", "message": "must not contain a NUL character"}
    ]


# --- 422 --------------------------------------------------------------------------------------


async def test_a_bad_price_is_422_with_a_localized_field_error(uow, admin_key, master):
    body = {**PRODUCT, "list_price": "abc"}
    async with client() as http:
        english = await call(http, "PUT", "/api/v1/products/OFF-0009", body, admin_key)
        chinese = await call(
            http,
            "PUT",
            "/api/v1/products/OFF-0009",
            body,
            {**admin_key, "Accept-Language": "zh-CN,zh;q=0.9"},
        )
    assert english.status_code == 422
    assert english.json() == {
        "errors": [
            {
                "field": "list_price",
                "code": "error.money.invalid",
                "message": "must be an amount such as 12.50",
            }
        ]
    }
    assert chinese.json()["errors"][0]["message"] == "必须是金额，例如 12.50"


async def test_every_missing_field_is_listed(uow, admin_key):
    async with client() as http:
        answer = await call(http, "PUT", "/api/v1/products/OFF-0009", {"unit": "box"}, admin_key)
    assert answer.status_code == 422
    assert sorted((e["field"], e["code"]) for e in answer.json()["errors"]) == [
        ("category", "error.required"),
        ("list_price", "error.required"),
        ("name_en", "error.required"),
        ("name_zh", "error.required"),
    ]


@pytest.mark.parametrize(
    ("path", "body", "field", "code"),
    [
        (
            "/products/OFF-0009",
            {**PRODUCT, "list_price": True},
            "list_price",
            "error.money.invalid",
        ),
        ("/products/OFF-0009", {**PRODUCT, "list_price": [1]}, "list_price", "error.money.invalid"),
        ("/products/OFF-0009", {**PRODUCT, "list_price": 10**30}, "list_price", "error.number.max"),
        ("/products/OFF-0009", {**PRODUCT, "list_price": 0.001}, "list_price", None),
        ("/products/OFF-0009", {**PRODUCT, "moq": "ten"}, "moq", "error.number.whole"),
        ("/products/OFF-0009", {**PRODUCT, "moq": 1.5}, "moq", "error.number.whole"),
        ("/products/OFF-0009", {**PRODUCT, "moq": 10**30}, "moq", "error.number.max"),
        ("/products/OFF-0009", {**PRODUCT, "name_zh": 5}, "name_zh", "error.invalid"),
        ("/products/OFF-0009", {**PRODUCT, "specs": {"a": 1}}, "specs.a", "error.invalid"),
        ("/products/OFF-0009", {**PRODUCT, "colour": "red"}, "colour", "error.field.unknown"),
        ("/products/OFF-0009", {**PRODUCT, "category": "NOPE"}, "category", None),
        ("/products/OFF-0009", {**PRODUCT, "barcode": "6921234500010"}, "barcode", None),
        ("/products/O_1", PRODUCT, "sku", "error.sku.format"),
        ("/products/OFF-0009", [PRODUCT], "body", "error.invalid"),
        ("/customers/C1", {**CUSTOMER, "tier": "Z"}, "tier", "error.choice"),
        ("/customers/C1", {**CUSTOMER, "payment_terms_days": 7}, "payment_terms_days", None),
        ("/customers/C1", {**CUSTOMER, "contacts": [{"name": "x"}]}, "contacts[0].phone", None),
        (
            "/customers/C1",
            {**CUSTOMER, "contacts": [{**CONTACT, "phone": "12345"}]},
            "contacts[0].phone",
            "error.phone.mobile",
        ),
        (
            "/customers/C1",
            {**CUSTOMER, "addresses": [{**ADDRESS, "postcode": "ABC123"}]},
            "addresses[0].postcode",
            "error.postcode.invalid",
        ),
        ("/inventory/SH/OFF-0001", {"on_hand": "many"}, "on_hand", "error.number.whole"),
        ("/inventory/SH/OFF-0001", {"on_hand": -3}, "on_hand", "error.number.min"),
        ("/inventory/SH/OFF-0001", {"on_hand": 10**40}, "on_hand", "error.number.max"),
        ("/inventory/SH/OFF-0001", {}, "on_hand", "error.required"),
    ],
)
async def test_bad_input_is_422_naming_the_field_never_500(
    uow, admin_key, master, path, body, field, code
):
    async with client() as http:
        answer = await call(http, "PUT", f"/api/v1{path}", body, admin_key)
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert errors[0]["field"] == field
    assert code is None or errors[0]["code"] == code
    assert all(set(e) == {"field", "code", "message"} and e["message"] for e in errors)


async def test_malformed_json_and_non_finite_numbers_are_422(uow, admin_key, master):
    headers = {**admin_key, "Content-Type": "application/json"}
    product = '{"name_zh": "a", "name_en": "a", "category": "OFF", "list_price": %s}'
    async with client() as http:
        broken = await http.put(
            "/api/v1/inventory/SH/OFF-0001", content=b'{"on_hand": ', headers=headers
        )
        infinite = await http.put(
            "/api/v1/products/OFF-0009", content=product % "1e400", headers=headers
        )
        not_a_number = await http.put(
            "/api/v1/products/OFF-0009", content=product % "NaN", headers=headers
        )
    assert broken.status_code == 422 and broken.json()["errors"][0]["field"] == "body"
    for answer in (infinite, not_a_number):
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["code"] == "error.money.invalid"


async def test_a_negative_amount_in_text_is_refused_with_its_limit(uow, admin_key, master):
    body = {**PRODUCT, "standard_cost": "-0.01"}
    async with client() as http:
        answer = await call(http, "PUT", "/api/v1/products/OFF-0009", body, admin_key)
    assert answer.json()["errors"] == [
        {"field": "standard_cost", "code": "error.number.min", "message": "must be at least 0"}
    ]


async def test_a_count_below_the_reserved_quantity_is_422_on_on_hand(uow, admin_key, master):
    warehouse = make_warehouse(uow, code="GZ", name="广州仓 Guangzhou")
    add_movement(
        uow,
        warehouse_id=warehouse,
        product_id=product_id(uow, "OFF-0001"),
        kind="reserve",
        reserved=6,
    )
    async with client() as http:
        answer = await call(http, "PUT", "/api/v1/inventory/GZ/OFF-0001", {"on_hand": 5}, admin_key)
    assert answer.status_code == 422
    assert answer.json()["errors"] == [
        {
            "field": "on_hand",
            "code": "error.stock.below_reserved",
            "message": "cannot be below the reserved quantity (6)",
        }
    ]


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**50), max_value=10**50)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=300),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
FUZZ_TARGETS = [
    ("/api/v1/products/OFF-0003", PRODUCT),
    ("/api/v1/customers/C20001", CUSTOMER),
    ("/api/v1/customers/C20001", {**CUSTOMER, "contacts": [CONTACT], "addresses": [ADDRESS]}),
    ("/api/v1/inventory/SH/OFF-0001", {"on_hand": 5, "reason": "count"}),
]


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    target=st.sampled_from(FUZZ_TARGETS),
    field=st.text(max_size=12) | st.sampled_from(sorted({*PRODUCT, *CUSTOMER, *CONTACT, *ADDRESS})),
    value=JSON_VALUES,
    nested=st.booleans(),
)
def test_no_junk_in_any_field_gives_a_server_error(
    uow, admin_key, master, target, field, value, nested
):
    path, base = target
    body = dict(base)
    if nested and "contacts" in body:
        body["contacts"] = [{**CONTACT, field: value}]
    elif nested and "addresses" in body:
        body["addresses"] = [{**ADDRESS, field: value}]
    else:
        body[field] = value
    api = create_api()
    api.include_router(master_data.router)
    with TestClient(api, raise_server_exceptions=False) as http:
        answer = http.put(path, json=body, headers=admin_key)
    assert answer.status_code in (200, 201, 422), answer.text
    if answer.status_code == 422:
        assert all(e["message"] for e in answer.json()["errors"])
