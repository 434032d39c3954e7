"""The YTO, JD and EMS adapters over real HTTP, against local servers playing the carriers' side.

Each stand-in checks the request signature with its own implementation of the carrier's recipe
(not the adapter's) and answers in the carrier's shapes. Tracking is in the _tracking file.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from oms_app.core.config import reset_settings_cache
from oms_app.logistics.carriers import CarrierError
from oms_app.logistics.ems import EmsCarrier
from oms_app.logistics.jd import JdCarrier
from oms_app.logistics.registry import get_carrier
from oms_app.logistics.simulated import SimulatedCarrier
from oms_app.logistics.yto import YtoCarrier
from tests.service.test_carrier_adapters import (
    BOOKED,
    CarrierHandler,
    _serve,
    b64_md5,
    booking_request,
)

YTO_KEY, YTO_SECRET = "K21000119", "yto-secret~1"
JD_KEY, JD_SECRET, JD_TOKEN = "jd-app-key", "jd-app-secret", "jd-access-token"
EMS_PARTNER, EMS_SECRET = "EMS-PARTNER-1", "ems-partner-key"


class YtoHandler(CarrierHandler):
    """YTO: JSON {timestamp, param, format, sign} at /open/<method>/v1/<app key>."""

    def name(self, body: bytes) -> str:
        return self.path.split("/")[2]

    def answer(self, name: str, body: bytes):
        _, _, method, version, app_key = self.path.split("/")
        payload = json.loads(body)
        signed = (payload["param"] + method + version + YTO_SECRET).encode("utf-8")
        if app_key != YTO_KEY or payload["sign"] != b64_md5(signed):
            return {"success": False, "code": "S01", "message": "签名验证失败"}
        param = json.loads(payload["param"])
        orders = self.server.orders
        if method == "privacy_create_adapter":
            mail_no = f"YT{next(self.server.numbers):013d}"
            orders[param["logisticsNo"]] = {"mailNo": mail_no, "param": param}
            return {"logisticsNo": param["logisticsNo"], "mailNo": mail_no}
        if method == "track_query_adapter":
            return self.server.routes.get(param["Number"], [])
        if param["logisticsNo"] not in orders:
            return {"success": False, "code": "1001", "message": "订单不存在"}
        orders[param["logisticsNo"]]["cancelled"] = True
        return {"success": True, "code": "0", "message": "取消成功"}


class JdHandler(CarrierHandler):
    """JD LOP: a JSON array body at the API path, system parameters and sign in the query."""

    def name(self, body: bytes) -> str:
        return urlsplit(self.path).path

    def answer(self, name: str, body: bytes):
        query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        datetime.strptime(query["timestamp"], "%Y-%m-%d %H:%M:%S")  # Beijing wall-clock
        text = (
            f"{JD_SECRET}access_token{query['access_token']}app_key{query['app_key']}"
            f"method{name}param_json{body.decode('utf-8')}timestamp{query['timestamp']}"
            f"v{query['v']}{JD_SECRET}"
        )
        good = hashlib.md5(text.encode("utf-8")).hexdigest()
        if (query["app_key"], query["access_token"]) != (JD_KEY, JD_TOKEN) or (
            query["sign"] != good or self.headers.get("LOP-DN") != "ECAP"
        ):
            return {"code": 1004, "subCode": "1004", "msg": "签名校验失败", "data": None}
        (request,) = json.loads(body)
        if name == "/ecap/v1/orders/create":
            waybill = f"JDV{next(self.server.numbers):012d}"
            self.server.orders[waybill] = request
            return {"code": 0, "msg": "成功", "data": {"waybillCode": waybill}}
        if name == "/ecap/v1/orders/trace/query":
            scans = self.server.routes.get(request["waybillCode"], [])
            return {"code": 0, "msg": "成功", "data": {"traceDetails": scans}}
        self.server.orders[request["waybillCode"]]["cancelled"] = True
        return {"code": 0, "msg": "成功", "data": {"resultType": 1}}


class EmsHandler(CarrierHandler):
    """EMS: a form with ecCompanyId, msg_type, logistics_interface and data_digest."""

    def name(self, body: bytes) -> str:
        return parse_qs(body.decode("utf-8"))["msg_type"][0]

    def answer(self, name: str, body: bytes):
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8")).items()}
        signed = (form["logistics_interface"] + EMS_SECRET).encode("utf-8")
        if form["ecCompanyId"] != EMS_PARTNER or form["data_digest"] != b64_md5(signed):
            return {"retCode": "S02", "retMsg": "数字签名错误", "retBody": None}
        message = json.loads(form["logistics_interface"])
        orders = self.server.orders
        if name == "ORDERCREATE":
            waybill = f"E{next(self.server.numbers):09d}CN"
            orders[message["logisticsOrderNo"]] = {"waybillNo": waybill, "message": message}
            body_text = json.dumps({"waybillNo": waybill}, ensure_ascii=False)
            return {"retCode": "00000", "retMsg": "成功", "retBody": body_text}
        if name == "TRACEQUERY":
            traces = self.server.routes.get(message["waybillNo"], [])
            return {"retCode": "00000", "retMsg": "成功", "retBody": {"traces": traces}}
        if message["logisticsOrderNo"] not in orders:
            return {"retCode": "B0101", "retMsg": "订单不存在", "retBody": None}
        orders[message["logisticsOrderNo"]]["cancelled"] = True
        return {"retCode": "00000", "retMsg": "成功", "retBody": {}}


@pytest.fixture
def yto_server():
    yield from _serve(YtoHandler)


@pytest.fixture
def jd_server():
    yield from _serve(JdHandler)


@pytest.fixture
def ems_server():
    yield from _serve(EmsHandler)


def yto(server, secret: str = YTO_SECRET, timeout: float = 2.0) -> YtoCarrier:
    return YtoCarrier(app_key=YTO_KEY, secret=secret, api_base=server.url, timeout=timeout)


def jd(server, secret: str = JD_SECRET, timeout: float = 2.0) -> JdCarrier:
    return JdCarrier(
        app_key=JD_KEY,
        app_secret=secret,
        access_token=JD_TOKEN,
        api_base=server.url,
        timeout=timeout,
    )


def ems(server, secret: str = EMS_SECRET, timeout: float = 2.0) -> EmsCarrier:
    url = f"{server.url}/eis/api"
    return EmsCarrier(partner_id=EMS_PARTNER, secret=secret, api_base=url, timeout=timeout)


def test_booking_with_yto_returns_the_waybill_number_yto_issued(yto_server):
    booking = yto(yto_server).book(booking_request("YTO"))
    ((order_no, order),) = yto_server.orders.items()
    assert booking.tracking_no == order["mailNo"] == "YT0000000000001"
    assert order_no == "SH-2026-000123-20260302090000"
    assert order["param"]["recipientAddress"] == "西湖区文三路 1~3 号 (北门) *收发室*"
    assert (booking.origin_province, booking.destination_province) == ("上海市", "浙江省")


def test_booking_with_jd_returns_the_waybill_code_jd_issued(jd_server):
    booking = jd(jd_server).book(booking_request("JD"))
    ((waybill, order),) = jd_server.orders.items()
    assert booking.tracking_no == waybill == "JDV000000000001"
    assert order["orderId"] == "SH-2026-000123-20260302090000"
    assert order["receiverContact"]["name"] == "王芳"


def test_booking_with_ems_returns_the_waybill_number_ems_issued(ems_server):
    booking = ems(ems_server).book(booking_request("EMS"))
    ((order_no, order),) = ems_server.orders.items()
    assert booking.tracking_no == order["waybillNo"] == "E000000001CN"
    assert order_no == "SH-2026-000123-20260302090000"
    assert order["message"]["weight"] == 2500


def test_a_wrong_secret_is_refused_by_every_carrier_and_books_nothing(
    yto_server, jd_server, ems_server
):
    # given each carrier signed with a secret the carrier does not know
    cases = (
        (yto(yto_server, secret="wrong"), yto_server, "refused:S01"),
        (jd(jd_server, secret="wrong"), jd_server, "refused:1004"),
        (ems(ems_server, secret="wrong"), ems_server, "refused:S02"),
    )
    for carrier, server, code in cases:
        # when
        with pytest.raises(CarrierError) as err:
            carrier.book(booking_request(carrier.code))
        # then
        assert err.value.code == code
        assert server.orders == {}


def test_a_silent_yto_or_ems_is_a_timeout_and_the_order_is_voided(yto_server, ems_server):
    yto_server.mode = ems_server.mode = "silent"
    for carrier in (yto(yto_server, timeout=0.3), ems(ems_server, timeout=0.3)):
        with pytest.raises(CarrierError) as err:
            carrier.book(booking_request(carrier.code))
        assert err.value.code == "timeout"
    # the booking is sent once, then cancelled by our order number
    assert yto_server.seen == ["privacy_create_adapter", "korder_cancel_adapter"]
    assert ems_server.seen == ["ORDERCREATE", "ORDERCANCEL"]


def test_a_silent_jd_is_a_timeout_and_the_booking_is_not_sent_twice(jd_server):
    jd_server.mode = "silent"
    with pytest.raises(CarrierError) as err:
        jd(jd_server, timeout=0.3).book(booking_request("JD"))
    assert err.value.code == "timeout"
    assert jd_server.seen == ["/ecap/v1/orders/create"]


def test_a_booking_whose_line_dropped_is_not_resent_but_voided(ems_server):
    ems_server.mode = "drop_first"
    with pytest.raises(CarrierError) as err:
        ems(ems_server).book(booking_request("EMS"))
    assert err.value.code == "network"
    assert ems_server.seen == ["ORDERCREATE", "ORDERCANCEL"]


def test_cancelling_a_booking_cancels_the_carriers_order(yto_server, jd_server, ems_server):
    for carrier, server in (
        (yto(yto_server), yto_server),
        (jd(jd_server), jd_server),
        (ems(ems_server), ems_server),
    ):
        booking = carrier.book(booking_request(carrier.code))
        assert carrier.cancel(booking, now=BOOKED) is None
        assert [o.get("cancelled") for o in server.orders.values()] == [True]


CREDENTIALS = (
    "OMS_YTO_APP_KEY",
    "OMS_YTO_SECRET",
    "OMS_JD_APP_KEY",
    "OMS_JD_APP_SECRET",
    "OMS_JD_ACCESS_TOKEN",
    "OMS_EMS_PARTNER_ID",
    "OMS_EMS_SECRET",
    "OMS_EMS_API_BASE",
)


@pytest.fixture
def live_env(monkeypatch):
    for name in CREDENTIALS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OMS_CARRIER_MODE", "live")
    reset_settings_cache()
    yield monkeypatch
    reset_settings_cache()


def test_live_mode_uses_the_yto_jd_and_ems_adapters_once_configured(live_env):
    # given all three configured
    values = (YTO_KEY, YTO_SECRET, JD_KEY, JD_SECRET, JD_TOKEN, EMS_PARTNER, EMS_SECRET)
    for name, value in zip(CREDENTIALS, (*values, "https://ems.example.test/api"), strict=True):
        live_env.setenv(name, value)
    reset_settings_cache()
    # then
    assert isinstance(get_carrier("YTO"), YtoCarrier)
    assert isinstance(get_carrier("JD"), JdCarrier)
    assert isinstance(get_carrier("EMS"), EmsCarrier)
    assert isinstance(get_carrier("FREIGHT"), SimulatedCarrier)


def test_live_mode_refuses_a_half_or_unconfigured_carrier(
    live_env,
):
    # given JD with an app key only, EMS without its endpoint, YTO with nothing
    live_env.setenv("OMS_JD_APP_KEY", JD_KEY)
    live_env.setenv("OMS_EMS_PARTNER_ID", EMS_PARTNER)
    live_env.setenv("OMS_EMS_SECRET", EMS_SECRET)
    reset_settings_cache()
    # then
    for code in ("JD", "EMS"):
        with pytest.raises(CarrierError) as err:
            get_carrier(code)
        assert err.value.code == "not_configured"
    with pytest.raises(CarrierError) as unconfigured:
        get_carrier("YTO")
    assert unconfigured.value.code == "not_configured"
