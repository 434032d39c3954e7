"""The order page names and colours every shipment status in both languages."""

from __future__ import annotations

import pytest

from components.order_shipments import SHIPMENT_COLORS
from oms_app.core.i18n import catalogue
from oms_app.fulfillment.status import ShipmentStatus


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_every_shipment_status_has_a_label_and_a_colour(locale):
    labels = {s.value: catalogue(locale).get(f"shipment_status.{s.value}") for s in ShipmentStatus}
    assert all(labels.values()), labels
    assert set(SHIPMENT_COLORS) == {s.value for s in ShipmentStatus}
