"""SF Express (顺丰速运) through its 丰桥 open platform, the `/std/service` gateway ("sfapi").

Written from the platform's public conventions as remembered, without access to its documents
here: check every field against the current 丰桥 pages before switching a shop to live mode.

- One endpoint (`OMS_SF_API_BASE`: sandbox https://sfapi-sbox.sf-express.com/std/service,
  production https://sfapi.sf-express.com/std/service), POSTed as a form: partnerID (顾客编码),
  requestID, serviceCode, timestamp (ms), msgData (JSON text) and msgDigest.
- msgDigest = base64(md5(urlencode(msgData + timestamp + checkWord))) over UTF-8, where the url
  encoding is Java's `URLEncoder.encode(text, "UTF-8")` (the platform's reference code is Java):
  space becomes "+", letters, digits and `.-*_` stay, everything else is %XX (so "~" too).
- The answer: {"apiResultCode": "A1000" on success (A1001..A1099 gateway refusals, A1006 = bad
  digest), "apiErrorMsg", "apiResultData": JSON text {"success", "errorCode", "errorMsg",
  "msgData"}}.
- Services: EXP_RECE_CREATE_ORDER (the 2.0 order shape: contactInfoList, cargoDetails,
  expressTypeId; answer waybillNoInfoList), EXP_RECE_SEARCH_ROUTES (by waybill number; answer
  routeResps[].routes[] with acceptTime, acceptAddress, remark, opCode) and
  EXP_RECE_UPDATE_ORDER with dealType 2 to cancel.

Not covered yet: the monthly account (月结卡号, so the courier collects cash), the sender's
contact and phone (BookingRequest has none, the warehouse name stands in), checkPhoneNo for
waybills outside our account, and route pushes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
import uuid
from datetime import datetime
from urllib.parse import quote_plus

import httpx

from oms_app.logistics import http
from oms_app.logistics.carriers import (
    CARRIERS,
    Booking,
    BookingRequest,
    CarrierError,
    TrackingEvent,
)

CODE = "SF"
TIMEOUT_SECONDS = http.TIMEOUT_SECONDS
CREATE_ORDER = "EXP_RECE_CREATE_ORDER"
SEARCH_ROUTES = "EXP_RECE_SEARCH_ROUTES"
UPDATE_ORDER = "EXP_RECE_UPDATE_ORDER"
API_OK = "A1000"
EXPRESS_TYPES = {"express": 1, "standard": 2}  # 1 顺丰特快, 2 顺丰标快
# opCode of a route scan -> our tracking code; any other scan is a movement between hubs.
OP_CODES = {
    "50": "picked_up",  # 顺丰已收取快件
    "30": "in_transit",  # 快件已发车 / 已装车
    "31": "arrival",  # 快件到达某中转场: ours if it is the destination city
    "44": "out_for_delivery",  # 正在派送途中
    "80": "delivered",  # 已签收
    "70": "exception",  # 派件不成功
    "33": "exception",  # 派件异常 / 滞留
}


def msg_digest(msg_data: str, timestamp: str, check_word: str) -> str:
    """Sign a request as 丰桥 checks it: base64(md5(Java-urlencode(data + time + check word)))."""
    # quote_plus keeps "~", Java's URLEncoder does not; both keep "*" only when told.
    encoded = quote_plus(msg_data + timestamp + check_word, safe="*").replace("~", "%7E")
    return base64.b64encode(hashlib.md5(encoded.encode("utf-8")).digest()).decode("ascii")


def carrier_order_id(shipment_number: str, booked_at: datetime) -> str:
    """Our order id at SF: one per booking attempt, since SF never accepts an id twice."""
    return http.attempt_order_id(shipment_number, booked_at)


class SfExpressCarrier:
    """SF Express over HTTP: books collections, reads route scans, cancels unpicked orders."""

    code = CODE

    def __init__(
        self, *, partner_id: str, check_word: str, api_base: str, timeout: float = TIMEOUT_SECONDS
    ):
        if not (partner_id and check_word and api_base):
            raise CarrierError("not_configured", CODE)
        info = CARRIERS[CODE]
        self.name_zh, self.name_en, self.services = info.name_zh, info.name_en, info.services
        self._partner_id, self._check_word = partner_id, check_word
        self._url, self._timeout = api_base, timeout

    def __repr__(self) -> str:
        return f"SfExpressCarrier({self._url!r})"

    def book(self, request: BookingRequest) -> Booking:
        """Create an SF order for the collection and return SF's waybill number."""
        _check_own(request.carrier)
        if request.service not in EXPRESS_TYPES:
            raise CarrierError("service_unavailable", f"{CODE} has no {request.service}")
        order_id = carrier_order_id(request.shipment_number, request.booked_at)
        try:
            data = self._call(CREATE_ORDER, _order_message(request, order_id), idempotent=False)
        except CarrierError as err:
            # The order may have reached SF before the line failed: make sure no courier comes.
            if err.code in ("timeout", "network"):
                self._void(order_id)
            raise
        waybill = next(
            (w.get("waybillNo") for w in data.get("waybillNoInfoList") or [] if w.get("waybillNo")),
            "",
        )
        if not waybill:
            raise CarrierError("refused:no_waybill", order_id)
        return http.booking_of(request, waybill)  # SF's cloud print asks for the waybill no.

    def track(self, booking: Booking, *, now: datetime) -> list[TrackingEvent]:
        """Return SF's route scans up to now, oldest first, in our tracking codes."""
        _check_own(booking.carrier)
        message = {
            "language": "zh-CN",
            "trackingType": 1,  # by waybill number
            "trackingNumber": [booking.tracking_no],
            "methodType": 1,  # standard route query
        }
        data = self._call(SEARCH_ROUTES, message, idempotent=True)
        scans = [
            route
            for found in data.get("routeResps") or []
            if found.get("mailNo") == booking.tracking_no
            for route in found.get("routes") or []
        ]
        destination = booking.destination_province
        return http.events_until(scans, lambda s: _event(s, destination), now=now, carrier=CODE)

    def cancel(self, booking: Booking, *, now: datetime) -> None:
        """Cancel the SF order behind a booking; SF refuses once the courier has it."""
        _check_own(booking.carrier)
        order_id = carrier_order_id(booking.shipment_number, booking.booked_at)
        self._call(UPDATE_ORDER, {"orderId": order_id, "dealType": 2}, idempotent=True)

    def _void(self, order_id: str) -> None:
        try:  # best effort, a single attempt: the caller already waits for a failure
            self._call(UPDATE_ORDER, {"orderId": order_id, "dealType": 2}, idempotent=False)
        except CarrierError:
            pass

    def _call(self, service_code: str, message: dict, *, idempotent: bool) -> dict:
        msg_data = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        timestamp = str(int(time.time() * 1000))
        form = {
            "partnerID": self._partner_id,
            "requestID": uuid.uuid4().hex,
            "serviceCode": service_code,
            "timestamp": timestamp,
            "msgDigest": msg_digest(msg_data, timestamp, self._check_word),
            "msgData": msg_data,
        }
        response = http.post(
            self._url, data=form, carrier=CODE, timeout=self._timeout, idempotent=idempotent
        )
        return _answer(response)


def _check_own(carrier: str) -> None:
    http.check_own(carrier, CODE)


def _order_message(request: BookingRequest, order_id: str) -> dict:
    sender = {
        "contactType": 1,
        "contact": request.origin_city,
        "province": request.origin_province,
        "city": request.origin_city,
        "address": request.origin_address,
        "country": "CN",
    }
    receiver = {
        "contactType": 2,
        "contact": request.receiver,
        "mobile": request.phone,
        "province": request.destination_province,
        "city": request.destination_city,
        "address": request.destination_address,
        "country": "CN",
    }
    return {
        "language": "zh-CN",
        "orderId": order_id,
        "expressTypeId": EXPRESS_TYPES[request.service],
        "payMethod": 1,  # the sender pays
        "parcelQty": request.parcels,
        "totalWeight": round(request.weight_grams / 1000, 3),  # kg
        "cargoDetails": [{"name": request.shipment_number, "count": request.parcels}],
        "contactInfoList": [sender, receiver],
    }


def _answer(response: httpx.Response) -> dict:
    try:
        body = response.json()
        code = body.get("apiResultCode") or f"http_{response.status_code}"
        result = json.loads(body.get("apiResultData") or "{}") if code == API_OK else {}
    except (ValueError, AttributeError) as exc:
        raise CarrierError("network", f"{CODE}: unreadable answer {response.status_code}") from exc
    if code != API_OK:
        raise CarrierError(f"refused:{code}", body.get("apiErrorMsg") or "")
    if not result.get("success"):
        raise CarrierError(
            f"refused:{result.get('errorCode') or 'unknown'}", result.get("errorMsg") or ""
        )
    return result.get("msgData") or {}


def _event(scan: dict, destination_province: str) -> TrackingEvent:
    location = scan.get("acceptAddress") or ""
    code = OP_CODES.get(str(scan.get("opCode") or ""), "in_transit")
    if code == "arrival":
        code = "arrived_city" if http.in_province(location, destination_province) else "in_transit"
    at = http.from_beijing(scan["acceptTime"])
    return http.event(at, code, scan.get("remark") or "", location)
