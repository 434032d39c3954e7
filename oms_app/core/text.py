"""The one rule for text we accept: no NUL, no lone surrogate, no other control character.

PostgreSQL text cannot hold NUL; a lone surrogate (`"\\udc00"` in JSON) slips into `json`
columns and then fails every answer that encodes it as UTF-8; other C0/C1 control characters
are never meant in business data and break exports and terminals. Tab, CR and LF are allowed in
free-text fields only (MULTILINE_FIELDS: notes, comments, reasons), where people write lines.
The API guard and the services of screens both call `text_problems`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

NUL = "\x00"
MULTILINE_FIELDS = frozenset(
    {"notes", "note", "comment", "comments", "reason", "description", "remarks"}
)
_BAD = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_BAD_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
Location = tuple[str | int, ...]


def text_problem(text: str, *, multiline: bool = False) -> str | None:
    """The error code of a text we refuse (`error.text.nul|surrogate|control`), else None."""
    if not (_BAD_MULTILINE if multiline else _BAD).search(text):
        return None
    if NUL in text:
        return "error.text.nul"
    if _SURROGATE.search(text):
        return "error.text.surrogate"
    return "error.text.control"


def is_multiline(loc: Location) -> bool:
    """Whether the field at `loc` is free text (named by its last name, `lines[0].note`)."""
    names = [part for part in loc if isinstance(part, str)]
    return bool(names) and names[-1] in MULTILINE_FIELDS


def _children(value: Any) -> Iterator[tuple[Any, Any]] | None:
    if isinstance(value, dict):
        return iter(value.items())
    if isinstance(value, list | tuple):
        return enumerate(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value))
    return None


def text_problems(value: Any, loc: Location = ()) -> list[tuple[Location, str]]:
    """(location, error code) of every refused text inside a value: a string, or dicts, lists
    and dataclasses of them. A bad key is reported at its mapping's location, so the answer
    never repeats the bad text."""
    if isinstance(value, str):
        problem = text_problem(value, multiline=is_multiline(loc))
        return [(loc, problem)] if problem else []
    children = _children(value)
    if children is None:
        return []
    found: list[tuple[Location, str]] = []
    for key, item in children:
        if isinstance(key, str) and (problem := text_problem(key)):
            found.append((loc, problem))
            continue
        found += text_problems(item, (*loc, key))
    return found


def dotted(loc: Location) -> str:
    """`("lines", 0, "note")` -> `lines[0].note`."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def readable(value: Any) -> Any:
    """The value with every lone surrogate replaced by U+FFFD, so that rows stored before the
    rule existed can always be encoded as UTF-8."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {readable(k): readable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [readable(v) for v in value]
    return value
