"""The order list as a file: CSV (UTF-8 with a BOM, so Excel reads Chinese) or XLSX. Pure."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from oms_app.core.i18n import translate

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell

# (row key, header translation key); money columns hold Decimal strings.
COLUMNS = (
    ("number", "col.number"),
    ("created", "col.created"),
    ("customer", "col.customer"),
    ("status", "col.status"),
    ("channel", "col.channel"),
    ("subtotal", "col.subtotal"),
    ("discount", "col.discount"),
    ("tax", "col.tax"),
    ("shipping", "col.shipping"),
    ("total", "col.total"),
    ("rep", "col.rep"),
    ("payment_status", "col.payment"),
)
MONEY = frozenset({"subtotal", "discount", "tax", "shipping", "total"})
# Codes shown as their label, as on screen: key -> translation prefix.
LABELLED = {"status": "status.", "payment_status": "payment_status.", "channel": "channel."}
# A CSV text cell starting with one of these would run as a formula in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CREATED_FORMAT = "%Y-%m-%d %H:%M"
MONEY_FORMAT = "#,##0.00"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def headers(locale: str) -> list[str]:
    return [translate(key, locale) for _, key in COLUMNS]


def _text(key: str, value: object, locale: str) -> str:
    text = "" if value is None else str(value)
    return translate(LABELLED[key] + text, locale) if key in LABELLED and text else text


def _csv_text(key: str, value: object, locale: str) -> str:
    text = _text(key, value, locale)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: list[dict], locale: str) -> bytes:
    """The rows as CSV with translated headers; money as plain decimals such as 1234.50."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers(locale))
    for row in rows:
        writer.writerow(
            [row[key] if key in MONEY else _csv_text(key, row[key], locale) for key, _ in COLUMNS]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(sheet, key: str, value: object, locale: str) -> WriteOnlyCell:
    from openpyxl.cell import WriteOnlyCell

    if key in MONEY:
        cell = WriteOnlyCell(sheet, value=Decimal(str(value)))
        cell.number_format = MONEY_FORMAT
    elif key == "created" and value:
        cell = WriteOnlyCell(sheet, value=datetime.strptime(str(value), CREATED_FORMAT))
        cell.number_format = "yyyy-mm-dd hh:mm"
    else:
        cell = WriteOnlyCell(sheet, value=_text(key, value, locale))
        cell.data_type = "s"  # never a formula, whatever the text
    return cell


def to_xlsx(rows: list[dict], locale: str) -> bytes:
    """The rows as one XLSX sheet: money as numbers with 2 decimals, created as a date-time."""
    # openpyxl (about 28 MiB) loads with the first export, not with every web worker.
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)  # streams rows: an export may hold 50,000 of them
    sheet = book.create_sheet(translate("nav.orders", locale)[:31])
    for index, (key, _) in enumerate(COLUMNS, start=1):
        wide = key in ("customer", "created")
        sheet.column_dimensions[get_column_letter(index)].width = 22 if wide else 14
    sheet.freeze_panes = "A2"
    sheet.append(headers(locale))
    for row in rows:
        sheet.append([_xlsx_cell(sheet, key, row[key], locale) for key, _ in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMATS: dict[str, tuple[Callable[[list[dict], str], bytes], str]] = {
    "csv": (to_csv, CSV_TYPE),
    "xlsx": (to_xlsx, XLSX_TYPE),
}


def render(rows: list[dict], fmt: str, locale: str) -> tuple[bytes, str]:
    """The file and its media type for a format name of FORMATS."""
    formatter, media_type = FORMATS[fmt]
    return formatter(rows, locale), media_type
