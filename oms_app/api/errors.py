"""The one mapper from domain errors to HTTP answers: code, field and message, localized.

Input errors (422) answer `{"errors": [{"field", "code", "message"}, ...]}`, one entry per bad
field; refusals (401, 403, 404, 409, 423) answer `{"error": {"code", "field", "message",
"params"}}`. An outage of the database or Redis answers 503 in that shape plus `part` and a
`Retry-After` header; anything else unexpected a JSON 500, never a plain-text page.
"""

from __future__ import annotations

import logging
from typing import Any

import psycopg
import redis.exceptions
import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from oms_app.core.errors import DomainError
from oms_app.core.i18n import translate
from oms_app.core.outage import RETRY_AFTER_SECONDS, ServiceUnavailable, outage_part

log = logging.getLogger(__name__)
# What a lost database or Redis raises; each is checked by outage_part before answering 503.
OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)

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
    install_outage_handlers(api)

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


def outage_answer(part: str, locale: str) -> JSONResponse:
    """503 naming the part that is down, with how long to wait before trying again."""
    body = {
        "code": ServiceUnavailable.code,
        "field": None,
        "message": translate(f"{ServiceUnavailable.code}.{part}", locale),
        "params": {"part": part},
        "part": part,
    }
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    return JSONResponse({"error": body}, status_code=503, headers=headers)


def unexpected_answer(request: Request, err: Exception) -> JSONResponse:
    """An outage somewhere in the error's causes is a 503; anything else a logged JSON 500."""
    locale = request_locale(request)
    if part := outage_part(err):
        log.warning("%s %s: the %s is down (%s)", request.method, request.url.path, part, type(err))
        return outage_answer(part, locale)
    log.error("%s %s failed", request.method, request.url.path, exc_info=err)
    body = {"code": "error.internal", "field": None, "message": translate("error.internal", locale)}
    return JSONResponse({"error": {**body, "params": {}}}, status_code=500)


def install_outage_handlers(api: FastAPI) -> None:
    @api.exception_handler(ServiceUnavailable)
    async def _unavailable(request: Request, err: ServiceUnavailable) -> JSONResponse:
        return outage_answer(err.part, request_locale(request))

    for kind in OUTAGE_ERRORS:
        api.add_exception_handler(kind, unexpected_answer)
    # Last resort (Starlette runs it in its outermost middleware): JSON, not a plain-text 500.
    api.add_exception_handler(Exception, unexpected_answer)
