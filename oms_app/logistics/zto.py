"""ZTO Express (中通快递) through the ZOP open platform's japi gateway (JSON body, header digest).

Written from the platform's public conventions as remembered, without access to its documents
here: check every field against the current open.zto.com pages before going live.

- One URL per API under `OMS_ZTO_API_BASE` (test https://japi-test.zto.com, production
  https://japi.zto.com), e.g. `<base>/zto.open.createOrder`; POST with a JSON body and the
  headers `x-appKey` and `x-dataDigest` = base64(md5(body + appSecret)) over UTF-8, the body
  exactly as sent.
- The answer: {"status": true|false, "statusCode", "message", "result"}; gateway refusals are
  S-codes (S211 = bad digest, S208 = missing field, S210 = no access).
- APIs: zto.open.createOrder (partnerOrderCode, senderInfo, receiveInfo, summaryInfo; answer
  result.billCode), zto.merchant.waybill.track.query ({"billCode"}; answer a list of scans with
  scanType, scanDate in ms, desc, scanSite) and zto.open.cancelPreOrder (cancelType, billCode).

We book 预约件 (orderType 2, a courier is dispatched) because only those can be cancelled through
the API, which our compensation needs. A warehouse with an e-waybill account (全网件, orderType 1
with accountInfo) needs an account setting we do not have yet; the sender's contact and phone
are missing too (BookingRequest has none), as is mobilePhone for waybills outside our app key.
A booking that times out cannot be voided from here (ZTO cancels by its own codes, which we
never got): the shipment is refused with "timeout" and someone has to check ZTO's console.
"""

from __future__ import annotations

import base64
import hashlib
import json
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

CODE = "ZTO"
TIMEOUT_SECONDS = http.TIMEOUT_SECONDS
CREATE_ORDER = "zto.open.createOrder"
TRACK_QUERY = "zto.merchant.waybill.track.query"
CANCEL_ORDER = "zto.open.cancelPreOrder"
# scanType (older answers in Chinese, newer and pushed ones as action names) -> our code.
SCAN_TYPES = {
    "收件": "picked_up",
    "GOT": "picked_up",
    "发件": "in_transit",
    "DEPARTURE": "in_transit",
    "到件": "arrival",  # ours if it is the destination city
    "ARRIVAL": "arrival",
    "派件": "out_for_delivery",
    "DISPATCH": "out_for_delivery",
    "INBOUND": "out_for_delivery",  # left at a parcel station for the receiver
    "签收": "delivered",
    "第三方签收": "delivered",
    "SIGNED": "delivered",
    "DEPARTURE_SIGNED": "delivered",
    "HANDOVERSCAN_SIGNED": "delivered",
    "问题件": "exception",
    "PROBLEM": "exception",
    "退件": "exception",
    "RETURN": "exception",
}


def data_digest(body: str, app_secret: str) -> str:
    """Sign a request as ZOP checks it: base64(md5(body + appSecret))."""
    return base64.b64encode(hashlib.md5((body + app_secret).encode("utf-8")).digest()).decode()


def partner_order_code(shipment_number: str, booked_at: datetime) -> str:
    """Our order code at ZTO: one per booking attempt, so a re-booking is not a duplicate."""
    return http.attempt_order_id(shipment_number, booked_at)


class ZtoCarrier:
    """ZTO over HTTP: books collections, reads scans, cancels unpicked orders."""

    code = CODE

    def __init__(
        self, *, app_key: str, app_secret: str, api_base: str, timeout: float = TIMEOUT_SECONDS
    ):
        if not (app_key and app_secret and api_base):
            raise CarrierError("not_configured", CODE)
        info = CARRIERS[CODE]
        self.name_zh, self.name_en, self.services = info.name_zh, info.name_en, info.services
        self._app_key, self._app_secret = app_key, app_secret
        self._base, self._timeout = api_base.rstrip("/"), timeout

    def __repr__(self) -> str:
        return f"ZtoCarrier({self._base!r})"

    def book(self, request: BookingRequest) -> Booking:
        """Create a ZTO order for the collection and return ZTO's bill code."""
        _check_own(request.carrier)
        if request.service not in self.services:
            raise CarrierError("service_unavailable", f"{CODE} has no {request.service}")
        result = self._call(CREATE_ORDER, _order_body(request), idempotent=False)
        bill_code = (result or {}).get("billCode") or ""
        if not bill_code:
            raise CarrierError("refused:no_waybill", request.shipment_number)
        return http.booking_of(request, bill_code)

    def track(self, booking: Booking, *, now: datetime) -> list[TrackingEvent]:
        """Return ZTO's scans up to now, oldest first, in our tracking codes."""
        _check_own(booking.carrier)
        scans = self._call(TRACK_QUERY, {"billCode": booking.tracking_no}, idempotent=True)
        destination = booking.destination_province
        return http.events_until(
            scans or [], lambda s: _event(s, destination), now=now, carrier=CODE
        )

    def cancel(self, booking: Booking, *, now: datetime) -> None:
        """Cancel the ZTO order behind a booking; ZTO refuses once the courier has it."""
        _check_own(booking.carrier)
        body = {"cancelType": "1", "billCode": booking.tracking_no}  # 1: no longer sending
        self._call(CANCEL_ORDER, body, idempotent=True)

    def _call(self, api: str, payload: dict, *, idempotent: bool):
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "x-appKey": self._app_key,
            "x-dataDigest": data_digest(body, self._app_secret),
        }
        url = f"{self._base}/{api}"
        response = http.post(
            url,
            content=body,
            headers=headers,
            carrier=CODE,
            timeout=self._timeout,
            idempotent=idempotent,
        )
        return _answer(response)


def _check_own(carrier: str) -> None:
    http.check_own(carrier, CODE)


def _order_body(request: BookingRequest) -> dict:
    return {
        "partnerType": "2",  # a direct customer, not a ZTO franchise
        "orderType": "2",  # 预约件: ZTO dispatches a courier; cancellable through the API
        "partnerOrderCode": partner_order_code(request.shipment_number, request.booked_at),
        "senderInfo": {
            "senderName": request.origin_city,
            "senderProvince": request.origin_province,
            "senderCity": request.origin_city,
            "senderAddress": request.origin_address,
        },
        "receiveInfo": {
            "receiverName": request.receiver,
            "receiverMobile": request.phone,
            "receiverProvince": request.destination_province,
            "receiverCity": request.destination_city,
            "receiverAddress": request.destination_address,
        },
        "summaryInfo": {"quantity": request.parcels},
        "orderItems": [
            {
                "name": request.shipment_number,
                "weight": request.weight_grams,  # grams
                "quantity": request.parcels,
            }
        ],
    }


def _answer(response: httpx.Response):
    try:
        answer = response.json()
        ok = answer.get("status") is True
    except (ValueError, AttributeError) as exc:
        raise CarrierError("network", f"{CODE}: unreadable answer {response.status_code}") from exc
    if not ok:
        code = answer.get("statusCode") or f"http_{response.status_code}"
        raise CarrierError(f"refused:{code}", answer.get("message") or "")
    return answer.get("result")


def _event(scan: dict, destination_province: str) -> TrackingEvent:
    site = scan.get("scanSite") or {}
    location = site.get("city") or site.get("name") or ""
    code = SCAN_TYPES.get(str(scan.get("scanType") or ""), "in_transit")
    if code == "arrival":
        where = " ".join(str(site.get(k) or "") for k in ("prov", "city", "name"))
        code = "arrived_city" if http.in_province(where, destination_province) else "in_transit"
    return http.event(http.scan_time(scan["scanDate"]), code, scan.get("desc") or "", location)
