"""The audit log and master-data change requests over HTTP."""

from __future__ import annotations

import csv
import io

import httpx
import openpyxl
import pytest

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from tests.api.test_master_data_api import CUSTOMER
from tests.factories.accounts import enable_totp, make_admin, make_user

pytestmark = pytest.mark.asyncio


def client() -> httpx.AsyncClient:
    api = create_api()
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://oms")


def key(uow, admin, username: str, roles: list[str]) -> dict[str, str]:
    owner = make_user(uow, username=username, roles=roles)
    enable_totp(uow, owner, "JBSWY3DPEHPK3PXP")
    made = accounts_admin.create_api_key(uow, actor=admin, name=username, user_id=owner)
    return {"X-API-Key": made}


@pytest.fixture
def keys(uow):
    admin = make_admin(uow)
    return {
        "admin": {"X-API-Key": accounts_admin.create_api_key(uow, actor=admin, name="erp")},
        "sales": key(uow, admin, "wangfang", ["sales"]),
        "finance": key(uow, admin, "chenjing", ["finance"]),
    }


async def test_sales_credit_becomes_a_proposal_that_finance_approves(uow, keys):
    async with client() as http:
        await http.put(
            "/api/v1/customers/C10001",
            json={**CUSTOMER, "credit_limit": 0, "tier": "B", "payment_terms_days": 30},
            headers=keys["admin"],
        )
        raised = await http.put(
            "/api/v1/customers/C10001",
            json={**CUSTOMER, "credit_limit": "99999999", "tier": "B", "payment_terms_days": 30},
            headers=keys["sales"],
        )
        waiting = await http.get(
            "/api/v1/master-data/change-requests?status=proposed", headers=keys["finance"]
        )
        change_id = waiting.json()["items"][0]["id"]
        refused = await http.post(
            f"/api/v1/master-data/change-requests/{change_id}/approve", headers=keys["sales"]
        )
        approved = await http.post(
            f"/api/v1/master-data/change-requests/{change_id}/approve", headers=keys["finance"]
        )
        after = await http.get("/api/v1/customers/C10001", headers=keys["admin"])
    assert raised.status_code == 200 and raised.json()["credit_limit"] == "0.00"
    assert [(p["field"], p["new"]) for p in raised.json()["pending_changes"]] == [
        ("credit_limit", "99999999.00")
    ]
    assert waiting.json()["total"] == 1
    assert refused.status_code == 403
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert after.json()["credit_limit"] == "99999999.00" and after.json()["pending_changes"] == []


async def test_a_rejection_needs_a_reason(uow, keys):
    async with client() as http:
        await http.put(
            "/api/v1/customers/C10001", json={**CUSTOMER, "tier": "C"}, headers=keys["admin"]
        )
        await http.put("/api/v1/customers/C10001", json=CUSTOMER, headers=keys["sales"])
        change_id = (
            await http.get("/api/v1/master-data/change-requests", headers=keys["finance"])
        ).json()["items"][0]["id"]
        path = f"/api/v1/master-data/change-requests/{change_id}/reject"
        bare = await http.post(path, json={"reason": " "}, headers=keys["finance"])
        rejected = await http.post(path, json={"reason": "无合同"}, headers=keys["finance"])
    assert bare.status_code == 422 and bare.json()["errors"][0]["field"] == "reason"
    assert rejected.json()["status"] == "rejected" and rejected.json()["reason"] == "无合同"


@pytest.fixture
async def history(uow, keys):
    """A customer created by the admin, its credit proposed by sales and approved by finance."""
    async with client() as http:
        await http.put(
            "/api/v1/customers/C10001", json={**CUSTOMER, "credit_limit": 0}, headers=keys["admin"]
        )
        await http.put("/api/v1/customers/C10002", json=CUSTOMER, headers=keys["admin"])
        await http.put(
            "/api/v1/customers/C10001",
            json={**CUSTOMER, "credit_limit": "5000"},
            headers=keys["sales"],
        )
        listed = await http.get("/api/v1/master-data/change-requests", headers=keys["finance"])
        change_id = listed.json()["items"][0]["id"]
        await http.post(
            f"/api/v1/master-data/change-requests/{change_id}/approve", headers=keys["finance"]
        )
    return keys


async def test_the_audit_list_filters_by_who_action_entity_and_day(uow, history):
    keys = history
    async with client() as http:
        by_finance = await http.get(
            "/api/v1/audit?who=chenjing&entity=customer", headers=keys["finance"]
        )
        created = await http.get("/api/v1/audit?action=customer.created", headers=keys["admin"])
        area = await http.get("/api/v1/audit?action=change_request", headers=keys["admin"])
        future = await http.get("/api/v1/audit?date_from=2199-01-01", headers=keys["admin"])
        backwards = await http.get(
            "/api/v1/audit?date_from=2026-02-01&date_to=2026-01-01", headers=keys["admin"]
        )
    rows = by_finance.json()["items"]
    assert [(r["action"], r["changes"]) for r in rows] == [
        ("customer.updated", [{"field": "credit_limit", "old": "0.00", "new": "5000.00"}])
    ]
    assert rows[0]["summary"] == "credit_limit: 0.00 → 5000.00"
    assert created.json()["total"] == 2
    assert {r["action"] for r in area.json()["items"]} == {
        "change_request.proposed",
        "change_request.approved",
    }
    assert future.json()["total"] == 0
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "date_to"


async def test_the_audit_export_holds_the_filtered_rows_as_csv_and_excel(uow, history):
    keys = history
    async with client() as http:
        as_csv = await http.get(
            "/api/v1/audit/export?entity=customer&entity_id=1&format=csv",
            headers={**keys["finance"], "Accept-Language": "en"},
        )
        as_xlsx = await http.get(
            "/api/v1/audit/export?entity=customer&format=xlsx", headers=keys["finance"]
        )
    assert as_csv.status_code == 200
    assert as_csv.headers["content-disposition"].startswith('attachment; filename="audit-')
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Time", "Who", "Action", "Action code", "Entity", "Entity kind code"]
    # people read the action and the entity kind in words; the code beside each still filters
    assert [tuple(r[1:6]) for r in rows[1:]] == [
        ("chenjing", "Customer changed", "customer.updated", "Customer", "customer"),
        ("admin1", "Customer created", "customer.created", "Customer", "customer"),
    ]
    assert "credit_limit: 0.00 → 5000.00" in rows[1]
    sheet = openpyxl.load_workbook(io.BytesIO(as_xlsx.content)).active
    values = list(sheet.values)
    assert values[0][:3] == ("时间", "操作人", "操作")  # the key owner's language
    assert {v[2] for v in values[1:]} == {"创建客户", "修改客户"}
    assert len(values) == 1 + 3  # C10001 created and updated, C10002 created


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/audit",
        "/api/v1/audit/export",
        "/api/v1/master-data/change-requests",
    ],
)
async def test_sales_may_not_read_the_audit_log_or_the_proposals(uow, keys, path):
    async with client() as http:
        answer = await http.get(path, headers=keys["sales"])
        anonymous = await http.get(path)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "error.permission_denied"
    assert anonymous.status_code == 401


async def test_the_audit_log_has_no_way_to_change_it(uow, keys):
    async with client() as http:
        answers = [
            await http.request(method, "/api/v1/audit", headers=keys["admin"])
            for method in ("POST", "PUT", "DELETE", "PATCH")
        ]
    assert {a.status_code for a in answers} == {405}
