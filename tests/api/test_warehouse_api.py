"""Warehouse endpoints over HTTP: receipts (201, 422 per line, 409 twice) and stock per bin."""

from __future__ import annotations

import httpx
import pytest

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from oms_app.orders import service as order_service
from oms_app.orders.rules import LineInput, OrderInput
from tests.factories.accounts import make_admin, make_user
from tests.factories.sales import make_world

RECEIPT = {
    "warehouse": "SH",
    "reference": "DN-2026-001",
    "lines": [
        {"sku": "OFF-0001", "quantity": 10, "bin": "A-01-01"},
        {"sku": "OFF-0002", "quantity": 4},
    ],
}


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url="http://oms")


@pytest.fixture
def world(uow):
    return make_world(uow, stock=5)


@pytest.fixture
def admin(uow, world):
    return make_admin(uow)


def key_for(uow, admin, role: str) -> dict[str, str]:
    owner = make_user(uow, username=f"bot-{role}", roles=[role])
    return {"X-API-Key": accounts_admin.create_api_key(uow, actor=admin, name=role, user_id=owner)}


@pytest.fixture
def warehouse_key(uow, admin):
    return key_for(uow, admin, "warehouse")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("POST", "/api/v1/receipts", RECEIPT), ("GET", "/api/v1/inventory/OFF-0001", None)],
)
async def test_the_endpoints_refuse_a_call_without_a_key(world, method, path, body):
    async with client() as http:
        answer = await http.request(method, path, json=body)
    assert answer.status_code == 401


async def test_a_key_without_stock_move_cannot_post_a_receipt(uow, admin):
    headers = key_for(uow, admin, "sales")
    async with client() as http:
        answer = await http.post("/api/v1/receipts", json=RECEIPT, headers=headers)
        stock = await http.get("/api/v1/inventory/OFF-0001", headers=headers)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "error.permission_denied"
    assert stock.json()["on_hand"] == 5  # sales may look, not receive


async def test_a_receipt_is_201_and_the_stock_reads_per_warehouse_and_bin(warehouse_key):
    async with client() as http:
        answer = await http.post("/api/v1/receipts", json=RECEIPT, headers=warehouse_key)
        stock = await http.get("/api/v1/inventory/off-0001", headers=warehouse_key)
    assert answer.status_code == 201
    body = answer.json()
    assert body["reference"] == "DN-2026-001" and body["warehouse"] == "SH"
    assert body["lines"] == [
        {"sku": "OFF-0001", "quantity": 10, "bin": "A-01-01"},
        {"sku": "OFF-0002", "quantity": 4, "bin": "RECV-01"},
    ]
    assert body["allocated_orders"] == []
    assert stock.status_code == 200
    assert stock.json() == {
        "sku": "OFF-0001",
        "warehouses": [
            {
                "warehouse": "SH",
                "on_hand": 15,
                "reserved": 0,
                "available": 15,
                "bins": [{"bin": "A-01-01", "on_hand": 15, "reserved": 0, "available": 15}],
            }
        ],
        "on_hand": 15,
        "reserved": 0,
        "available": 15,
        "items": [{"warehouse": "SH", "on_hand": 15, "reserved": 0, "available": 15}],
    }


async def test_a_receipt_names_the_orders_whose_backorders_it_allocated(uow, world, warehouse_key):
    # given an approved order of 10 boxes with only 5 in stock: it waits as a backorder
    number = order_service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", 10)]),
    )
    for approver in (world.manager, world.warehouse):
        if order_service.approve_order(uow, actor=approver, number=number) != "pending_approval":
            break
    # when
    async with client() as http:
        answer = await http.post("/api/v1/receipts", json=RECEIPT, headers=warehouse_key)
        stock = await http.get("/api/v1/inventory/OFF-0001", headers=warehouse_key)
    # then
    assert answer.status_code == 201
    assert answer.json()["allocated_orders"] == [number]
    assert (stock.json()["on_hand"], stock.json()["reserved"]) == (15, 10)


async def test_bad_lines_are_422_naming_each_field_and_nothing_is_received(warehouse_key):
    body = {
        "warehouse": "SH",
        "lines": [
            {"sku": "OFF-0001", "quantity": 2},
            {"sku": "NOPE-1", "quantity": 0, "bin": "Z-9"},
        ],
    }
    async with client() as http:
        answer = await http.post(
            "/api/v1/receipts", json=body, headers={**warehouse_key, "Accept-Language": "en"}
        )
        stock = await http.get("/api/v1/inventory/OFF-0001", headers=warehouse_key)
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("lines[1].sku", "error.sku.unknown"),
        ("lines[1].quantity", "error.number.min"),
        ("lines[1].bin", "error.bin.unknown"),
    ]
    assert errors[2]["message"] == "this warehouse has no bin Z-9"
    assert stock.json()["on_hand"] == 5


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({**RECEIPT, "warehouse": "XX"}, "warehouse", "error.warehouse.unknown"),
        ({**RECEIPT, "lines": []}, "lines", "error.receipt.no_lines"),
        (
            {**RECEIPT, "lines": [{"sku": "OFF-0001", "quantity": "ten"}]},
            "lines[0].quantity",
            "error.number.whole",
        ),
        ({**RECEIPT, "lines": [{"sku": "OFF-0001"}]}, "lines[0].quantity", "error.required"),
        ({**RECEIPT, "extra": 1}, "extra", "error.field.unknown"),
    ],
)
async def test_a_malformed_receipt_is_422_with_the_field(warehouse_key, body, field, code):
    async with client() as http:
        answer = await http.post("/api/v1/receipts", json=body, headers=warehouse_key)
    assert answer.status_code == 422
    assert (answer.json()["errors"][0]["field"], answer.json()["errors"][0]["code"]) == (
        field,
        code,
    )


async def test_posting_the_same_reference_twice_is_409_and_receives_once(warehouse_key):
    async with client() as http:
        first = await http.post("/api/v1/receipts", json=RECEIPT, headers=warehouse_key)
        again = await http.post("/api/v1/receipts", json=RECEIPT, headers=warehouse_key)
        stock = await http.get("/api/v1/inventory/OFF-0001", headers=warehouse_key)
    assert (first.status_code, again.status_code) == (201, 409)
    assert again.json()["error"]["code"] == "error.receipt.duplicate"
    assert again.json()["error"]["field"] == "reference"
    assert stock.json()["on_hand"] == 15


@pytest.mark.parametrize(
    ("sku", "status", "code"), [("NOPE-1", 404, "error.not_found"), ("%00", 422, "error.text.nul")]
)
async def test_an_unknown_or_impossible_sku_is_refused_naming_the_field(
    warehouse_key, sku, status, code
):
    async with client() as http:
        answer = await http.get(f"/api/v1/inventory/{sku}", headers=warehouse_key)
    assert answer.status_code == status
    (error,) = answer.json()["errors"] if status == 422 else [answer.json()["error"]]
    assert (error["code"], error["field"]) == (code, "sku")
