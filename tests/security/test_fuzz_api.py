"""Schemathesis sends each API operation a few generated requests: none may answer 5xx.

As an administrator (every check passed, so requests reach the services and the database) and
as a customer (the portal's narrower paths). The examples are few and fixed by a seed so the
run is short and repeatable; fuzz harder locally with FUZZ_EXAMPLES=50, or FUZZ_BOUNDARIES=1 for
Schemathesis's boundary values (hundreds of requests per operation).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from oms_app.api.app import create_api
from oms_app.core.db import UnitOfWork
from tests.conftest import reset_business_tables
from tests.security.principals import seed

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))
BOUNDARIES = os.environ.get("FUZZ_BOUNDARIES") == "1"  # the coverage phase: edge values, slow
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20261203,
        # only generated requests: the coverage phase alone sends hundreds per operation
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": BOUNDARIES},
            "stateful": {"enabled": False},
        },
        "generation": {"max-examples": EXAMPLES},
    }
)
SCHEMA = schemathesis.openapi.from_asgi("/api/v1/openapi.json", create_api(), config=CONFIG)
FEW = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
)


@pytest.fixture(scope="module")
def keys():
    reset_business_tables()
    yield seed(UnitOfWork()).keys
    reset_business_tables()


@SCHEMA.parametrize()
@FEW
def test_no_request_of_an_administrator_gets_a_server_error(case, keys):
    response = case.call(headers={"X-API-Key": keys["admin"]})
    case.validate_response(response, checks=[not_a_server_error])


@SCHEMA.parametrize()
@FEW
def test_no_request_of_a_customer_gets_a_server_error(case, keys):
    response = case.call(headers={"X-API-Key": keys["customer"]})
    case.validate_response(response, checks=[not_a_server_error])
