"""The order list's filters and its CSV/XLSX export over HTTP."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import httpx
import openpyxl
import pytest

from tests.api.test_orders_api import BODY, client, keys_for
from tests.factories.sales import make_world

pytestmark = pytest.mark.asyncio
BIG = {**BODY, "lines": [{"sku": "OFF-0002", "quantity": 40}]}
DISPOSITION = re.compile(r'attachment; filename="orders-\d{4}-\d{2}-\d{2}\.(csv|xlsx)"')


async def enter_two_orders(http: httpx.AsyncClient, key: dict) -> tuple[dict, dict]:
    small = (await http.post("/api/v1/orders", json=BODY, headers=key)).json()
    big = (await http.post("/api/v1/orders", json=BIG, headers=key)).json()
    assert Decimal(small["total"]) < Decimal(big["total"])
    return small, big


async def test_the_list_takes_the_new_filters(uow):
    keys = keys_for(uow, make_world(uow))
    async with client() as http:
        small, big = await enter_two_orders(http, keys["shop"])
        above = await http.get(
            f"/api/v1/orders?min_total={small['total']}&rep=sales&created_from=2000-01-01",
            headers=keys["manager"],
        )
        nobody = await http.get("/api/v1/orders?rep=nobody", headers=keys["manager"])
        capped = await http.get(
            f"/api/v1/orders?max_total={small['total']}&anomaly=", headers=keys["manager"]
        )
    assert above.status_code == 200 and above.json()["total"] == 2
    assert nobody.json() == {"items": [], "total": 0, "page": 1, "page_size": 25}
    assert [o["number"] for o in capped.json()["items"]] == [small["number"]]


async def test_the_csv_export_holds_the_filtered_orders_with_english_headers(uow):
    keys = keys_for(uow, make_world(uow))
    async with client() as http:
        small, big = await enter_two_orders(http, keys["shop"])
        answer = await http.get(
            "/api/v1/orders/export",
            params={"format": "csv", "min_total": big["total"], "customer": "C10001"},
            headers={**keys["manager"], "Accept-Language": "en"},
        )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert DISPOSITION.fullmatch(answer.headers["content-disposition"])
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Order no.", "Created", "Customer"]
    assert [(r[0], Decimal(r[9]), r[10]) for r in rows[1:]] == [
        (big["number"], Decimal(big["total"]), "sales")
    ]


async def test_the_xlsx_export_opens_with_numeric_totals_in_the_key_owners_language(uow):
    keys = keys_for(uow, make_world(uow))
    async with client() as http:
        small, big = await enter_two_orders(http, keys["shop"])
        answer = await http.get(
            "/api/v1/orders/export?format=xlsx&sort=total&descending=false",
            headers=keys["manager"],
        )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert DISPOSITION.fullmatch(answer.headers["content-disposition"])
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "订单号"  # the manager's language, as no Accept-Language was sent
    assert [r[0] for r in rows[1:]] == [small["number"], big["number"]]
    assert all(isinstance(r[9], int | float) for r in rows[1:])
    assert Decimal(str(rows[2][9])) == Decimal(big["total"])


async def test_export_needs_a_key_and_refuses_bad_filters_naming_the_field(uow):
    keys = keys_for(uow, make_world(uow))
    async with client() as http:
        anonymous = await http.get("/api/v1/orders/export?format=csv")
        bad_date = await http.get(
            "/api/v1/orders/export?created_from=2026-13-01", headers=keys["manager"]
        )
        bad_code = await http.get("/api/v1/orders/export?anomaly=weird", headers=keys["manager"])
        bad_range = await http.get(
            "/api/v1/orders/export?min_total=10&max_total=5", headers=keys["manager"]
        )
        bad_format = await http.get("/api/v1/orders/export?format=pdf", headers=keys["manager"])
        bad_list = await http.get("/api/v1/orders?created_to=yesterday", headers=keys["manager"])
    assert anonymous.status_code == 401
    for answer, field in (
        (bad_date, "created_from"),
        (bad_code, "anomaly"),
        (bad_range, "max_total"),
        (bad_format, "format"),
        (bad_list, "created_to"),
    ):
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == field
