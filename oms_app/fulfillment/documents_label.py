"""The shipping label: one 100 x 150 mm thermal-printer page per parcel."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.graphics import renderPDF
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from oms_app.fulfillment.document_data import Contact, LabelParcel, ShippingLabelData
from oms_app.fulfillment.document_render import (
    FONT,
    TEXT,
    code128,
    format_weight,
    mask_phone,
    qr_code,
)

LABEL_SIZE = (100 * mm, 150 * mm)
PAD = 4 * mm
INNER = LABEL_SIZE[0] - 2 * PAD
QR_SIZE = 26 * mm
ADDRESS = ParagraphStyle("label-address", parent=TEXT, fontSize=10, leading=12)
SENDER = ParagraphStyle("label-sender", parent=TEXT, fontSize=7.5, leading=9)


def shipping_label_pdf(data: ShippingLabelData) -> bytes:
    """Render one label page per parcel of the shipment as PDF bytes."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LABEL_SIZE)
    canvas.setTitle(data.shipment_number)
    count = len(data.parcels)
    for index, parcel in enumerate(data.parcels, start=1):
        _draw_label(canvas, data, parcel, f"{index}/{count}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_label(canvas: Canvas, data: ShippingLabelData, parcel: LabelParcel, of: str) -> None:
    width, top = LABEL_SIZE[0], LABEL_SIZE[1] - PAD
    top = _draw_carrier(canvas, data, of, top)
    top = _draw_code_band(canvas, data, parcel, top)
    canvas.setFont(FONT, 26)
    canvas.drawString(PAD, top - 10 * mm, data.receiver.province)
    top = _rule(canvas, top - 13 * mm)
    top = _draw_contact(canvas, "收 Receiver", data.receiver, top, ADDRESS, masked=True)
    top = _draw_contact(canvas, "寄 Sender", data.sender, top, SENDER, masked=False)
    facts = [
        f"订单 Order: {data.order_number}",
        f"发货单 Shipment: {data.shipment_number}",
        f"重量 Weight: {format_weight(parcel.weight_kg)}",
        f"件数 Parcel: {of}",
    ]
    canvas.setFont(FONT, 8)
    for row, fact in enumerate(facts):
        canvas.drawString(PAD, top - 5 * mm - row * 4.5 * mm, fact)
    # The QR holds what the counter or courier scans: the pickup code, else the tracking number.
    scanned = data.pickup_code if data.is_pickup else parcel.tracking_number
    renderPDF.draw(qr_code(scanned, size=QR_SIZE), canvas, width - PAD - QR_SIZE, PAD)


def _draw_carrier(canvas: Canvas, data: ShippingLabelData, of: str, top: float) -> float:
    if data.carrier is None:
        name_zh, name_en, service = "自提", "Self pickup", ""
    else:
        carrier = data.carrier
        name_zh, name_en, service = carrier.name_zh, carrier.name_en, carrier.service
    canvas.setFont(FONT, 18)
    canvas.drawString(PAD, top - 7 * mm, name_zh)
    canvas.setFont(FONT, 9)
    canvas.drawString(PAD, top - 11.5 * mm, f"{name_en}  {service}".strip())
    canvas.setFont(FONT, 20)
    canvas.drawRightString(LABEL_SIZE[0] - PAD, top - 8 * mm, of)
    return _rule(canvas, top - 14 * mm)


def _draw_code_band(
    canvas: Canvas, data: ShippingLabelData, parcel: LabelParcel, top: float
) -> float:
    if data.is_pickup:
        canvas.setFont(FONT, 9)
        canvas.drawString(PAD, top - 5 * mm, "取件码 Pickup code")
        canvas.setFont(FONT, 30)
        canvas.drawCentredString(LABEL_SIZE[0] / 2, top - 17 * mm, data.pickup_code)
        return _rule(canvas, top - 21 * mm)
    bars = code128(parcel.tracking_number, max_width=INNER, height=16 * mm, bar_width=1.4)
    renderPDF.draw(bars, canvas, (LABEL_SIZE[0] - bars.width) / 2, top - 18 * mm)
    canvas.setFont(FONT, 14)
    canvas.drawCentredString(LABEL_SIZE[0] / 2, top - 23.5 * mm, parcel.tracking_number)
    return _rule(canvas, top - 26 * mm)


def _draw_contact(
    canvas: Canvas,
    heading: str,
    contact: Contact,
    top: float,
    style: ParagraphStyle,
    *,
    masked: bool,
) -> float:
    phone = mask_phone(contact.phone) if masked else contact.phone
    canvas.setFont(FONT, 8)
    canvas.drawString(PAD, top - 4 * mm, heading)
    text = f"{escape(contact.name)}  {escape(phone)}<br/>{escape(contact.full_address)}"
    paragraph = Paragraph(text, style)
    _, height = paragraph.wrapOn(canvas, INNER, 30 * mm)
    paragraph.drawOn(canvas, PAD, top - 5.5 * mm - height)
    return _rule(canvas, top - 7 * mm - height)


def _rule(canvas: Canvas, y: float) -> float:
    """Draw a full-width divider at y and return y as the next block's top."""
    canvas.setLineWidth(0.8)
    canvas.line(0, y, LABEL_SIZE[0], y)
    return y
