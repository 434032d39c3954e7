"""The one mapper from domain errors to HTTP answers: code, field and message, localized.

Input errors (422) answer `{"errors": [{"field", "code", "message"}, ...]}`, one entry per bad
field; refusals (401, 403, 404, 409, 423) answer `{"error": {"code", "field", "message",
"params"}}`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from oms_app.core.errors import DomainError
from oms_app.core.i18n import translate

LOCATIONS = ("body", "query", "path", "header", "cookie")
# pydantic error type -> (translation key, {param: pydantic ctx key})
PYDANTIC_CODES: dict[str, tuple[str, dict[str, str]]] = {
    "missing": ("error.required", {}),
    "extra_forbidden": ("error.field.unknown", {}),
    "int_parsing": ("error.number.whole", {}),
    "int_from_float": ("error.number.whole", {}),
    "int_type": ("error.number.whole", {}),
    "greater_than_equal": ("error.number.min", {"min": "ge"}),
    "less_than_equal": ("error.number.max", {"max": "le"}),
    "string_too_long": ("error.too_long", {"max": "max_length"}),
}


def request_locale(request: Request) -> str:
    accept = request.headers.get("accept-language", "")
    return "zh_CN" if accept.lower().startswith("zh") else "en"


def field_path(loc: tuple | list) -> str:
    """`("body", "lines", 0, "quantity")` -> `lines[0].quantity`; the location alone if no more."""
    parts = list(loc[1:]) if loc and loc[0] in LOCATIONS else list(loc)
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or (str(loc[0]) if loc else "")


def pydantic_entry(error: dict[str, Any], locale: str) -> dict[str, str]:
    """One `errors` entry for a pydantic error; custom types named `error.*` are our own keys."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind.startswith("error."):
        code, params = kind, {k: v for k, v in ctx.items() if isinstance(v, str | int)}
    elif kind == "json_invalid":
        return {
            "field": "body",
            "code": "error.invalid",
            "message": translate("error.invalid", locale),
        }
    else:
        code, names = PYDANTIC_CODES.get(kind, ("error.invalid", {}))
        params = {name: ctx.get(key) for name, key in names.items()}
    return {
        "field": field_path(error.get("loc", ())),
        "code": code,
        "message": translate(code, locale, **params),
    }


def install_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(DomainError)
    async def _domain_error(request: Request, err: DomainError) -> JSONResponse:
        locale = request_locale(request)
        if err.status_code == 422:
            each = getattr(err, "errors", None) or [err]  # ValidationErrors carries several
            entries = [
                {"field": e.field, "code": e.code, "message": translate(e.code, locale, **e.params)}
                for e in each
            ]
            return JSONResponse({"errors": entries}, status_code=422)
        body = err.as_dict(lambda key, **p: translate(key, locale, **p))
        return JSONResponse(
            {"error": body}, status_code=err.status_code, headers=getattr(err, "headers", None)
        )

    @api.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, err: RequestValidationError) -> JSONResponse:
        locale = request_locale(request)
        errors = [pydantic_entry(e, locale) for e in err.errors()]
        return JSONResponse({"errors": errors}, status_code=422)
