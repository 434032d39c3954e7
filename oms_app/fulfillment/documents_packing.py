"""The packing slip: an A4 sheet laid in the box, telling the receiver what was packed."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from oms_app.fulfillment.document_data import PackingSlipData
from oms_app.fulfillment.document_render import (
    FONT,
    TITLE,
    format_quantity,
    format_weight,
    label,
    mask_phone,
    paged_canvas,
    para,
    qr_code,
)

MARGIN = 15 * mm
WIDTH = A4[0] - 2 * MARGIN
QR_SIZE = 28 * mm
GRID = [
    ("FONTNAME", (0, 0), (-1, -1), FONT),
    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
    ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
]


def packing_slip_pdf(data: PackingSlipData, *, locale: str = "zh_CN") -> bytes:
    """Render the shipment's packing slip as A4 PDF bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=18 * mm,
        title=f"{label('packing_slip', locale)} {data.shipment_number}",
    )
    gap = Spacer(1, 5 * mm)
    story = [_header(data, locale), gap, _ship_to(data, locale), gap, _lines(data, locale), gap]
    story += [_parcels(data, locale)]
    if data.notes:
        story += [gap, para(f"{label('notes', locale)}: {data.notes}")]
    doc.build(story, canvasmaker=paged_canvas(data.shipment_number, locale))
    return buffer.getvalue()


def _header(data: PackingSlipData, locale: str) -> Table:
    left = [
        para(label("packing_slip", locale), TITLE),
        Spacer(1, 2 * mm),
        para(f"{label('order', locale)}: {data.order_number}"),
        para(f"{label('shipment', locale)}: {data.shipment_number}"),
    ]
    if data.printed_at:
        left.append(para(f"{label('printed_at', locale)}: {data.printed_at}"))
    qr = qr_code(data.shipment_number, size=QR_SIZE)
    table = Table([[left, qr]], colWidths=(WIDTH - QR_SIZE, QR_SIZE))
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def _ship_to(data: PackingSlipData, locale: str) -> Table:
    to = data.ship_to
    rows = [
        [para(label("receiver", locale)), para(to.name)],
        # The slip travels outside the warehouse, so the phone is masked like on the label.
        [para(label("phone", locale)), para(mask_phone(to.phone))],
        [para(label("address", locale)), para(to.full_address)],
    ]
    table = Table(rows, colWidths=(25 * mm, WIDTH - 25 * mm))
    table.setStyle(TableStyle([*GRID[:2], ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _lines(data: PackingSlipData, locale: str) -> Table:
    header = [para(label(key, locale)) for key in ("sku", "product", "qty")]
    rows = [
        [
            para(line.sku),
            para(line.product_name),
            para(format_quantity(line.quantity, line.unit)),
        ]
        for line in data.lines
    ]
    table = Table([header, *rows], colWidths=(45 * mm, WIDTH - 75 * mm, 30 * mm), repeatRows=1)
    table.setStyle(TableStyle(GRID))
    return table


def _parcels(data: PackingSlipData, locale: str) -> Table:
    header = [para(label(key, locale)) for key in ("parcel", "weight", "tracking")]
    rows = [
        [
            para(parcel.parcel_number),
            para(format_weight(parcel.weight_kg)),
            para(parcel.tracking_number),
        ]
        for parcel in data.parcels
    ]
    table = Table([header, *rows], colWidths=(45 * mm, 30 * mm, WIDTH - 75 * mm), repeatRows=1)
    table.setStyle(TableStyle(GRID))
    return table
