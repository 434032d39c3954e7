"""The one mapper from domain errors to HTTP answers: code, field and message, localized."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from oms_app.core.errors import DomainError
from oms_app.core.i18n import translate


def request_locale(request: Request) -> str:
    accept = request.headers.get("accept-language", "")
    return "zh_CN" if accept.lower().startswith("zh") else "en"


def install_error_handlers(api: FastAPI) -> None:
    @api.exception_handler(DomainError)
    async def _domain_error(request: Request, err: DomainError) -> JSONResponse:
        locale = request_locale(request)
        body = err.as_dict(lambda key, **p: translate(key, locale, **p))
        return JSONResponse({"error": body}, status_code=err.status_code)

    @api.exception_handler(RequestValidationError)
    async def _bad_request(request: Request, err: RequestValidationError) -> JSONResponse:
        locale = request_locale(request)
        first = err.errors()[0] if err.errors() else {}
        field = ".".join(str(p) for p in first.get("loc", [])[1:]) or None
        return JSONResponse(
            {
                "error": {
                    "code": "error.invalid",
                    "field": field,
                    "message": translate("error.invalid", locale),
                    "detail": first.get("msg", ""),
                }
            },
            status_code=422,
        )
