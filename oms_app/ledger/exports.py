"""The statements as files: one table per statement (labels in the reader's language), set as a
PDF in the embedded Chinese font or as an XLSX workbook whose money cells are numbers.

Pure: a statement dict (statements.py) in, bytes out. The screen shows the same table.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from oms_app.core.i18n import translate
from oms_app.core.pdf_fonts import cjk_font
from oms_app.ledger.figures import ACCOUNT_LINES

KINDS = ("income", "balance", "trial")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class StatementRow:
    """One printed line: text and Decimal cells, whether it is a (sub)total, its account."""

    cells: list
    bold: bool = False
    account: str = ""


@dataclass(frozen=True)
class StatementTable:
    title: str
    period: str
    head: list[str]
    rows: list[StatementRow] = field(default_factory=list)


def _name(line: dict, locale: str) -> str:
    return line["name_en"] if locale == "en" else line["name_zh"]


def _income_table(statement: dict, locale: str) -> StatementTable:
    columns = statement["columns"]
    head = [translate("finance.st.item", locale)] + [
        f"{translate('ledger.column.' + c['key'], locale)}\n{c['from']} – {c['to']}"
        for c in columns
    ]
    rows = []
    for line in statement["lines"]:
        codes = ACCOUNT_LINES.get(line["key"], ())
        values = [Decimal(line["values"][c["key"]]) for c in columns]
        label = line["label"]["en" if locale == "en" else "zh_CN"]
        rows.append(StatementRow([label, *values], line["total"], codes[0] if codes else ""))
    current = columns[0]
    period = f"{current['from']} – {current['to']}"
    return StatementTable(translate("ledger.is.title", locale), period, head, rows)


def _balance_table(statement: dict, locale: str) -> StatementTable:
    head = [translate(f"finance.st.{k}", locale) for k in ("code", "account", "amount")]
    rows = []
    for section in ("assets", "liabilities", "equity"):
        part = statement[section]
        rows.append(StatementRow(["", translate(f"ledger.bs.{section}", locale), ""], True))
        for line in part["lines"]:
            code = line["code"] or ""
            rows.append(
                StatementRow([code, _name(line, locale), Decimal(line["amount"])], False, code)
            )
        total = translate(
            "finance.st.total_of", locale, what=translate(f"ledger.bs.{section}", locale)
        )
        rows.append(StatementRow(["", total, Decimal(part["total"])], True))
    rows.append(
        StatementRow(
            [
                "",
                translate("ledger.bs.liabilities_and_equity", locale),
                Decimal(statement["liabilities_and_equity"]),
            ],
            True,
        )
    )
    period = translate("finance.st.at", locale, day=statement["at"])
    return StatementTable(translate("ledger.bs.title", locale), period, head, rows)


def _trial_table(statement: dict, locale: str) -> StatementTable:
    figures = ("opening", "debit", "credit", "balance")
    head = [translate("finance.st.code", locale), translate("finance.st.account", locale)]
    head += [translate(f"ledger.tb.{k}", locale) for k in figures]
    rows = [
        StatementRow(
            [a["code"], _name(a, locale), *(Decimal(a[k]) for k in figures)], False, a["code"]
        )
        for a in statement["accounts"]
    ]
    totals = statement["totals"]
    total = translate("finance.st.total", locale)
    rows.append(StatementRow(["", total, *(Decimal(totals[k]) for k in figures)], True))
    start = statement["from"] or "…"
    return StatementTable(
        translate("ledger.tb.title", locale), f"{start} – {statement['to']}", head, rows
    )


def statement_table(kind: str, statement: dict, locale: str = "zh_CN") -> StatementTable:
    """The statement as rows of cells, labelled in the locale."""
    builders = {"income": _income_table, "balance": _balance_table, "trial": _trial_table}
    return builders[kind](statement, locale)


def money_text(value: Decimal) -> str:
    """Money as printed: thousands separated, two decimals."""
    return f"{value:,.2f}"


def _cell_text(cell) -> str:
    return money_text(cell) if isinstance(cell, Decimal) else str(cell)


def statement_pdf(kind: str, statement: dict, locale: str = "zh_CN") -> bytes:
    """The statement as an A4 PDF."""
    # reportlab and openpyxl load with the first file, not with every web worker.
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    table = statement_table(kind, statement, locale)
    font = cjk_font()
    text = ParagraphStyle("st-text", fontName=font, fontSize=10, leading=14)
    title = ParagraphStyle("st-title", parent=text, fontSize=16, leading=22, spaceAfter=4)
    head = [Paragraph(escape(h).replace("\n", "<br/>"), text) for h in table.head]
    body = [[_cell_text(c) for c in row.cells] for row in table.rows]
    grid = Table([head, *body], repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), font, 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 1), (1, -1), "LEFT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    style += [
        ("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f3f3f3"))
        for i, row in enumerate(table.rows, start=1)
        if row.bold
    ]
    grid.setStyle(TableStyle(style))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=table.title, leftMargin=15 * mm)
    doc.build(
        [
            Paragraph(escape(table.title), title),
            Paragraph(escape(table.period), text),
            Spacer(1, 4 * mm),
            grid,
        ]
    )
    return buffer.getvalue()


def statement_xlsx(kind: str, statement: dict, locale: str = "zh_CN") -> bytes:
    """The statement as a one-sheet workbook; money cells are numbers with two decimals."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    table = statement_table(kind, statement, locale)
    book = Workbook()
    sheet = book.active
    sheet.title = table.title[:31]
    sheet.append([table.title])
    sheet.append([table.period])
    sheet.append([h.replace("\n", " ") for h in table.head])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF7")
    for row in table.rows:
        sheet.append(row.cells)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, (int, float, Decimal)):
                cell.number_format = MONEY_FORMAT
            cell.font = Font(bold=row.bold)
    for letter, width in zip("ABCDEF", (14, 36, 20, 20, 20, 20), strict=False):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def statement_file(kind: str, fmt: str, statement: dict, locale: str) -> tuple[str, bytes, str]:
    """File name, content and media type of the statement in a format (pdf or xlsx)."""
    build = statement_pdf if fmt == "pdf" else statement_xlsx
    day = statement.get("to") or statement.get("at") or statement["columns"][0]["to"]
    name = f"{kind}-statement-{day}.{fmt}"
    return name, build(kind, statement, locale), MEDIA_TYPES[fmt]
