"""The audit list as a file: CSV (UTF-8 with a BOM, so Excel reads Chinese) or XLSX. Pure."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from oms_app.core.i18n import translate

# (row key, header translation key)
COLUMNS = (
    ("at", "audit.col.at"),
    ("actor", "audit.col.actor"),
    ("action", "audit.col.action"),
    ("entity", "audit.col.entity"),
    ("entity_id", "audit.col.entity_id"),
    ("summary", "audit.col.changes"),
    ("notes", "audit.col.notes"),
)
# A CSV text cell starting with one of these would run as a formula in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def headers(locale: str) -> list[str]:
    return [translate(key, locale) for _, key in COLUMNS]


def _safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: list[dict], locale: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(locale))
    for row in rows:
        writer.writerow([_safe(row[key]) for key, _ in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: list[dict], locale: str) -> bytes:
    # openpyxl (about 28 MiB) loads with the first export, not with every web worker.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)  # streams rows: an export may hold 50,000 of them
    sheet = book.create_sheet(translate("nav.audit", locale)[:31])
    for index, (key, _) in enumerate(COLUMNS, start=1):
        wide = key in ("summary", "notes")
        sheet.column_dimensions[get_column_letter(index)].width = 48 if wide else 18
    sheet.freeze_panes = "A2"
    sheet.append(headers(locale))
    for row in rows:
        cells = []
        for key, _ in COLUMNS:
            cell = WriteOnlyCell(sheet, value="" if row[key] is None else str(row[key]))
            cell.data_type = "s"  # never a formula, whatever the text
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMATS: dict[str, tuple[Callable[[list[dict], str], bytes], str]] = {
    "csv": (to_csv, CSV_TYPE),
    "xlsx": (to_xlsx, XLSX_TYPE),
}


def render(rows: list[dict], fmt: str, locale: str) -> tuple[bytes, str]:
    formatter, media_type = FORMATS[fmt]
    return formatter(rows, locale), media_type
