"""JD Logistics (京东物流) through the LOP open platform (开放平台 jdl.com), its ECAP express APIs.

Written from the platform's public conventions as remembered, without access to its documents
here: check every path, field, code and the signing recipe against the current jdl.com pages
before switching a shop to live mode.

- One URL per API under `OMS_JD_API_BASE` (UAT https://uat-api.jdl.com, production
  https://api.jdl.com), e.g. `<base>/ecap/v1/orders/create`, POSTed with a JSON array body (the
  API's single request object) and the header `LOP-DN: ECAP`; the system parameters travel in
  the query: app_key, access_token, timestamp ("YYYY-MM-DD HH:MM:SS", Beijing time), v=2.0,
  algorithm=md5-salt and sign.
- sign = lower-hex md5(secret + access_token<token> + app_key<key> + method<path> +
  param_json<body> + timestamp<time> + v<2.0> + secret): the parameters sorted by name, each as
  name then value, the body exactly as sent, over UTF-8 (the "md5-salt" algorithm; LOP also
  offers HMAC ones over the same text).
- The answer: {"code": 0 on success, "msg", "subCode", "data"}; any other code is a refusal.
- APIs: /ecap/v1/orders/create (orderId, senderContact, receiverContact, cargoes, productsReq;
  answer data.waybillCode), /ecap/v1/orders/trace/query ({"waybillCode"}; answer
  data.traceDetails with operationTime, operationTitle, operationRemark and the site in
  operationNodeName) and
  /ecap/v1/orders/cancel (waybillCode, cancelReason).

Scans are mapped by the words of their title (揽收, 到达, 配送, 签收...) since the numeric state
codes could not be checked here. Not covered yet: the customer code (商家编码 / 月结编码) that
JD asks for with each order (no setting for it yet), the sender's contact and phone
(BookingRequest has none), and trace pushes. A booking that times out cannot be voided from here
(JD cancels by its waybill code, which we never got): the shipment is refused with "timeout" and
someone has to check JD's console.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import httpx

from oms_app.logistics import http
from oms_app.logistics.carriers import (
    CARRIERS,
    Booking,
    BookingRequest,
    CarrierError,
    TrackingEvent,
)

CODE = "JD"
VERSION = "2.0"
DOMAIN = "ECAP"  # 快递快运 APIs
CREATE_ORDER = "/ecap/v1/orders/create"
TRACE_QUERY = "/ecap/v1/orders/trace/query"
CANCEL_ORDER = "/ecap/v1/orders/cancel"
PRODUCTS = {"standard": "ed-m-0001", "express": "ed-m-0002"}  # 京东标快, 京东特快
# Words of a scan's title -> our code, the first match wins (拒收 before 签收).
TITLE_WORDS = (
    ("拒收", "exception"),
    ("异常", "exception"),
    ("滞留", "exception"),
    ("退回", "exception"),
    ("签收", "delivered"),
    ("妥投", "delivered"),
    ("配送", "out_for_delivery"),
    ("派送", "out_for_delivery"),
    ("揽收", "picked_up"),
    ("到达", "arrival"),  # ours if it is the destination city
)


def sign(params: dict[str, str], secret: str) -> str:
    """Sign a request as LOP checks it: md5 over secret + sorted name/value pairs + secret."""
    text = secret + "".join(f"{name}{params[name]}" for name in sorted(params)) + secret
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def order_id(shipment_number: str, booked_at: datetime) -> str:
    """Our order id at JD: one per booking attempt, so a re-booking is not a duplicate."""
    return http.attempt_order_id(shipment_number, booked_at)


class JdCarrier:
    """JD Logistics over HTTP: books collections, reads scans, cancels unpicked orders."""

    code = CODE

    def __init__(
        self,
        *,
        app_key: str,
        app_secret: str,
        access_token: str,
        api_base: str,
        timeout: float = http.TIMEOUT_SECONDS,
    ):
        if not (app_key and app_secret and access_token and api_base):
            raise CarrierError("not_configured", CODE)
        info = CARRIERS[CODE]
        self.name_zh, self.name_en, self.services = info.name_zh, info.name_en, info.services
        self._app_key, self._app_secret, self._token = app_key, app_secret, access_token
        self._base, self._timeout = api_base.rstrip("/"), timeout

    def __repr__(self) -> str:
        return f"JdCarrier({self._base!r})"

    def book(self, request: BookingRequest) -> Booking:
        """Create a JD order for the collection and return JD's waybill code."""
        http.check_own(request.carrier, CODE)
        if request.service not in PRODUCTS:
            raise CarrierError("service_unavailable", f"{CODE} has no {request.service}")
        data = self._call(CREATE_ORDER, _order_body(request), idempotent=False)
        waybill = (data if isinstance(data, dict) else {}).get("waybillCode") or ""
        if not waybill:
            raise CarrierError("refused:no_waybill", request.shipment_number)
        return http.booking_of(request, waybill)

    def track(self, booking: Booking, *, now: datetime) -> list[TrackingEvent]:
        """Return JD's scans up to now, oldest first, in our tracking codes."""
        http.check_own(booking.carrier, CODE)
        body = {"waybillCode": booking.tracking_no, "orderOrigin": 1}
        data = self._call(TRACE_QUERY, body, idempotent=True)
        scans = (data if isinstance(data, dict) else {}).get("traceDetails") or []
        destination = booking.destination_province
        return http.events_until(scans, lambda s: _event(s, destination), now=now, carrier=CODE)

    def cancel(self, booking: Booking, *, now: datetime) -> None:
        """Cancel the JD order behind a booking; JD refuses once the courier has it."""
        http.check_own(booking.carrier, CODE)
        body = {
            "waybillCode": booking.tracking_no,
            "orderOrigin": 1,
            "cancelReason": "shipment cancelled",
            "cancelReasonCode": "1",  # 1: the customer no longer sends
        }
        self._call(CANCEL_ORDER, body, idempotent=True)

    def _call(self, path: str, message: dict, *, idempotent: bool):
        body = json.dumps([message], ensure_ascii=False, separators=(",", ":"))
        params = {
            "access_token": self._token,
            "app_key": self._app_key,
            "method": path,
            "param_json": body,
            "timestamp": f"{datetime.now(UTC).astimezone(http.BEIJING):%Y-%m-%d %H:%M:%S}",
            "v": VERSION,
        }
        query = {k: v for k, v in params.items() if k not in ("method", "param_json")}
        query |= {"algorithm": "md5-salt", "sign": sign(params, self._app_secret)}
        response = http.post(
            f"{self._base}{path}",
            content=body,
            params=query,
            headers={"Content-Type": "application/json; charset=utf-8", "LOP-DN": DOMAIN},
            carrier=CODE,
            timeout=self._timeout,
            idempotent=idempotent,
        )
        return _answer(response)


def _order_body(request: BookingRequest) -> dict:
    return {
        "orderId": order_id(request.shipment_number, request.booked_at),
        "orderOrigin": 1,  # 1: an order of a merchant, collected by a JD courier
        "senderContact": {
            "name": request.origin_city,
            "fullAddress": " ".join(
                (request.origin_province, request.origin_city, request.origin_address)
            ),
        },
        "receiverContact": {
            "name": request.receiver,
            "mobile": request.phone,
            "fullAddress": " ".join(
                (
                    request.destination_province,
                    request.destination_city,
                    request.destination_address,
                )
            ),
        },
        "productsReq": {"productCode": PRODUCTS[request.service]},
        "settleType": 3,  # 月结, the usual merchant settlement
        "cargoes": [
            {
                "name": request.shipment_number,
                "quantity": request.parcels,
                "weight": round(request.weight_grams / 1000, 3),  # kg
            }
        ],
    }


def _answer(response: httpx.Response):
    answer = http.read_json(response, CODE)
    if not isinstance(answer, dict):
        raise CarrierError("network", f"{CODE}: unreadable answer {response.status_code}")
    if str(answer.get("code")) != "0":
        code = answer.get("subCode") or answer.get("code") or f"http_{response.status_code}"
        raise CarrierError(f"refused:{code}", answer.get("msg") or answer.get("subMsg") or "")
    return answer.get("data")


def _event(scan: dict, destination_province: str) -> TrackingEvent:
    title = scan.get("operationTitle") or ""
    remark = scan.get("operationRemark") or ""
    location = scan.get("operationNodeName") or ""
    code = next((c for word, c in TITLE_WORDS if word in title), "in_transit")
    if code == "arrival":
        where = f"{location} {remark}"
        code = "arrived_city" if http.in_province(where, destination_province) else "in_transit"
    at = http.scan_time(scan["operationTime"])
    return http.event(at, code, remark or title, location)
