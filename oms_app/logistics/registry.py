"""Which adapter serves which carrier code.

`OMS_CARRIER_MODE=simulated` (the default): SimulatedCarrier serves every carrier, no network.
`OMS_CARRIER_MODE=live`: SF and ZTO call their open platforms (sf_express.py, zto.py) and refuse
with CarrierError("not_configured") while their credentials are missing; YTO, JD, EMS and
FREIGHT have no real adapter yet and stay simulated even in live mode.
"""

from __future__ import annotations

from collections.abc import Callable

from oms_app.core.config import Settings, get_settings
from oms_app.logistics.carriers import CARRIERS, CarrierAdapter, CarrierError
from oms_app.logistics.sf_express import SfExpressCarrier
from oms_app.logistics.simulated import SimulatedCarrier
from oms_app.logistics.zto import ZtoCarrier

_SIMULATED: dict[str, CarrierAdapter] = {code: SimulatedCarrier(code) for code in CARRIERS}
_LIVE: dict[str, Callable[[Settings], CarrierAdapter]] = {
    "SF": lambda s: SfExpressCarrier(
        partner_id=s.sf_partner_id, check_word=s.sf_check_word, api_base=s.sf_api_base
    ),
    "ZTO": lambda s: ZtoCarrier(
        app_key=s.zto_app_key, app_secret=s.zto_app_secret, api_base=s.zto_api_base
    ),
}


def get_carrier(code: str) -> CarrierAdapter:
    """Return the adapter for a carrier code, real or simulated as the settings say."""
    adapter = _SIMULATED.get(code)
    if adapter is None:
        raise CarrierError("unknown_carrier", code)
    settings = get_settings()
    if settings.carrier_mode == "live" and code in _LIVE:
        return _LIVE[code](settings)  # raises not_configured without credentials
    return adapter


def carrier_choices() -> list[tuple[str, str, str]]:
    """List (code, Chinese name, English name) of every carrier, for pickers."""
    return [(info.code, info.name_zh, info.name_en) for info in CARRIERS.values()]
