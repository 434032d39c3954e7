"""The order list as a file: CSV (UTF-8 with a BOM, so Excel reads Chinese) or XLSX. Pure."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from oms_app.core.csv_export import CSV_TYPE, XLSX_TYPE, csv_bytes, csv_safe, text_cell, xlsx_bytes
from oms_app.core.i18n import translate

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
CREATED_FORMAT = "%Y-%m-%d %H:%M"
MONEY_FORMAT = "#,##0.00"


def headers(locale: str) -> list[str]:
    return [translate(key, locale) for _, key in COLUMNS]


def _text(key: str, value: object, locale: str) -> str:
    text = "" if value is None else str(value)
    return translate(LABELLED[key] + text, locale) if key in LABELLED and text else text


def to_csv(rows: list[dict], locale: str) -> bytes:
    """The rows as CSV with translated headers; money as plain decimals such as 1234.50."""
    return csv_bytes(
        headers(locale),
        (
            [row[k] if k in MONEY else csv_safe(_text(k, row[k], locale)) for k, _ in COLUMNS]
            for row in rows
        ),
    )


def _xlsx_cell(sheet, key: str, value: object, locale: str):
    from openpyxl.cell import WriteOnlyCell  # loads with the first export, not the web worker

    if key in MONEY:
        cell = WriteOnlyCell(sheet, value=Decimal(str(value)))
        cell.number_format = MONEY_FORMAT
    elif key == "created" and value:
        cell = WriteOnlyCell(sheet, value=datetime.strptime(str(value), CREATED_FORMAT))
        cell.number_format = "yyyy-mm-dd hh:mm"
    else:
        cell = text_cell(sheet, _text(key, value, locale))
    return cell


def to_xlsx(rows: list[dict], locale: str) -> bytes:
    """The rows as one XLSX sheet: money as numbers with 2 decimals, created as a date-time."""
    widths = [22 if key in ("customer", "created") else 14 for key, _ in COLUMNS]
    return xlsx_bytes(
        translate("nav.orders", locale),
        headers(locale),
        widths,
        rows,
        lambda sheet, row: [_xlsx_cell(sheet, key, row[key], locale) for key, _ in COLUMNS],
    )


FORMATS: dict[str, tuple[Callable[[list[dict], str], bytes], str]] = {
    "csv": (to_csv, CSV_TYPE),
    "xlsx": (to_xlsx, XLSX_TYPE),
}


def render(rows: list[dict], fmt: str, locale: str) -> tuple[bytes, str]:
    """The file and its media type for a format name of FORMATS."""
    formatter, media_type = FORMATS[fmt]
    return formatter(rows, locale), media_type
