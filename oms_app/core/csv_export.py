"""Lists as files people open in a spreadsheet: CSV (UTF-8 with a BOM, so Excel reads Chinese)
and XLSX, both safe from formula injection. Pure; each area picks its columns and cells."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

# A CSV text cell starting with one of these would run as a formula in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


def csv_safe(value: object) -> str:
    """The value as CSV text that a spreadsheet shows and never runs."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_bytes(headers: list[str], rows: Iterable[list[object]]) -> bytes:
    """Headers and rows (already made safe where text) as CSV with a BOM."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def text_cell(sheet, value: object):
    from openpyxl.cell import WriteOnlyCell  # about 28 MiB: loads with the first export

    cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
    cell.data_type = "s"  # never a formula, whatever the text
    return cell


def xlsx_bytes(
    title: str,
    headers: list[str],
    widths: list[int],
    rows: Iterable,
    cells: Callable[[object, object], list],
) -> bytes:
    """One frozen-header sheet; `cells(sheet, row)` makes each row's cells."""
    # openpyxl (about 28 MiB) loads with the first export, not with every web worker.
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)  # streams rows: an export may hold 50,000 of them
    sheet = book.create_sheet(title[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append(headers)
    for row in rows:
        sheet.append(cells(sheet, row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
