"""Printable warehouse documents as PDF bytes: pick list, packing slip, shipping labels.

Each renderer (and reportlab with it) is imported at the first document, not with the web app.
"""

from __future__ import annotations

from oms_app.fulfillment.document_data import (
    PICKUP,
    Carrier,
    Contact,
    LabelParcel,
    PackedParcel,
    PackingLine,
    PackingSlipData,
    PickLine,
    PickListData,
    ShippingLabelData,
)

__all__ = [
    "PICKUP",
    "Carrier",
    "Contact",
    "LabelParcel",
    "PackedParcel",
    "PackingLine",
    "PackingSlipData",
    "PickLine",
    "PickListData",
    "ShippingLabelData",
    "packing_slip_pdf",
    "pick_list_pdf",
    "shipping_label_pdf",
]


def shipping_label_pdf(data: ShippingLabelData) -> bytes:
    """One label page per parcel of the shipment."""
    from oms_app.fulfillment.documents_label import shipping_label_pdf as render

    return render(data)


def packing_slip_pdf(data: PackingSlipData, *, locale: str = "zh_CN") -> bytes:
    """The shipment's packing slip, A4."""
    from oms_app.fulfillment.documents_packing import packing_slip_pdf as render

    return render(data, locale=locale)


def pick_list_pdf(data: PickListData, *, locale: str = "zh_CN") -> bytes:
    """The wave's pick list, lines in the order given, A4."""
    from oms_app.fulfillment.documents_pick import pick_list_pdf as render

    return render(data, locale=locale)
