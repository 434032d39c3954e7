"""The report as PDF: a cover page, key figures with a revenue chart, sales by day, products.

Text is set in the embedded Chinese TrueType font of every PDF here (oms_app/core/pdf_fonts.py),
so Chinese and English labels print the same everywhere.
"""

from __future__ import annotations

import io
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from oms_app.core.pdf_fonts import cjk_font
from oms_app.reports.content import COMPARISONS, KPI_ROWS, change_pct, daily_totals
from oms_app.reports.labels import figure, generated_at, hours, label, money, rate

FONT = cjk_font()  # embedded Chinese TrueType font (core/pdf_fonts.py)

TEXT = ParagraphStyle("report-text", fontName=FONT, fontSize=10, leading=14)
HEADING = ParagraphStyle("report-heading", parent=TEXT, fontSize=14, leading=20, spaceAfter=6)
TITLE = ParagraphStyle("report-title", parent=TEXT, fontSize=24, leading=32, spaceAfter=12)
GRID = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
)
CHART_WIDTH, CHART_HEIGHT = 170 * mm, 80 * mm


def _p(text: str, style: ParagraphStyle = TEXT) -> Paragraph:
    return Paragraph(escape(text), style)


def _table(rows: list[list[str]], widths: list[float] | None = None, total: bool = False):
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(GRID)
    if total:
        table.setStyle(TableStyle([("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f3f3f3"))]))
    return table


def _cover(content: dict, locale: str, requested_by: str) -> list:
    current = content["kpis"]["current"]
    period = content["period"]
    who = requested_by or label("scheduled", locale)
    return [
        Spacer(1, 40 * mm),
        _p(label(f"kind.{content['kind']}", locale), TITLE),
        _p(label("period_line", locale, start=period["from"], end=period["to"])),
        _p(label("generated_line", locale, at=generated_at(content["generated_at"]))),
        _p(label("requested_line", locale, who=who)),
        Spacer(1, 12 * mm),
        _p(label("summary_orders", locale, orders=current["orders"]), HEADING),
        _p(label("summary_revenue", locale, revenue=money(current["revenue"])), HEADING),
    ]


def _kpi_rows(content: dict, locale: str) -> list[list[str]]:
    k = content["kpis"]
    rows = [
        [
            label("figure", locale),
            label("col.current", locale),
            label("col.previous_period", locale),
            label("col.change", locale),
            label("col.same_period_last_year", locale),
            label("col.change", locale),
        ]
    ]
    for key, kind in KPI_ROWS:
        now, before, last_year = (k[name][key] for name in COMPARISONS)
        rows.append(
            [
                label(f"kpi.{key}", locale),
                figure(now, kind),
                figure(before, kind),
                change_pct(now, before),
                figure(last_year, kind),
                change_pct(now, last_year),
            ]
        )
    return rows


def revenue_chart(daily: list[dict], locale: str) -> Drawing:
    """A bar chart of revenue per business day."""
    drawing = Drawing(CHART_WIDTH, CHART_HEIGHT)
    chart = VerticalBarChart()
    chart.x, chart.y = 15 * mm, 18 * mm
    chart.width, chart.height = CHART_WIDTH - 20 * mm, CHART_HEIGHT - 28 * mm
    # Bar heights only: the figures themselves stay Decimal in the tables.
    chart.data = [[float(Decimal(row["revenue"])) for row in daily] or [0.0]]
    step = max(1, len(daily) // 10)  # a month of daily labels would overlap
    chart.categoryAxis.categoryNames = [
        row["day"][5:] if i % step == 0 else "" for i, row in enumerate(daily)
    ]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 45 if len(daily) > 7 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(daily) > 7 else "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#3e63dd")
    drawing.add(chart)
    title = label("chart.revenue_per_day", locale)
    drawing.add(String(15 * mm, CHART_HEIGHT - 6 * mm, title, fontName=FONT, fontSize=10))
    return drawing


def _daily_rows(content: dict, locale: str) -> list[list[str]]:
    rows = [
        [
            label("col.day", locale),
            label("kpi.orders", locale),
            label("kpi.revenue", locale),
            label("kpi.gross_profit", locale),
        ]
    ]
    for row in content["daily"]:
        rows.append(
            [row["day"], f"{row['orders']:,}", money(row["revenue"]), money(row["gross_profit"])]
        )
    totals = daily_totals(content["daily"])
    rows.append(
        [
            label("total", locale),
            f"{totals['orders']:,}",
            money(totals["revenue"]),
            money(totals["gross_profit"]),
        ]
    )
    return rows


def _product_rows(content: dict, locale: str) -> list[list]:
    rows: list[list] = [
        [
            label("col.sku", locale),
            label("col.product", locale),
            label("col.quantity", locale),
            label("kpi.revenue", locale),
        ]
    ]
    for row in content["top_products"]:
        rows.append([row["sku"], _p(row["name"]), f"{row['quantity']:,}", money(row["revenue"])])
    return rows


def _operation_rows(content: dict, locale: str) -> list[list[str]]:
    ops = content["operations"]
    rows = [[label("figure", locale), label("col.value", locale)]]
    rows.append([label("ops.submitted", locale), f"{ops['submitted']:,}"])
    rows.append([label("ops.rejection_rate", locale), rate(ops["rejection_rate"])])
    rows.append([label("ops.correction_rate", locale), rate(ops["correction_rate"])])
    rows.append([label("ops.short_pick_rate", locale), rate(ops["short_pick_rate"])])
    for stage in ("submit_to_approval", "approval_to_pick", "pick_to_ship"):
        rows.append([label(f"ops.{stage}", locale), hours(ops[stage]["median_hours"])])
    return rows


def render_pdf(content: dict, *, locale: str, requested_by: str = "") -> bytes:
    """The report as PDF bytes: four pages (cover, key figures, by day, products and work)."""
    buffer = io.BytesIO()
    title = label(f"kind.{content['kind']}", locale)
    period = f"{content['period']['from']} – {content['period']['to']}"

    def footer(canvas, doc) -> None:
        canvas.setFont(FONT, 8)
        text = f"{title}  {period}    {label('page', locale, page=doc.page)}"
        canvas.drawCentredString(A4[0] / 2, 10 * mm, text)

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=18 * mm,
    )
    story = [
        *_cover(content, locale, requested_by),
        PageBreak(),
        _p(label("section.kpis", locale), HEADING),
        _table(_kpi_rows(content, locale)),
        Spacer(1, 8 * mm),
        revenue_chart(content["daily"], locale),
        PageBreak(),
        _p(label("section.daily", locale), HEADING),
        _table(_daily_rows(content, locale), total=True),
        PageBreak(),
        _p(label("section.products", locale), HEADING),
        _table(_product_rows(content, locale), [28 * mm, 80 * mm, 24 * mm, 34 * mm]),
        Spacer(1, 8 * mm),
        _p(label("section.operations", locale), HEADING),
        _table(_operation_rows(content, locale), [90 * mm, 40 * mm]),
    ]
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
