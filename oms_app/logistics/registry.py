"""Which adapter serves which carrier code.

Every carrier is served by SimulatedCarrier for now. Real adapters (SF, ZTO, JD... APIs) plug in
here later by code, chosen by settings, behind the same CarrierAdapter protocol.
"""

from __future__ import annotations

from oms_app.logistics.carriers import CARRIERS, CarrierAdapter, CarrierError
from oms_app.logistics.simulated import SimulatedCarrier

_ADAPTERS: dict[str, CarrierAdapter] = {code: SimulatedCarrier(code) for code in CARRIERS}


def get_carrier(code: str) -> CarrierAdapter:
    """Return the adapter for a carrier code."""
    adapter = _ADAPTERS.get(code)
    if adapter is None:
        raise CarrierError("unknown_carrier", code)
    return adapter


def carrier_choices() -> list[tuple[str, str, str]]:
    """List (code, Chinese name, English name) of every carrier, for pickers."""
    return [(info.code, info.name_zh, info.name_en) for info in CARRIERS.values()]
