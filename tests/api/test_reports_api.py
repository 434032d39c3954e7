"""The report centre over HTTP: 202 with the run, progress and lists, downloads by key or by
the browser's session, 422 / 403 / 404 / 401 as documented."""

from __future__ import annotations

import io

import httpx
import pypdf
import pytest

from oms_app.accounts import admin as accounts_admin
from oms_app.accounts import service as accounts_service
from oms_app.api import reports as reports_api
from oms_app.api.app import create_api
from oms_app.reports import service as reports_service
from tests.factories.accounts import DEFAULT_PASSWORD, make_actor, make_admin

pytestmark = pytest.mark.asyncio
URL = "/api/v1/reports"


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url="http://oms")


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Run ids handed to the worker (no worker runs in API tests)."""
    seen: list[int] = []
    monkeypatch.setattr(reports_api, "enqueue_report", seen.append)
    return seen


@pytest.fixture
def people(uow) -> dict:
    admin = make_admin(uow)
    executive = make_actor(uow, username="exec1", roles=["executive"])
    rep = make_actor(uow, username="rep1", roles=["sales"])
    keys = {
        name: {
            "X-API-Key": accounts_admin.create_api_key(
                uow, actor=admin, name=name, user_id=actor.user_id
            )
        }
        for name, actor in (("executive", executive), ("rep", rep))
    }
    return {"executive": executive, "keys": keys}


async def test_asking_for_a_report_answers_202_with_the_queued_run(uow, people, queued):
    async with client() as http:
        answer = await http.post(
            URL,
            json={"kind": "weekly_sales", "from": "2026-03-02", "to": "2026-03-08"},
            headers=people["keys"]["executive"],
        )
        run_id = answer.json()["id"]
        one = await http.get(f"{URL}/{run_id}", headers=people["keys"]["executive"])
        listed = await http.get(URL, headers=people["keys"]["executive"])
    assert answer.status_code == 202 and answer.headers["location"] == f"{URL}/{run_id}"
    body = answer.json()
    assert (body["kind"], body["from"], body["to"]) == ("weekly_sales", "2026-03-02", "2026-03-08")
    assert (body["status"], body["progress"], body["files"]) == ("queued", 0, {})
    assert body["requested_by"] == "exec1" and queued == [run_id]
    assert one.status_code == 200 and one.json() == body
    assert listed.json()["total"] == 1 and listed.json()["items"] == [body]


async def test_a_finished_run_downloads_by_key_and_by_the_browser_session(uow, people, queued):
    run_id = reports_service.request_report(uow, actor=people["executive"], kind="weekly_sales")
    reports_service.generate_report(uow, run_id=run_id)
    token = accounts_service.log_in(uow, username="exec1", password=DEFAULT_PASSWORD).token
    async with client() as http:
        status = await http.get(f"{URL}/{run_id}", headers=people["keys"]["executive"])
        pdf = await http.get(f"{URL}/{run_id}/file.pdf", cookies={"oms_session": token})
        xlsx = await http.get(f"{URL}/{run_id}/file.xlsx", headers=people["keys"]["executive"])
        anonymous = await http.get(f"{URL}/{run_id}/file.pdf")
    assert status.json()["status"] == "done" and status.json()["progress"] == 100
    assert status.json()["files"]["pdf"] == f"{URL}/{run_id}/file.pdf"
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "attachment" in pdf.headers["content-disposition"]
    assert len(pypdf.PdfReader(io.BytesIO(pdf.content)).pages) == 4
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"  # a zip: the workbook
    assert anonymous.status_code == 401


async def test_a_queued_run_has_no_file_yet_and_an_unknown_run_is_404(uow, people, queued):
    run_id = reports_service.request_report(uow, actor=people["executive"], kind="weekly_sales")
    async with client() as http:
        pending = await http.get(f"{URL}/{run_id}/file.pdf", headers=people["keys"]["executive"])
        unknown = await http.get(f"{URL}/{run_id + 99}", headers=people["keys"]["executive"])
    assert pending.status_code == 404 and unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "error.not_found"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"kind": "yearly"}, "kind", "error.report.kind"),
        ({"kind": "weekly_sales", "from": "2026-03-09", "to": "2026-03-01"}, "to", None),
        ({"kind": "weekly_sales", "email_to": "nobody"}, "email_to", "error.report.recipient"),
        ({"kind": "weekly_sales", "format": "doc"}, "format", None),
    ],
)
async def test_a_bad_request_is_422_on_its_field_and_queues_nothing(
    uow, people, queued, body, field, code
):
    async with client() as http:
        answer = await http.post(URL, json=body, headers=people["keys"]["executive"])
        listed = await http.get(URL, headers=people["keys"]["executive"])
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert code is None or errors[0]["code"] == code
    assert listed.json()["total"] == 0 and queued == []


async def test_a_sales_rep_without_dashboard_rights_is_403(uow, people, queued):
    async with client() as http:
        asked = await http.post(URL, json={"kind": "weekly_sales"}, headers=people["keys"]["rep"])
        listed = await http.get(URL, headers=people["keys"]["rep"])
    assert asked.status_code == listed.status_code == 403
    assert asked.json()["error"]["code"] == "error.permission_denied" and queued == []
