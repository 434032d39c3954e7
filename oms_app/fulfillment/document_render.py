"""Shared pieces of the warehouse PDFs: the Chinese font, heading words, barcodes, page footer."""

from __future__ import annotations

from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from oms_app.core.pdf_fonts import cjk_font

FONT = cjk_font()  # embedded Chinese TrueType font (core/pdf_fonts.py)

# The few heading words of these documents; kept here so printing needs no catalogue lookup.
LABELS: dict[str, dict[str, str]] = {
    "zh_CN": {
        "pick_list": "拣货单",
        "wave": "波次",
        "warehouse": "仓库",
        "picker": "拣货员",
        "carrier": "承运商",
        "cutoff": "截单时间",
        "printed_at": "打印时间",
        "seq": "序号",
        "bin": "库位",
        "sku": "SKU",
        "product": "商品",
        "qty": "数量",
        "order": "订单号",
        "picked": "已拣",
        "page": "第 {page} 页，共 {pages} 页",
        "packing_slip": "装箱单",
        "shipment": "发货单号",
        "receiver": "收货人",
        "phone": "电话",
        "address": "地址",
        "parcel": "包裹号",
        "weight": "重量",
        "tracking": "运单号",
        "notes": "备注",
    },
    "en": {
        "pick_list": "Pick list",
        "wave": "Wave",
        "warehouse": "Warehouse",
        "picker": "Picker",
        "carrier": "Carrier",
        "cutoff": "Cut-off",
        "printed_at": "Printed at",
        "seq": "#",
        "bin": "Bin",
        "sku": "SKU",
        "product": "Product",
        "qty": "Qty",
        "order": "Order",
        "picked": "Done",
        "page": "Page {page} of {pages}",
        "packing_slip": "Packing slip",
        "shipment": "Shipment",
        "receiver": "Receiver",
        "phone": "Phone",
        "address": "Address",
        "parcel": "Parcel",
        "weight": "Weight",
        "tracking": "Tracking no.",
        "notes": "Notes",
    },
}

TEXT = ParagraphStyle("doc-text", fontName=FONT, fontSize=9, leading=11)
SMALL = ParagraphStyle("doc-small", parent=TEXT, fontSize=8, leading=10)
LARGE = ParagraphStyle("doc-large", parent=TEXT, fontSize=11, leading=13)
TITLE = ParagraphStyle("doc-title", parent=TEXT, fontSize=18, leading=22)


def label(key: str, locale: str) -> str:
    """Return a heading word in the locale, English for an unknown locale."""
    return LABELS.get(locale, LABELS["en"])[key]


def para(text: str, style: ParagraphStyle = TEXT) -> Paragraph:
    """Return a paragraph of plain text; names like "A&B <1m>" must not parse as markup."""
    return Paragraph(escape(text), style)


def mask_phone(phone: str) -> str:
    """Hide the middle digits of a phone number, as couriers print it: 138****5678."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def format_quantity(quantity: Decimal, unit: str) -> str:
    """Return the quantity without trailing zeros, with its unit."""
    text = f"{Decimal(quantity).normalize():f}"
    return f"{text} {unit}".strip()


def format_weight(weight_kg: Decimal) -> str:
    """Return the weight in kilograms to two places."""
    return f"{Decimal(weight_kg).quantize(Decimal('0.01'))} kg"


def is_ean13(value: str) -> bool:
    """Tell whether the value is 13 digits with a correct check digit."""
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(value[:12]))
    return (10 - total % 10) % 10 == int(value[12])


def code128(value: str, *, max_width: float, height: float, bar_width: float = 0.8) -> Drawing:
    """Draw a Code128 barcode no wider than max_width; blank if the value cannot be encoded."""
    # Code128 covers ASCII only; the printed text still identifies the item without the bars.
    if not value or not value.isascii():
        return Drawing(max_width, height)
    return _barcode("Code128", value, max_width=max_width, height=height, bar_width=bar_width)


def product_barcode(value: str, *, max_width: float, height: float) -> Drawing:
    """Draw the product barcode as EAN-13 when it is a valid one, else as Code128."""
    if is_ean13(value):
        # Passing 12 digits lets reportlab add the check digit we just verified.
        return _barcode("EAN13", value[:12], max_width=max_width, height=height, bar_width=1.0)
    return code128(value, max_width=max_width, height=height)


def _barcode(
    kind: str, value: str, *, max_width: float, height: float, bar_width: float
) -> Drawing:
    # Quiet zones stay on: scanners need blank space between the bars and the grid lines.
    options = {"value": value, "barHeight": height, "humanReadable": False}
    drawing = createBarcodeDrawing(kind, barWidth=bar_width, **options)
    if drawing.width > max_width:
        drawing = createBarcodeDrawing(kind, width=max_width, height=height, **options)
    return drawing


def qr_code(value: str, *, size: float) -> Drawing:
    """Draw a square QR code of the value."""
    widget = QrCodeWidget(value, barBorder=0)
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def tick_box(size: float = 4 * mm) -> Drawing:
    """Draw the empty square the picker ticks."""
    drawing = Drawing(size + 2, size + 2)
    drawing.add(Rect(1, 1, size, size, fillColor=None, strokeWidth=0.8))
    return drawing


def paged_canvas(reference: str, locale: str) -> type[Canvas]:
    """Return a canvas class whose footers read "<reference>  page X of Y"."""
    page_text = label("page", locale)

    class PagedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            # Hold each page back until the total is known, then draw the footers in save().
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                # Pages get separated on the floor, so every footer names its document too.
                text = f"{reference}    {page_text.format(page=number, pages=total)}"
                self.setFont(FONT, 8)
                self.drawCentredString(self._pagesize[0] / 2, 8 * mm, text)
                super().showPage()
            super().save()

    return PagedCanvas
