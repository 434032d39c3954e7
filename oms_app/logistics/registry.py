"""Which adapter serves which carrier code.

`OMS_CARRIER_MODE=simulated` (the default): SimulatedCarrier serves every carrier, no network.
`OMS_CARRIER_MODE=live`: SF, ZTO, YTO, JD and EMS call their open platforms (sf_express.py,
zto.py, yto.py, jd.py, ems.py) and refuse with CarrierError("not_configured") while their
credentials are incomplete: a live system never hands out simulated tracking numbers.
FREIGHT has no real adapter (LTL is booked by phone) and stays simulated.
"""

from __future__ import annotations

from collections.abc import Callable

from oms_app.core.config import Settings, get_settings
from oms_app.logistics.carriers import CARRIERS, CarrierAdapter, CarrierError
from oms_app.logistics.ems import EmsCarrier
from oms_app.logistics.jd import JdCarrier
from oms_app.logistics.sf_express import SfExpressCarrier
from oms_app.logistics.simulated import SimulatedCarrier
from oms_app.logistics.yto import YtoCarrier
from oms_app.logistics.zto import ZtoCarrier

_SIMULATED: dict[str, CarrierAdapter] = {code: SimulatedCarrier(code) for code in CARRIERS}
_LIVE: dict[str, Callable[[Settings], CarrierAdapter]] = {
    "SF": lambda s: SfExpressCarrier(
        partner_id=s.sf_partner_id, check_word=s.sf_check_word, api_base=s.sf_api_base
    ),
    "ZTO": lambda s: ZtoCarrier(
        app_key=s.zto_app_key, app_secret=s.zto_app_secret, api_base=s.zto_api_base
    ),
    "YTO": lambda s: YtoCarrier(
        app_key=s.yto_app_key, secret=s.yto_secret, api_base=s.yto_api_base
    ),
    "JD": lambda s: JdCarrier(
        app_key=s.jd_app_key,
        app_secret=s.jd_app_secret,
        access_token=s.jd_access_token,
        api_base=s.jd_api_base,
    ),
    "EMS": lambda s: EmsCarrier(
        partner_id=s.ems_partner_id, secret=s.ems_secret, api_base=s.ems_api_base
    ),
}


def get_carrier(code: str) -> CarrierAdapter:
    """Return the adapter for a carrier code, real or simulated as the settings say."""
    adapter = _SIMULATED.get(code)
    if adapter is None:
        raise CarrierError("unknown_carrier", code)
    settings = get_settings()
    if settings.carrier_mode != "live" or code not in _LIVE:
        return adapter
    return _LIVE[code](settings)  # raises not_configured without (all) credentials


def carrier_choices() -> list[tuple[str, str, str]]:
    """List (code, Chinese name, English name) of every carrier, for pickers."""
    return [(info.code, info.name_zh, info.name_en) for info in CARRIERS.values()]
