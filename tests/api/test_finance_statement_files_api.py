"""Statement files over HTTP: PDF and XLSX by API key or the browser's session, 401 without
either, 403 without finance rights, 404 for an unknown statement."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from oms_app.accounts import admin as accounts_admin
from oms_app.accounts import service as accounts_service
from oms_app.api.app import create_api
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.ledger import service
from tests.factories.accounts import DEFAULT_PASSWORD, make_admin, make_user
from tests.factories.ledger import at_noon, payment, shipment

pytestmark = pytest.mark.asyncio
URL = "/api/v1/finance/statements"
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url="http://oms")


@pytest.fixture
def keys(uow) -> dict[str, dict[str, str]]:
    admin = make_admin(uow)
    users = {
        "executive": make_user(uow, username="exec1", roles=["executive"]),
        "warehouse": make_user(uow, username="wh1", roles=["warehouse"]),
    }
    service.post_shipment(
        uow,
        facts=shipment("SH-1", 1, "100.00", on=at_noon(date(2026, 3, 10)), cost="60"),
        actor=SYSTEM_ACTOR,
    )
    service.post_payment(
        uow, facts=payment(1, 1, "50.00", on=at_noon(date(2026, 3, 12))), actor=SYSTEM_ACTOR
    )
    return {
        name: {"X-API-Key": accounts_admin.create_api_key(uow, actor=admin, name=name, user_id=uid)}
        for name, uid in users.items()
    }


async def test_the_income_statement_pdf_downloads_with_its_figures(keys):
    async with client() as http:
        answer = await http.get(f"{URL}/income.pdf", params=MARCH, headers=keys["executive"])
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.content)).pages)
    assert "100.00" in text and "60.00" in text


async def test_the_trial_balance_workbook_downloads_by_the_browser_session(uow, keys):
    token = accounts_service.log_in(uow, username="exec1", password=DEFAULT_PASSWORD).token
    async with client() as http:
        answer = await http.get(f"{URL}/trial.xlsx", params=MARCH, cookies={"oms_session": token})
    assert answer.status_code == 200
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    debit, credit = rows[-1][3], rows[-1][4]
    assert Decimal(str(debit)) == Decimal(str(credit)) > 0


async def test_the_balance_sheet_at_a_day_downloads(keys):
    async with client() as http:
        answer = await http.get(
            f"{URL}/balance.xlsx", params={"at": "2026-03-31"}, headers=keys["executive"]
        )
    assert answer.status_code == 200
    assert "balance-statement-2026-03-31.xlsx" in answer.headers["content-disposition"]


async def test_statement_files_refuse_strangers_and_unknown_kinds(keys):
    async with client() as http:
        anonymous = await http.get(f"{URL}/income.pdf", params=MARCH)
        warehouse = await http.get(f"{URL}/income.pdf", params=MARCH, headers=keys["warehouse"])
        unknown = await http.get(f"{URL}/cashflow.pdf", headers=keys["executive"])
        bad_range = await http.get(
            f"{URL}/trial.pdf",
            params={"from": "2026-04-01", "to": "2026-03-01"},
            headers=keys["executive"],
        )
    assert anonymous.status_code == 401
    assert warehouse.status_code == 403
    assert unknown.status_code == 404
    assert bad_range.status_code == 422
