"""YTO Express (圆通速递) through the YTO open platform's `/open/<method>/v1/<app key>` gateway.

Written from the platform's public conventions as remembered, without access to its documents
here: check every method name, field and code against the current open.yto.net.cn pages before
switching a shop to live mode.

- One URL per method under `OMS_YTO_API_BASE` (test https://openuat.yto56test.com:6443,
  production https://openapi.yto.net.cn:11443): `<base>/open/<method>/v1/<app key>`, POSTed
  as JSON {"timestamp" (ms), "param" (the business JSON as text), "format": "JSON", "sign"}.
- sign = base64(md5(param + method + "v1" + secret)) over UTF-8, the param text exactly as sent.
- Methods: privacy_create_adapter (our logisticsNo, sender*/recipient* fields; answer mailNo),
  track_query_adapter ({"Number": waybill}; answer a list of scans with upload_Time in Beijing
  time, infoContent as an action name, processInfo, city) and korder_cancel_adapter
  (logisticsNo, cancelDesc).
- A refusal is an object with "success": false (or "false") and "code", "message".

A booking that times out is cancelled by our own logisticsNo (best effort, once), so no courier
comes for an order we never heard back about. Not covered yet: the customer code and monthly
account of an e-waybill contract, the sender's contact and phone (BookingRequest has none, the
warehouse name stands in), and track pushes.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from datetime import datetime

import httpx

from oms_app.logistics import http
from oms_app.logistics.carriers import (
    CARRIERS,
    Booking,
    BookingRequest,
    CarrierError,
    TrackingEvent,
)

CODE = "YTO"
VERSION = "v1"
CREATE_ORDER = "privacy_create_adapter"
TRACK_QUERY = "track_query_adapter"
CANCEL_ORDER = "korder_cancel_adapter"
# infoContent of a scan -> our tracking code; any other scan is a movement between hubs.
INFO_CONTENTS = {
    "GOT": "picked_up",  # 已揽收
    "DEPARTURE": "in_transit",  # 已发出
    "ARRIVAL": "arrival",  # 已到达: ours if it is the destination city
    "SENT_SCAN": "out_for_delivery",  # 派件中
    "INBOUND": "out_for_delivery",  # 已入驿站 / 快递柜, waiting for the receiver
    "SIGNED": "delivered",  # 已签收
    "FAILED": "exception",  # 签收失败
    "TMS_RETURN": "exception",  # 退回
}


def sign(param: str, method: str, secret: str) -> str:
    """Sign a request as YTO checks it: base64(md5(param + method + version + secret))."""
    digest = hashlib.md5((param + method + VERSION + secret).encode("utf-8")).digest()
    return base64.b64encode(digest).decode("ascii")


def logistics_no(shipment_number: str, booked_at: datetime) -> str:
    """Our order number at YTO: one per booking attempt, so a re-booking is not a duplicate."""
    return http.attempt_order_id(shipment_number, booked_at)


class YtoCarrier:
    """YTO over HTTP: books collections, reads scans, cancels unpicked orders."""

    code = CODE

    def __init__(
        self, *, app_key: str, secret: str, api_base: str, timeout: float = http.TIMEOUT_SECONDS
    ):
        if not (app_key and secret and api_base):
            raise CarrierError("not_configured", CODE)
        info = CARRIERS[CODE]
        self.name_zh, self.name_en, self.services = info.name_zh, info.name_en, info.services
        self._app_key, self._secret = app_key, secret
        self._base, self._timeout = api_base.rstrip("/"), timeout

    def __repr__(self) -> str:
        return f"YtoCarrier({self._base!r})"

    def book(self, request: BookingRequest) -> Booking:
        """Create a YTO order for the collection and return YTO's waybill number."""
        http.check_own(request.carrier, CODE)
        if request.service not in self.services:
            raise CarrierError("service_unavailable", f"{CODE} has no {request.service}")
        order_no = logistics_no(request.shipment_number, request.booked_at)
        try:
            result = self._call(CREATE_ORDER, _order_param(request, order_no), idempotent=False)
        except CarrierError as err:
            # The order may have reached YTO before the line failed: make sure no courier comes.
            if err.code in ("timeout", "network"):
                self._void(order_no)
            raise
        waybill = (result if isinstance(result, dict) else {}).get("mailNo") or ""
        if not waybill:
            raise CarrierError("refused:no_waybill", order_no)
        return http.booking_of(request, waybill)

    def track(self, booking: Booking, *, now: datetime) -> list[TrackingEvent]:
        """Return YTO's scans up to now, oldest first, in our tracking codes."""
        http.check_own(booking.carrier, CODE)
        scans = self._call(TRACK_QUERY, {"Number": booking.tracking_no}, idempotent=True)
        destination = booking.destination_province
        return http.events_until(
            scans if isinstance(scans, list) else [],
            lambda s: _event(s, destination),
            now=now,
            carrier=CODE,
        )

    def cancel(self, booking: Booking, *, now: datetime) -> None:
        """Cancel the YTO order behind a booking; YTO refuses once the courier has it."""
        http.check_own(booking.carrier, CODE)
        order_no = logistics_no(booking.shipment_number, booking.booked_at)
        self._call(CANCEL_ORDER, _cancel_param(order_no), idempotent=True)

    def _void(self, order_no: str) -> None:
        try:  # best effort, a single attempt: the caller already waits for a failure
            self._call(CANCEL_ORDER, _cancel_param(order_no), idempotent=False)
        except CarrierError:
            pass

    def _call(self, method: str, message: dict, *, idempotent: bool):
        param = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        payload = {
            "timestamp": str(int(time.time() * 1000)),
            "param": param,
            "format": "JSON",
            "sign": sign(param, method, self._secret),
        }
        response = http.post(
            f"{self._base}/open/{method}/{VERSION}/{self._app_key}",
            content=json.dumps(payload, ensure_ascii=False),
            headers={"Content-Type": "application/json; charset=utf-8"},
            carrier=CODE,
            timeout=self._timeout,
            idempotent=idempotent,
        )
        return _answer(response)


def _order_param(request: BookingRequest, order_no: str) -> dict:
    return {
        "logisticsNo": order_no,
        "senderName": request.origin_city,
        "senderProvinceName": request.origin_province,
        "senderCityName": request.origin_city,
        "senderAddress": request.origin_address,
        "recipientName": request.receiver,
        "recipientMobile": request.phone,
        "recipientProvinceName": request.destination_province,
        "recipientCityName": request.destination_city,
        "recipientAddress": request.destination_address,
        "weight": round(request.weight_grams / 1000, 3),  # kg
        "goodsName": request.shipment_number,
        "goodsNumber": request.parcels,
    }


def _cancel_param(order_no: str) -> dict:
    return {"logisticsNo": order_no, "cancelDesc": "shipment cancelled"}


def _answer(response: httpx.Response):
    answer = http.read_json(response, CODE)
    refused = isinstance(answer, dict) and str(answer.get("success", "")).lower() == "false"
    if refused or response.status_code >= 400:
        body = answer if isinstance(answer, dict) else {}
        code = body.get("code") or f"http_{response.status_code}"
        raise CarrierError(f"refused:{code}", body.get("message") or "")
    return answer


def _event(scan: dict, destination_province: str) -> TrackingEvent:
    location = scan.get("city") or ""
    code = INFO_CONTENTS.get(str(scan.get("infoContent") or ""), "in_transit")
    if code == "arrival":
        where = f"{location} {scan.get('processInfo') or ''}"
        code = "arrived_city" if http.in_province(where, destination_province) else "in_transit"
    at = http.from_beijing(scan["upload_Time"])
    return http.event(at, code, scan.get("processInfo") or "", location)
