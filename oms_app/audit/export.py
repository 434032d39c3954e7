"""The audit list as a file for people: CSV or XLSX. Pure.

Actions and entity kinds appear as the reader's words, each followed by its code (what the API
and the filters take), so a spreadsheet can be read and still filtered by code.
"""

from __future__ import annotations

from collections.abc import Callable

from oms_app.audit.labels import action_label, entity_label
from oms_app.core.csv_export import CSV_TYPE, XLSX_TYPE, csv_bytes, csv_safe, text_cell, xlsx_bytes
from oms_app.core.i18n import translate

# (row key, header translation key); *_label columns are filled here from the code beside them.
COLUMNS = (
    ("at", "audit.col.at"),
    ("actor", "audit.col.actor"),
    ("action_label", "audit.col.action"),
    ("action", "audit.col.action_code"),
    ("entity_label", "audit.col.entity"),
    ("entity", "audit.col.entity_code"),
    ("entity_id", "audit.col.entity_id"),
    ("summary", "audit.col.changes"),
    ("notes", "audit.col.notes"),
)
WIDE = frozenset({"summary", "notes", "action_label"})


def headers(locale: str) -> list[str]:
    return [translate(key, locale) for _, key in COLUMNS]


def _values(row: dict, locale: str) -> list[object]:
    labelled = {
        **row,
        "action_label": action_label(row["action"], locale),
        "entity_label": entity_label(row["entity"], locale),
    }
    return [labelled[key] for key, _ in COLUMNS]


def to_csv(rows: list[dict], locale: str) -> bytes:
    return csv_bytes(headers(locale), ([csv_safe(v) for v in _values(r, locale)] for r in rows))


def to_xlsx(rows: list[dict], locale: str) -> bytes:
    widths = [48 if key in WIDE else 18 for key, _ in COLUMNS]
    return xlsx_bytes(
        translate("nav.audit", locale),
        headers(locale),
        widths,
        rows,
        lambda sheet, row: [text_cell(sheet, v) for v in _values(row, locale)],
    )


FORMATS: dict[str, tuple[Callable[[list[dict], str], bytes], str]] = {
    "csv": (to_csv, CSV_TYPE),
    "xlsx": (to_xlsx, XLSX_TYPE),
}


def render(rows: list[dict], fmt: str, locale: str) -> tuple[bytes, str]:
    formatter, media_type = FORMATS[fmt]
    return formatter(rows, locale), media_type
