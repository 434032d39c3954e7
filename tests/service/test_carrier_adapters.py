"""The SF and ZTO adapters over real HTTP, against local servers playing the carriers' side.

Each stand-in server checks the request signature the way its carrier does (with its own
implementation, not the adapter's) and answers in the carrier's shapes.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import socket
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from oms_app.core.config import reset_settings_cache
from oms_app.logistics.carriers import BookingRequest, CarrierError
from oms_app.logistics.registry import get_carrier
from oms_app.logistics.sf_express import SfExpressCarrier
from oms_app.logistics.simulated import SimulatedCarrier
from oms_app.logistics.zto import ZtoCarrier

BOOKED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PARTNER, CHECK_WORD = "OMS_TEST", "sf-check-word~1"
APP_KEY, APP_SECRET = "zto-app-key", "zto-app-secret"


def booking_request(carrier: str) -> BookingRequest:
    return BookingRequest(
        shipment_number="SH-2026-000123",
        carrier=carrier,
        service="standard",
        origin_province="上海市",
        origin_city="上海一号仓",
        origin_address="浦东新区张江路 88 号 仓库 1",
        destination_province="浙江省",
        destination_city="杭州市",
        destination_address="西湖区文三路 1~3 号 (北门) *收发室*",
        receiver="王芳",
        phone="13800138000",
        weight_grams=2500,
        parcels=2,
        booked_at=BOOKED,
    )


def java_url_encode(text: str) -> str:
    """java.net.URLEncoder.encode(text, "UTF-8"), byte by byte."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if byte < 128 and (char.isalnum() or char in ".-*_"):
            out.append(char)
        elif char == " ":
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def b64_md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


class CarrierServer(ThreadingHTTPServer):
    """A carrier's gateway on 127.0.0.1; `mode` may be "silent" or "drop_first"."""

    daemon_threads = True

    def __init__(self, handler):
        super().__init__(("127.0.0.1", 0), handler)
        self.seen: list[str] = []  # service or API names, in arrival order
        self.orders: dict[str, dict] = {}
        self.routes: dict[str, list[dict]] = {}
        self.mode = ""
        self.release = threading.Event()
        self.numbers = itertools.count(1)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class CarrierHandler(BaseHTTPRequestHandler):
    server: CarrierServer

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        name = self.name(body)
        self.server.seen.append(name)
        if self.server.mode == "silent":
            self.server.release.wait(10)
            return
        if self.server.mode == "drop_first" and len(self.server.seen) == 1:
            self.close_connection = True
            return
        data = json.dumps(self.answer(name, body), ensure_ascii=False).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class SfHandler(CarrierHandler):
    """丰桥: a form with partnerID, serviceCode, timestamp, msgData and msgDigest."""

    def name(self, body: bytes) -> str:
        return parse_qs(body.decode("utf-8"))["serviceCode"][0]

    def answer(self, name: str, body: bytes) -> dict:
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
        signed = java_url_encode(form["msgData"] + form["timestamp"] + CHECK_WORD)
        if form["partnerID"] != PARTNER or form["msgDigest"] != b64_md5(signed.encode()):
            return {"apiResultCode": "A1006", "apiErrorMsg": "数字签名无效", "apiResultData": None}
        message = json.loads(form["msgData"])
        success, data = getattr(self, name.lower())(message)
        result = {"success": success, "errorCode": "S0000" if success else data, "msgData": data}
        return {"apiResultCode": "A1000", "apiErrorMsg": "", "apiResultData": json.dumps(result)}

    def exp_rece_create_order(self, message: dict):
        if message["orderId"] in self.server.orders:
            return False, "8016"  # 重复下单
        waybill = f"SF{next(self.server.numbers):013d}"
        self.server.orders[message["orderId"]] = {"waybill": waybill, "message": message}
        return True, {
            "orderId": message["orderId"],
            "waybillNoInfoList": [{"waybillType": 1, "waybillNo": waybill}],
        }

    def exp_rece_search_routes(self, message: dict):
        numbers = message["trackingNumber"]
        return True, {
            "routeResps": [{"mailNo": n, "routes": self.server.routes.get(n, [])} for n in numbers]
        }

    def exp_rece_update_order(self, message: dict):
        order = self.server.orders.get(message["orderId"])
        if order is None or message["dealType"] != 2:
            return False, "8018"  # 未获取到订单信息
        order["cancelled"] = True
        return True, {"orderId": message["orderId"], "resStatus": 2}


class ZtoHandler(CarrierHandler):
    """ZOP: JSON body at /<api>, signed in the x-appKey and x-dataDigest headers."""

    def name(self, body: bytes) -> str:
        return self.path.strip("/")

    def answer(self, name: str, body: bytes) -> dict:
        digest = b64_md5(body + APP_SECRET.encode("utf-8"))
        if self.headers.get("x-appKey") != APP_KEY or self.headers.get("x-dataDigest") != digest:
            return {"status": False, "statusCode": "S211", "message": "签名错误", "result": None}
        payload = json.loads(body)
        if name == "zto.open.createOrder":
            bill = f"73{next(self.server.numbers):012d}"
            self.server.orders[bill] = payload
            return {
                "status": True,
                "statusCode": "0000",
                "message": "成功",
                "result": {"billCode": bill, "partnerOrderCode": payload["partnerOrderCode"]},
            }
        if name == "zto.merchant.waybill.track.query":
            scans = self.server.routes.get(payload["billCode"], [])
            return {"status": True, "statusCode": "SYS000", "message": "", "result": scans}
        self.server.orders[payload["billCode"]]["cancelled"] = True
        return {"status": True, "statusCode": "SYS000", "message": "请求成功", "result": {}}


@pytest.fixture
def sf_server():
    yield from _serve(SfHandler)


@pytest.fixture
def zto_server():
    yield from _serve(ZtoHandler)


def _serve(handler):
    server = CarrierServer(handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def sf(server: CarrierServer, check_word: str = CHECK_WORD, timeout: float = 2.0):
    url = f"{server.url}/std/service"
    return SfExpressCarrier(
        partner_id=PARTNER, check_word=check_word, api_base=url, timeout=timeout
    )


def zto(server: CarrierServer, secret: str = APP_SECRET, timeout: float = 2.0):
    return ZtoCarrier(app_key=APP_KEY, app_secret=secret, api_base=server.url, timeout=timeout)


def test_booking_with_sf_returns_the_waybill_number_sf_issued(sf_server):
    # when
    booking = sf(sf_server).book(booking_request("SF"))
    # then
    ((order_id, order),) = sf_server.orders.items()
    assert booking.tracking_no == order["waybill"] == "SF0000000000001"
    assert order_id == "SH-2026-000123-20260302090000"
    receiver = order["message"]["contactInfoList"][1]
    assert receiver["address"] == "西湖区文三路 1~3 号 (北门) *收发室*"
    assert (booking.origin_province, booking.destination_province) == ("上海市", "浙江省")


def test_booking_with_zto_returns_the_bill_code_zto_issued(zto_server):
    booking = zto(zto_server).book(booking_request("ZTO"))
    ((bill, order),) = zto_server.orders.items()
    assert booking.tracking_no == bill == "73000000000001"
    assert order["receiveInfo"]["receiverName"] == "王芳"


def test_a_wrong_check_word_is_refused_and_books_nothing(sf_server, zto_server):
    with pytest.raises(CarrierError) as sf_err:
        sf(sf_server, check_word="not-the-check-word").book(booking_request("SF"))
    with pytest.raises(CarrierError) as zto_err:
        zto(zto_server, secret="not-the-secret").book(booking_request("ZTO"))
    assert sf_err.value.code == "refused:A1006"
    assert zto_err.value.code == "refused:S211"
    assert sf_server.orders == {} and zto_server.orders == {}


def test_a_carrier_that_does_not_answer_in_time_is_a_timeout_and_the_order_is_voided(sf_server):
    # given
    sf_server.mode = "silent"
    # when
    with pytest.raises(CarrierError) as err:
        sf(sf_server, timeout=0.3).book(booking_request("SF"))
    # then the booking fails, and SF is asked to cancel whatever it may have taken
    assert err.value.code == "timeout"
    assert sf_server.seen == ["EXP_RECE_CREATE_ORDER", "EXP_RECE_UPDATE_ORDER"]


def test_a_zto_that_does_not_answer_in_time_is_a_timeout(zto_server):
    zto_server.mode = "silent"
    with pytest.raises(CarrierError) as err:
        zto(zto_server, timeout=0.3).book(booking_request("ZTO"))
    assert err.value.code == "timeout"
    assert zto_server.seen == ["zto.open.createOrder"]  # a booking is never sent twice


def test_tracking_retries_once_after_a_dropped_connection(sf_server):
    sf_server.mode = "drop_first"
    carrier = sf(sf_server)
    assert carrier.track(booking_of(carrier, sf_server), now=BOOKED) == []
    assert sf_server.seen == ["EXP_RECE_SEARCH_ROUTES", "EXP_RECE_SEARCH_ROUTES"]


def test_a_carrier_nobody_listens_for_is_a_network_error():
    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    carrier = SfExpressCarrier(
        partner_id=PARTNER, check_word=CHECK_WORD, api_base=f"http://127.0.0.1:{port}"
    )
    with pytest.raises(CarrierError) as err:
        carrier.book(booking_request("SF"))
    assert err.value.code == "network"


def booking_of(carrier, server):
    server.mode, mode = "", server.mode
    booking = carrier.book(booking_request(carrier.code))
    server.seen.clear()
    server.mode = mode
    return booking


def test_sf_route_scans_map_to_our_tracking_codes_in_utc(sf_server):
    # given SF's scans in Beijing time, out of order, one still in the future
    carrier = sf(sf_server)
    booking = booking_of(carrier, sf_server)
    sf_server.routes[booking.tracking_no] = [
        scan("2026-03-03 15:30:00", "杭州市", "已签收", "80"),
        scan("2026-03-02 18:00:00", "上海市", "顺丰速运 已收取快件", "50"),
        scan("2026-03-02 20:00:00", "上海市", "快件已发车", "30"),
        scan("2026-03-02 23:00:00", "嘉兴市", "快件到达 【嘉兴中转场】", "31"),
        scan("2026-03-03 06:00:00", "杭州市", "快件到达 【杭州转运中心】", "31"),
        scan("2026-03-03 09:00:00", "杭州市", "正在派送途中", "44"),
        scan("2026-03-03 09:30:00", "杭州市", "快件滞留", "33"),
    ]
    # when
    events = carrier.track(booking, now=datetime(2026, 3, 3, 4, 0, tzinfo=UTC))
    # then
    assert [e.code for e in events] == [
        "picked_up",
        "in_transit",
        "in_transit",
        "arrived_city",
        "out_for_delivery",
        "exception",
    ]
    assert events[0].at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert (events[3].location, events[3].description_en) == (
        "杭州市",
        "Arrived in the destination city",
    )
    later = carrier.track(booking, now=BOOKED + timedelta(days=2))
    assert later[-1].code == "delivered" and later[-1].description_zh == "已签收"


def scan(at: str, where: str, remark: str, op_code: str) -> dict:
    return {"acceptTime": at, "acceptAddress": where, "remark": remark, "opCode": op_code}


def test_zto_scans_map_to_our_tracking_codes(zto_server):
    carrier = zto(zto_server)
    booking = booking_of(carrier, zto_server)
    at = BOOKED + timedelta(hours=1)
    zto_server.routes[booking.tracking_no] = [
        zto_scan(at, "收件", "上海市"),
        zto_scan(at + timedelta(hours=2), "发件", "上海市"),
        zto_scan(at + timedelta(hours=9), "ARRIVAL", "杭州市", prov="浙江省"),
        zto_scan(at + timedelta(hours=12), "派件", "杭州市"),
        zto_scan(at + timedelta(hours=15), "签收", "杭州市"),
    ]
    events = carrier.track(booking, now=BOOKED + timedelta(days=1))
    assert [e.code for e in events] == [
        "picked_up",
        "in_transit",
        "arrived_city",
        "out_for_delivery",
        "delivered",
    ]
    assert events[0].at == at


def zto_scan(at: datetime, scan_type: str, city: str, prov: str = "") -> dict:
    return {
        "scanType": scan_type,
        "scanDate": int(at.timestamp() * 1000),
        "desc": f"【{city}】{scan_type}",
        "scanSite": {"name": f"{city}网点", "city": city, "prov": prov},
    }


def test_cancelling_a_booking_cancels_the_carriers_order(sf_server, zto_server):
    for carrier, server in ((sf(sf_server), sf_server), (zto(zto_server), zto_server)):
        booking = carrier.book(booking_request(carrier.code))
        assert carrier.cancel(booking, now=BOOKED) is None
        assert [o.get("cancelled") for o in server.orders.values()] == [True]


@pytest.fixture
def settings_env(monkeypatch):
    reset_settings_cache()
    yield monkeypatch
    reset_settings_cache()


def test_live_mode_uses_a_real_carrier_only_when_its_credentials_are_set(settings_env):
    # given live mode, SF configured, ZTO not
    settings_env.setenv("OMS_CARRIER_MODE", "live")
    settings_env.setenv("OMS_SF_PARTNER_ID", PARTNER)
    settings_env.setenv("OMS_SF_CHECK_WORD", CHECK_WORD)
    settings_env.setenv("OMS_ZTO_APP_KEY", "")
    reset_settings_cache()
    # then
    assert isinstance(get_carrier("SF"), SfExpressCarrier)
    with pytest.raises(CarrierError) as err:
        get_carrier("ZTO")
    assert err.value.code == "not_configured"
    with pytest.raises(CarrierError) as unconfigured:  # live never falls back to simulated
        get_carrier("YTO")
    assert unconfigured.value.code == "not_configured"


def test_simulated_mode_is_the_default_and_never_calls_out(settings_env):
    settings_env.delenv("OMS_CARRIER_MODE", raising=False)
    settings_env.setenv("OMS_SF_PARTNER_ID", PARTNER)
    reset_settings_cache()
    assert all(isinstance(get_carrier(c), SimulatedCarrier) for c in ("SF", "ZTO", "EMS"))
