"""The API's OpenAPI operations and how to fill their paths: shared by the tests that walk
every operation (no server errors, the authorization matrix, the fuzzer)."""

from __future__ import annotations

from urllib.parse import quote

from oms_app.api.app import create_api

SPEC = create_api().openapi()
METHODS = ("get", "post", "put", "patch", "delete")
OPERATIONS = [
    (method.upper(), path, operation)
    for path, item in SPEC["paths"].items()
    for method, operation in item.items()
    if method in METHODS
]


def operation_id(method: str, path: str) -> str:
    """How the authorization table names an operation: "GET /api/v1/orders/{number}"."""
    return f"{method} {path}"


def ids(operations) -> list[str]:
    return [operation_id(m, p) for m, p, _ in operations]


def params(operation: dict, where: str) -> list[dict]:
    return [p for p in operation.get("parameters", []) if p["in"] == where]


def _kinds(param: dict, key: str) -> list:
    schema = param.get("schema", {})
    return [schema.get(key)] + [s.get(key) for s in schema.get("anyOf", [])]


def is_integer(param: dict) -> bool:
    return "integer" in _kinds(param, "type")


def is_day(param: dict) -> bool:
    return "date" in _kinds(param, "format")


def fill_path(path: str, operation: dict, value_of) -> str:
    """The path with each parameter replaced by value_of(param), quoted."""
    for param in params(operation, "path"):
        path = path.replace("{" + param["name"] + "}", quote(str(value_of(param)), safe=""))
    return path


# Values that pass the request schema of every operation, by field name (the schema's own
# constraints are met; whether the business accepts them is the service's call).
SAMPLE_VALUES = {
    "sku": "OFF-0001",
    "customer": "C10001",
    "warehouse": "SH",
    "reason": "authorization matrix",
    "reference": "BANK-REF-1",
    "bin": "A-01-01",
    "barcode": "6920000000018",
    "url": "https://hooks.invalid/oms",
    "name": "matrix",
    "period": "2026-01",
    "expense_account": "6602",
    "account_code": "6602",
    "cost_centre": "OPS",
    "year": 2026,
    "payment_method": "pm_cardvisa1",
    "method": "bank_transfer",  # an offline method: no payment provider needed
}


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    if "anyOf" in schema:  # the first non-null choice
        return _resolve(next(s for s in schema["anyOf"] if s.get("type") != "null"))
    if "allOf" in schema:
        return _resolve(schema["allOf"][0])
    return schema


def sample_value(schema: dict, name: str = "") -> object:
    """A small value the schema accepts: required fields only, sample values by field name."""
    schema = _resolve(schema)
    if "enum" in schema:
        preferred = SAMPLE_VALUES.get(name)
        return preferred if preferred in schema["enum"] else schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {key: sample_value(props[key], key) for key in schema.get("required", [])}
    if kind == "array":
        return [sample_value(schema.get("items", {}), name)] * max(schema.get("minItems", 0), 1)
    if kind in ("integer", "number"):
        if name in SAMPLE_VALUES:
            return SAMPLE_VALUES[name]
        return int(max(schema.get("minimum", 1), 1))
    if kind == "boolean":
        return False
    if schema.get("format") == "date":
        return "2026-01-15"
    if name in SAMPLE_VALUES:
        return SAMPLE_VALUES[name]
    if "amount" in name or "price" in name:
        return "1.00"
    return "x" * max(schema.get("minLength", 1), 1)


def sample_body(operation: dict) -> object | None:
    """A body the operation's schema accepts, or None when it takes none."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return sample_value(content["application/json"].get("schema", {}))


def body_fields(operation: dict) -> set[str]:
    """The top-level fields the operation's JSON body may carry."""
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema", {})
    return set(_resolve(schema).get("properties", {})) if schema else set()
