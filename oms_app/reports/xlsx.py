"""The report as an XLSX workbook: key figures, sales by day with a total, top products.

Cells hold numbers (Decimal money, integer counts), not formatted text, so the workbook can be
summed and charted; the daily sheet's total row equals the KPI revenue of the PDF.
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from oms_app.reports.content import COMPARISONS, KPI_ROWS, daily_totals
from oms_app.reports.labels import label

MONEY_FORMAT = "#,##0.00"
FORMATS = {"money": MONEY_FORMAT, "rate": "0.00%", "count": "#,##0", "hours": "0.00"}
HEAD_FILL = PatternFill("solid", fgColor="E8EEF7")


def _number(value, kind: str):
    if value is None:
        return None
    if kind in ("money", "rate"):
        return Decimal(str(value))
    if kind == "hours":
        return float(value)  # hours are a measurement, not money
    return int(value)


def _head(sheet: Worksheet, names: list[str]) -> None:
    sheet.append(names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
    for column, name in zip("ABCDEF", names, strict=False):
        sheet.column_dimensions[column].width = max(14, len(name) + 4)


def _kpi_sheet(sheet: Worksheet, content: dict, locale: str) -> None:
    sheet.title = label("sheet.kpis", locale)
    names = [label("figure", locale), *(label(f"col.{name}", locale) for name in COMPARISONS)]
    _head(sheet, names)
    sheet.column_dimensions["A"].width = 24
    for key, kind in KPI_ROWS:
        values = [_number(content["kpis"][name][key], kind) for name in COMPARISONS]
        sheet.append([label(f"kpi.{key}", locale), *values])
        for cell in sheet[sheet.max_row][1:]:
            cell.number_format = FORMATS[kind]
    sheet.append([])
    period = content["period"]
    sheet.append([label("period_line", locale, start=period["from"], end=period["to"])])


def _daily_sheet(sheet: Worksheet, content: dict, locale: str) -> None:
    names = [label(k, locale) for k in ("col.day", "kpi.orders", "kpi.revenue", "kpi.gross_profit")]
    _head(sheet, names)
    for row in content["daily"]:
        sheet.append(
            [row["day"], row["orders"], Decimal(row["revenue"]), Decimal(row["gross_profit"])]
        )
    totals = daily_totals(content["daily"])
    sheet.append(
        [label("total", locale), totals["orders"], totals["revenue"], totals["gross_profit"]]
    )
    sheet[sheet.max_row][0].font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = MONEY_FORMAT


def _product_sheet(sheet: Worksheet, content: dict, locale: str) -> None:
    keys = ("col.sku", "col.product", "col.quantity", "kpi.revenue")
    _head(sheet, [label(k, locale) for k in keys])
    sheet.column_dimensions["B"].width = 36
    for row in content["top_products"]:
        sheet.append([row["sku"], row["name"], row["quantity"], Decimal(row["revenue"])])
        sheet.cell(sheet.max_row, 4).number_format = MONEY_FORMAT


def render_xlsx(content: dict, *, locale: str) -> bytes:
    """The report as XLSX bytes: sheets of key figures, sales by day and top products."""
    book = Workbook()
    _kpi_sheet(book.active, content, locale)
    _daily_sheet(book.create_sheet(label("sheet.daily", locale)), content, locale)
    _product_sheet(book.create_sheet(label("sheet.products", locale)), content, locale)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
