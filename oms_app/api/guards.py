"""Checks every API request passes before its endpoint runs."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from oms_app.api.errors import field_path
from oms_app.core.errors import ValidationFailed

NUL = "\x00"


def _nul_in(value: Any, loc: tuple) -> tuple | None:
    """The location of the first text holding a NUL inside a parsed JSON value, if any."""
    if isinstance(value, str):
        return loc if NUL in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        found = _nul_in(item, (*loc, key))
        if found is not None:
            return found
    return None


async def refuse_nul_text(request: Request) -> None:
    """PostgreSQL text cannot hold a NUL character: refuse it up front, naming the field,
    rather than fail in the database."""
    for name, value in [*request.path_params.items(), *request.query_params.multi_items()]:
        if NUL in str(value) or NUL in name:
            raise ValidationFailed(name, "error.text.nul")
    body = await request.body()
    if b"\\u0000" not in body and b"\x00" not in body:
        return
    try:
        parsed = json.loads(body)
    except ValueError:
        return  # not JSON: the endpoint's own parsing answers
    found = _nul_in(parsed, ("body",))
    if found is not None:
        raise ValidationFailed(field_path(found), "error.text.nul")
