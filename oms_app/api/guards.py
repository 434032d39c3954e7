"""Checks every API request passes before its endpoint runs."""

from __future__ import annotations

import json
import re

from fastapi import Request

from oms_app.api.errors import field_path
from oms_app.core.errors import ValidationErrors, ValidationFailed
from oms_app.core.text import text_problem, text_problems

# Only a body holding one of these can hold a refused text: escapes (\u0000, \udc00, \n),
# DEL, and C1 characters in UTF-8 (C2 80 to C2 9F). Raw C0 bytes inside a string are no JSON:
# the body's parser refuses those.
_MAYBE_BAD = re.compile(rb"\\u|\\[nrt]|\x7f|\xc2[\x80-\x9f]")


def _parameter_errors(request: Request) -> list[ValidationFailed]:
    errors = []
    for name, value in [*request.path_params.items(), *request.query_params.multi_items()]:
        if (problem := text_problem(name)) or (problem := text_problem(str(value))):
            safe_name = name if not text_problem(name) else "query"
            errors.append(ValidationFailed(safe_name, problem))
    return errors


async def refuse_nul_text(request: Request) -> None:
    """Refuse NUL, lone surrogates and other control characters in every text of the path,
    the query and a JSON body, naming the field, before anything reaches the database
    (core.text says which texts and why)."""
    if errors := _parameter_errors(request):
        raise ValidationErrors(errors)
    body = await request.body()
    if not _MAYBE_BAD.search(body):
        return
    try:
        parsed = json.loads(body)
    except ValueError:
        return  # not JSON: the endpoint's own parsing answers
    found = text_problems(parsed, ("body",))
    if found:
        raise ValidationErrors([ValidationFailed(field_path(loc), code) for loc, code in found])
