"""Every API operation answers every principal as tests/security/authz_table.py says.

Principals: a key per role, no key, a bad key, and a customer of another company. Allowed is
any answer but 401/403 (a 404 or 422 means the permission check passed); denied is 401 without
a valid key and 403 with one. Paths point at company A's real rows, so for B's customer a 404
counts as denied: it may not learn whether A's row exists, nor read it.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from oms_app.api.app import create_api
from oms_app.core.db import UnitOfWork
from tests.conftest import reset_business_tables
from tests.openapi_spec import OPERATIONS, operation_id, params
from tests.security.authz_table import ALLOWED, CUSTOMER, PUBLIC
from tests.security.calls import call
from tests.security.principals import BAD_KEY, NO_KEY, OTHER_CUSTOMER, seed

DENIED = {401, 403}


@pytest.fixture(scope="module")
def world():
    """One seeded company A (and B's customer) and one client for every case of the module."""
    reset_business_tables()
    seeded = seed(UnitOfWork())
    with TestClient(create_api(), raise_server_exceptions=False) as http:
        yield http, seeded
    reset_business_tables()


def expected(op_id: str, operation: dict, who: str) -> set[int] | None:
    """The codes meaning "denied" for this principal, or None when it is allowed."""
    allowed = ALLOWED[op_id]
    if allowed == PUBLIC:
        return None
    if who in (NO_KEY, BAD_KEY):
        return {401}
    if who == OTHER_CUSTOMER:
        names_a_row = bool(params(operation, "path"))
        if CUSTOMER in allowed and not names_a_row:
            return None  # lists and forms: B's customer works on its own rows
        return {403, 404} if CUSTOMER in allowed else DENIED
    return None if who in allowed else DENIED


def test_every_operation_has_a_row_and_every_row_an_operation():
    in_spec = {operation_id(m, p) for m, p, _ in OPERATIONS}
    assert sorted(in_spec - set(ALLOWED)) == [], "operations without a row in authz_table.py"
    assert sorted(set(ALLOWED) - in_spec) == [], "rows of operations the API no longer has"


def test_the_spec_and_its_document_are_public():
    with TestClient(create_api()) as http:
        assert http.get("/api/v1/openapi.json").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [o for o in OPERATIONS if operation_id(o[0], o[1]) in ALLOWED],
    ids=[operation_id(m, p) for m, p, _ in OPERATIONS if operation_id(m, p) in ALLOWED],
)
def test_each_principal_is_answered_as_the_table_says(world, method, path, operation):
    http, seeded = world
    op_id = operation_id(method, path)
    wrong = []
    for who in seeded.keys:
        answer = call(http, method, path, operation, seeded, who)
        denied_codes = expected(op_id, operation, who)
        if denied_codes is None and answer.status_code in DENIED:
            wrong.append(f"{who}: denied ({answer.status_code}) but the table allows it")
        elif denied_codes is not None and answer.status_code not in denied_codes:
            wrong.append(f"{who}: answered {answer.status_code}, should be {sorted(denied_codes)}")
    assert wrong == [], f"{op_id}: " + "; ".join(wrong)
