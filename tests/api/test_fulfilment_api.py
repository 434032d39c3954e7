"""The warehouse floor over HTTP: waves, scan-picks with field errors, shipping, documents."""

from __future__ import annotations

import io

import httpx
import pypdf
import pytest

from oms_app.accounts import admin as accounts_admin
from oms_app.accounts import service as accounts_service
from oms_app.api.app import create_api
from oms_app.fulfillment import waves
from tests.factories.accounts import DEFAULT_PASSWORD, make_admin
from tests.factories.sales import make_world
from tests.factories.warehouse import approved_order

pytestmark = pytest.mark.asyncio
PEN_BARCODE, PAPER_BARCODE = "6920000000018", "6920000000025"


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url="http://oms")


def warehouse_key(uow, world) -> dict[str, str]:
    key = accounts_admin.create_api_key(
        uow, actor=make_admin(uow), name="wms", user_id=world.warehouse.user_id
    )
    return {"X-API-Key": key}


async def test_a_wave_is_created_listed_read_and_picked_by_scanning(uow):
    world = make_world(uow)
    headers = warehouse_key(uow, world)
    number = approved_order(uow, world, [("OFF-0001", 10)])
    async with client() as http:
        created = await http.post(
            "/api/v1/waves", json={"warehouse": "SH", "max_shipments": 20}, headers=headers
        )
        assert created.status_code == 201
        (wave,) = created.json()["waves"]
        listed = await http.get("/api/v1/waves", params={"warehouse": "SH"}, headers=headers)
        assert [w["number"] for w in listed.json()["waves"]] == [wave]
        pick_list = (await http.get(f"/api/v1/waves/{wave}", headers=headers)).json()
        (line,) = pick_list["lines"]
        assert (line["sku"], line["quantity"], line["order"]) == ("OFF-0001", 10, number)

        wrong = await http.post(
            f"/api/v1/picks/{line['id']}/confirm",
            json={"bin": line["bin"], "barcode": PAPER_BARCODE},
            headers=headers,
        )
        assert wrong.status_code == 422
        assert [(e["field"], e["code"]) for e in wrong.json()["errors"]] == [
            ("barcode", "error.pick.wrong_sku")
        ]
        right = await http.post(
            f"/api/v1/picks/{line['id']}/confirm",
            json={"bin": line["bin"], "barcode": PEN_BARCODE},
            headers=headers,
        )
        assert right.status_code == 200
        assert right.json()["shipment_status"] == "picked"
        pdf = await http.get(f"/api/v1/waves/{wave}/pick-list.pdf", headers=headers)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == f'inline; filename="pick-list-{wave}.pdf"'
    assert pdf.content.startswith(b"%PDF")


async def test_an_unknown_field_in_a_pick_body_is_a_422_naming_it(uow):
    world = make_world(uow)
    async with client() as http:
        answer = await http.post(
            "/api/v1/picks/1/confirm",
            json={"bin": "A-01-01", "barcode": PEN_BARCODE, "colour": "red"},
            headers=warehouse_key(uow, world),
        )
    assert answer.status_code == 422
    assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [
        ("colour", "error.field.unknown")
    ]


async def test_shipping_an_order_in_one_call_ships_it_and_prints_its_documents(uow):
    world = make_world(uow)
    headers = warehouse_key(uow, world)
    number = approved_order(uow, world, [("OFF-0001", 4)])
    async with client() as http:
        shipped = await http.post(
            f"/api/v1/orders/{number}/shipments",
            json={"carrier": "ZTO", "weight_grams": 1200},
            headers=headers,
        )
        assert shipped.status_code == 201
        (shipment,) = shipped.json()["shipments"]
        assert shipment["status"] == "shipped" and shipment["tracking_no"]
        order = await http.get(f"/api/v1/orders/{number}", headers=headers)
        listed = await http.get(f"/api/v1/orders/{number}/shipments", headers=headers)
        label = await http.get(f"/api/v1/shipments/{shipment['number']}/label.pdf", headers=headers)
        slip = await http.get(
            f"/api/v1/shipments/{shipment['number']}/packing-slip.pdf", headers=headers
        )
    assert order.json()["status"] == "shipped"
    (row,) = listed.json()["shipments"]
    assert (row["status"], row["warehouse"], row["carrier"]) == ("shipped", "SH", "ZTO")
    assert row["tracking_no"] == shipment["tracking_no"]
    assert [(x["sku"], x["quantity"]) for x in row["lines"]] == [("OFF-0001", 4)]
    assert label.status_code == 200 and label.content.startswith(b"%PDF")
    assert slip.status_code == 200 and slip.content.startswith(b"%PDF")


async def test_a_label_before_shipping_is_refused_and_an_unknown_wave_is_404(uow):
    world = make_world(uow)
    headers = warehouse_key(uow, world)
    number = approved_order(uow, world, [("OFF-0001", 2)])
    async with client() as http:
        (row,) = (await http.get(f"/api/v1/orders/{number}/shipments", headers=headers)).json()[
            "shipments"
        ]
        label = await http.get(f"/api/v1/shipments/{row['number']}/label.pdf", headers=headers)
        missing = await http.get("/api/v1/waves/WV-2026-999999", headers=headers)
        anonymous = await http.get("/api/v1/waves/WV-2026-999999/pick-list.pdf")
    assert label.status_code == 422
    assert label.json()["errors"][0]["code"] == "error.label.not_shipped"
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "error.not_found"
    assert anonymous.status_code == 401


async def test_the_browser_session_cookie_opens_a_pick_list_but_a_stale_one_does_not(uow):
    world = make_world(uow)
    approved_order(uow, world, [("OFF-0001", 2)])
    (wave,) = waves.create_waves(uow, actor=world.warehouse, warehouse_code="SH")
    token = accounts_service.log_in(
        uow, username=world.warehouse.username, password=DEFAULT_PASSWORD
    ).token
    async with client() as http:
        signed_in = await http.get(
            f"/api/v1/waves/{wave}/pick-list.pdf", cookies={"oms_session": token}
        )
        stale = await http.get(
            f"/api/v1/waves/{wave}/pick-list.pdf", cookies={"oms_session": "not-a-session"}
        )
        json_with_cookie = await http.get(f"/api/v1/waves/{wave}", cookies={"oms_session": token})
    assert signed_in.status_code == 200 and signed_in.content.startswith(b"%PDF")
    assert stale.status_code == 401
    assert json_with_cookie.status_code == 401  # only the documents accept the cookie


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


async def test_a_pick_list_speaks_the_users_saved_language_not_the_browsers(uow):
    # given a warehouse user who saved English, reading through a Chinese browser
    world = make_world(uow)
    approved_order(uow, world, [("OFF-0001", 2)])
    (wave,) = waves.create_waves(uow, actor=world.warehouse, warehouse_code="SH")
    key = warehouse_key(uow, world)
    accounts_service.update_preferences(uow, actor=world.warehouse, locale="en")
    token = accounts_service.log_in(
        uow, username=world.warehouse.username, password=DEFAULT_PASSWORD
    ).token
    path = f"/api/v1/waves/{wave}/pick-list.pdf"
    chinese = {"Accept-Language": "zh-CN,zh;q=0.9"}
    async with client() as http:
        # when
        by_key = await http.get(path, headers={**key, **chinese})
        by_cookie = await http.get(path, headers=chinese, cookies={"oms_session": token})
        accounts_service.update_preferences(uow, actor=world.warehouse, locale="zh_CN")
        back_in_chinese = await http.get(path, headers={**key, "Accept-Language": "en"})
    # then
    for answer in (by_key, by_cookie):
        assert answer.status_code == 200
        text = pdf_text(answer.content)
        assert "Pick list" in text and "拣货单" not in text
    assert "拣货单" in pdf_text(back_in_chinese.content)
