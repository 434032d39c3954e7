"""Printable warehouse documents as PDF bytes: pick list, packing slip, shipping labels."""

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
from oms_app.fulfillment.documents_label import shipping_label_pdf
from oms_app.fulfillment.documents_packing import packing_slip_pdf
from oms_app.fulfillment.documents_pick import pick_list_pdf

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
