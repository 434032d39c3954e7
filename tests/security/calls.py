"""One minimal request of an operation as a principal, its paths pointing at company A's rows."""

from __future__ import annotations

from fastapi.testclient import TestClient

from oms_app.accounts import throttle
from tests.factories.accounts import fresh_totp_code
from tests.openapi_spec import body_fields, fill_path, is_integer, sample_body
from tests.security.principals import BAD_KEY, TOTP_SECRET, Seeded

# Which seeded row a path parameter names, by the collection before it.
ROW_OF_COLLECTION = {"orders": "order", "shipments": "shipment", "returns": "return"}


def path_value(path: str, param: dict, seeded: Seeded) -> object:
    name = param["name"]
    if path.startswith("/api/v1/finance/accounts/"):
        return "6602"
    if name == "number":
        collection = path.split("/{number}")[0].rsplit("/", 1)[-1]
        row = ROW_OF_COLLECTION.get(collection)
        return seeded.path_values[row] if row else "W-2026-000001"
    if name in seeded.path_values:
        return seeded.path_values[name]
    if name == "sku":
        return "OFF-0001"
    if name == "warehouse":
        return "SH"
    if name == "period":
        return "2026-01"
    if name == "kind":
        return "trial"
    return 1 if is_integer(param) else "1000"


def call(http: TestClient, method: str, path: str, operation: dict, seeded: Seeded, who: str):
    """The answer to `who` sending the operation's smallest valid request."""
    url = fill_path(path, operation, lambda p: path_value(path, p, seeded))
    key = seeded.keys[who]
    headers = {"X-API-Key": key} if key else {}
    body = sample_body(operation)
    if isinstance(body, dict) and "totp_code" in body_fields(operation):
        body["totp_code"] = fresh_totp_code(TOTP_SECRET)
    answer = http.request(method, url, json=body, headers=headers)
    if who == BAD_KEY:  # bad keys count against the address: keep it from locking
        throttle.clear([throttle.address("testclient")])
    return answer
