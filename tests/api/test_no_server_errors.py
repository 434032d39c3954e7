"""Whatever a client sends, the API answers 4xx naming the problem, never 500.

Every operation of the OpenAPI spec is called with what broke endpoints before: ids beyond a
PostgreSQL integer, pages past a bigint OFFSET, and NUL characters, which PostgreSQL text
cannot hold, in the path, the query and the body. New endpoints are covered as they appear.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from oms_app.core.permissions import SYSTEM_ACTOR, Role
from tests.factories.accounts import make_user
from tests.openapi_spec import OPERATIONS, fill_path, ids, is_day, is_integer, params

HUGE = 2**40  # beyond a PostgreSQL integer
NUL = "x\x00y"


@pytest.fixture
def http(uow):
    """A client whose key holds every role, so calls get past permissions to the database."""
    user = make_user(uow, username="everyone", roles=[role.value for role in Role])
    key = accounts_admin.create_api_key(uow, actor=SYSTEM_ACTOR, name="fuzz", user_id=user)
    with TestClient(create_api(), raise_server_exceptions=False) as client:
        client.headers["X-API-Key"] = key
        yield client


def _plain(param: dict) -> object:
    return 1 if is_integer(param) else "SO-2026-000001"


def _call(http: TestClient, method: str, path: str, query=None, body=None):
    return http.request(method, path, params=query or {}, json=body)


ROW_OPERATIONS = [o for o in OPERATIONS if any(map(is_integer, params(o[2], "path")))]
PAGED_OPERATIONS = [
    o for o in OPERATIONS if {"page", "page_size"} <= {p["name"] for p in params(o[2], "query")}
]
TEXT_PATH_OPERATIONS = [
    o for o in OPERATIONS if any(not is_integer(p) for p in params(o[2], "path"))
]
DAY_OPERATIONS = [o for o in OPERATIONS if any(map(is_day, params(o[2], "query")))]
BODY_OPERATIONS = [o for o in OPERATIONS if "requestBody" in o[2]]


def test_the_spec_has_operations_of_every_kind_checked_here():
    assert len(ROW_OPERATIONS) >= 20 and len(PAGED_OPERATIONS) >= 5
    assert len(TEXT_PATH_OPERATIONS) >= 20 and len(BODY_OPERATIONS) >= 30
    assert len(DAY_OPERATIONS) >= 8


@pytest.mark.parametrize(("method", "path", "operation"), ROW_OPERATIONS, ids=ids(ROW_OPERATIONS))
def test_an_id_beyond_the_database_range_is_refused_naming_it(
    clean_db, http, method, path, operation
):
    url = fill_path(path, operation, lambda p: HUGE if is_integer(p) else _plain(p))
    answer = _call(http, method, url, body={} if "requestBody" in operation else None)
    assert answer.status_code == 422, answer.text
    named = {e["field"] for e in answer.json()["errors"]}
    assert named & {p["name"] for p in params(operation, "path") if is_integer(p)}


@pytest.mark.parametrize(
    ("method", "path", "operation"), PAGED_OPERATIONS, ids=ids(PAGED_OPERATIONS)
)
@pytest.mark.parametrize(
    "query", [{"page": 10**20}, {"page": 10**17, "page_size": 200}, {"page_size": -150}]
)
def test_a_page_out_of_range_is_refused_naming_it(clean_db, http, method, path, operation, query):
    answer = _call(http, method, fill_path(path, operation, _plain), query=query)
    assert answer.status_code == 422, answer.text
    assert {e["field"] for e in answer.json()["errors"]} <= set(query)


@pytest.mark.parametrize(("method", "path", "operation"), DAY_OPERATIONS, ids=ids(DAY_OPERATIONS))
@pytest.mark.parametrize("day", ["0264-10-06", "9999-12-31"])
def test_a_day_centuries_away_is_refused_naming_it(clean_db, http, method, path, operation, day):
    """Comparison columns (the period before, last year) of such a day are no date at all."""
    names = [p["name"] for p in params(operation, "query") if is_day(p)]
    answer = _call(
        http, method, fill_path(path, operation, _plain), query=dict.fromkeys(names, day)
    )
    assert answer.status_code == 422, answer.text
    assert {e["field"] for e in answer.json()["errors"]} == set(names)


@pytest.mark.parametrize(
    ("method", "path", "operation"), TEXT_PATH_OPERATIONS, ids=ids(TEXT_PATH_OPERATIONS)
)
def test_a_nul_character_in_the_path_is_refused_naming_the_part(
    clean_db, http, method, path, operation
):
    url = fill_path(path, operation, lambda p: 1 if is_integer(p) else NUL)
    answer = _call(http, method, url, body={} if "requestBody" in operation else None)
    assert answer.status_code == 422, answer.text
    errors = answer.json()["errors"]
    assert {e["code"] for e in errors} == {"error.text.nul"}
    assert {e["field"] for e in errors} <= {p["name"] for p in params(operation, "path")}


@pytest.mark.parametrize(("method", "path", "operation"), BODY_OPERATIONS, ids=ids(BODY_OPERATIONS))
def test_a_nul_character_deep_in_a_body_is_refused_naming_the_field(
    clean_db, http, method, path, operation
):
    body = {"lines": [{"sku": "OFF-0001", "note": NUL}], "reason": "ok"}
    url = fill_path(path, operation, _plain)
    answer = http.request(method, url, json=body, headers={"Accept-Language": "zh-CN"})
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"] == [
        {"field": "lines[0].note", "code": "error.text.nul", "message": "不能包含空字符（NUL）"}
    ]


def test_free_text_filters_with_control_characters_are_refused_naming_the_filter(clean_db, http):
    for path in ("/api/v1/returns", "/api/v1/finance/payments", "/api/v1/orders"):
        answer = http.get(path, params={"search": "O \x12\x05 ¬,ñ" + "\U0010ffff"})
        assert answer.status_code == 422, (path, answer.text)
        assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [
            ("search", "error.text.control")
        ]


def test_free_text_filters_with_unusual_but_valid_characters_answer_an_empty_page(clean_db, http):
    for path in ("/api/v1/returns", "/api/v1/finance/payments", "/api/v1/orders"):
        answer = http.get(path, params={"search": "O ¬,ñ %_\\ 😀" + "\U0010ffff"})
        assert answer.status_code == 200, (path, answer.text)
        page = answer.json()
        assert (page.get("items", page.get("rows")), page["total"]) == ([], 0)
