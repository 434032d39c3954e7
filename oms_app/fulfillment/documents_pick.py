"""The pick list: an A4 wave sheet the picker walks the bins with."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from oms_app.fulfillment.document_data import PickLine, PickListData
from oms_app.fulfillment.document_render import (
    FONT,
    LARGE,
    SMALL,
    TITLE,
    code128,
    format_quantity,
    label,
    paged_canvas,
    para,
    product_barcode,
    tick_box,
)

MARGIN = 12 * mm
# seq, bin, SKU, product, qty, order, tick: adds up to the A4 width inside the margins.
COLUMNS = (28, 120, 112, 117, 50, 74, 26)
BARCODE_HEIGHT = 16


def pick_list_pdf(data: PickListData, *, locale: str = "zh_CN") -> bytes:
    """Render the wave's pick list, lines in the order given, as A4 PDF bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=16 * mm,
        title=f"{label('pick_list', locale)} {data.wave_number}",
    )
    story = [_header(data, locale), Spacer(1, 4 * mm), _lines_table(data.lines, locale)]
    doc.build(story, canvasmaker=paged_canvas(data.wave_number, locale))
    return buffer.getvalue()


def _header(data: PickListData, locale: str) -> Table:
    facts = [
        (label("wave", locale), data.wave_number),
        (label("warehouse", locale), f"{data.warehouse_code} {data.warehouse_name}"),
        (label("picker", locale), data.picker_name),
        (label("carrier", locale), data.carrier),
        (label("cutoff", locale), data.cutoff_at),
        (label("printed_at", locale), data.printed_at),
    ]
    left = [para(label("pick_list", locale), TITLE), Spacer(1, 2 * mm)]
    left += [para(f"{name}: {value}") for name, value in facts]
    right = [
        code128(data.wave_number, max_width=70 * mm, height=14 * mm, bar_width=1.2),
        para(data.wave_number, TITLE),
    ]
    table = Table([[left, right]], colWidths=(sum(COLUMNS) - 75 * mm, 75 * mm))
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _lines_table(lines: tuple[PickLine, ...], locale: str) -> Table:
    keys = ("seq", "bin", "sku", "product", "qty", "order", "picked")
    rows: list[list[object]] = [[para(label(key, locale)) for key in keys]]
    rows += [_line_row(line) for line in lines]
    # repeatRows keeps the column headings on every page of a long wave.
    table = Table(rows, colWidths=COLUMNS, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (-1, 1), (-1, -1), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def _line_row(line: PickLine) -> list[object]:
    bin_cell: list[Flowable] = [
        para(line.bin_code, LARGE),
        code128(line.bin_code, max_width=COLUMNS[1] - 6, height=BARCODE_HEIGHT),
    ]
    sku_cell: list[Flowable] = [
        para(line.sku),
        product_barcode(line.product_barcode, max_width=COLUMNS[2] - 6, height=BARCODE_HEIGHT),
        para(line.product_barcode, SMALL),
    ]
    return [
        para(str(line.seq)),
        bin_cell,
        sku_cell,
        para(line.product_name),
        para(format_quantity(line.quantity, line.unit), LARGE),
        para(line.order_number, SMALL),
        tick_box(),
    ]
