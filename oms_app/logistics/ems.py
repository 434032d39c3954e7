"""China Post EMS (中国邮政速递物流) through its e-commerce interface: partner id + data digest.

Written from the interface's public conventions as remembered, without access to its documents
here: check every message type, field, code and the endpoint against the documents EMS hands
out with the partner account before switching a shop to live mode. EMS's newer unified API
(amp, SM4-encrypted bodies) is a different shape and not what this adapter speaks.

- One endpoint, `OMS_EMS_API_BASE`, given with the partner account (no public sandbox is known
  here, so it has no default), POSTed as a form: ecCompanyId (the partner id), msg_type,
  logistics_interface (the business JSON as text) and data_digest.
- data_digest = base64(md5(logistics_interface + secret)) over UTF-8, the text exactly as sent.
- The answer: {"retCode": "00000" on success, "retMsg", "retBody"} with the business data in
  retBody (an object or its JSON text); any other retCode is a refusal (S-codes from the gateway).
- Message types: ORDERCREATE (logisticsOrderNo = our order number, bizProductNo, sender,
  receiver, cargos; answer waybillNo), TRACEQUERY ({"waybillNo"}; answer traces with opTime in
  Beijing time, opCode, opName, opDesc, opOrgProvName, opOrgCity) and ORDERCANCEL
  (logisticsOrderNo, cancelReason).

A booking that times out is cancelled by our own logisticsOrderNo (best effort, once), so no
courier comes for an order we never heard back about. Not covered yet: the sender's contact and
phone (BookingRequest has none, the warehouse name stands in) and trace pushes.
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

CODE = "EMS"
CREATE_ORDER = "ORDERCREATE"
TRACE_QUERY = "TRACEQUERY"
CANCEL_ORDER = "ORDERCANCEL"
API_OK = "00000"
PRODUCTS = {"standard": "1", "express": "2"}  # 1 标准快递, 2 特快专递
# opCode of a trace -> our tracking code; any other trace is a movement between offices.
OP_CODES = {
    "203": "picked_up",  # 收寄
    "306": "in_transit",  # 离开处理中心
    "305": "arrival",  # 到达处理中心: ours if it is the destination city
    "702": "out_for_delivery",  # 安排投递
    "704": "delivered",  # 投递结果: 妥投
    "748": "delivered",  # 妥投 (代收)
    "705": "exception",  # 未妥投
    "711": "exception",  # 退回
}


def data_digest(logistics_interface: str, secret: str) -> str:
    """Sign a request as EMS checks it: base64(md5(logistics_interface + secret))."""
    digest = hashlib.md5((logistics_interface + secret).encode("utf-8")).digest()
    return base64.b64encode(digest).decode("ascii")


def logistics_order_no(shipment_number: str, booked_at: datetime) -> str:
    """Our order number at EMS: one per booking attempt, so a re-booking is not a duplicate."""
    return http.attempt_order_id(shipment_number, booked_at)


class EmsCarrier:
    """China Post EMS over HTTP: books collections, reads traces, cancels unpicked orders."""

    code = CODE

    def __init__(
        self, *, partner_id: str, secret: str, api_base: str, timeout: float = http.TIMEOUT_SECONDS
    ):
        if not (partner_id and secret and api_base):
            raise CarrierError("not_configured", CODE)
        info = CARRIERS[CODE]
        self.name_zh, self.name_en, self.services = info.name_zh, info.name_en, info.services
        self._partner_id, self._secret = partner_id, secret
        self._url, self._timeout = api_base, timeout

    def __repr__(self) -> str:
        return f"EmsCarrier({self._url!r})"

    def book(self, request: BookingRequest) -> Booking:
        """Create an EMS order for the collection and return EMS's waybill number."""
        http.check_own(request.carrier, CODE)
        if request.service not in PRODUCTS:
            raise CarrierError("service_unavailable", f"{CODE} has no {request.service}")
        order_no = logistics_order_no(request.shipment_number, request.booked_at)
        try:
            body = self._call(CREATE_ORDER, _order_message(request, order_no), idempotent=False)
        except CarrierError as err:
            # The order may have reached EMS before the line failed: make sure no courier comes.
            if err.code in ("timeout", "network"):
                self._void(order_no)
            raise
        waybill = body.get("waybillNo") or ""
        if not waybill:
            raise CarrierError("refused:no_waybill", order_no)
        return http.booking_of(request, waybill)

    def track(self, booking: Booking, *, now: datetime) -> list[TrackingEvent]:
        """Return EMS's traces up to now, oldest first, in our tracking codes."""
        http.check_own(booking.carrier, CODE)
        body = self._call(TRACE_QUERY, {"waybillNo": booking.tracking_no}, idempotent=True)
        destination = booking.destination_province
        return http.events_until(
            body.get("traces") or [], lambda s: _event(s, destination), now=now, carrier=CODE
        )

    def cancel(self, booking: Booking, *, now: datetime) -> None:
        """Cancel the EMS order behind a booking; EMS refuses once the courier has it."""
        http.check_own(booking.carrier, CODE)
        order_no = logistics_order_no(booking.shipment_number, booking.booked_at)
        self._call(CANCEL_ORDER, _cancel_message(order_no), idempotent=True)

    def _void(self, order_no: str) -> None:
        try:  # best effort, a single attempt: the caller already waits for a failure
            self._call(CANCEL_ORDER, _cancel_message(order_no), idempotent=False)
        except CarrierError:
            pass

    def _call(self, msg_type: str, message: dict, *, idempotent: bool) -> dict:
        text = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        form = {
            "ecCompanyId": self._partner_id,
            "msg_type": msg_type,
            "logistics_interface": text,
            "data_digest": data_digest(text, self._secret),
        }
        response = http.post(
            self._url, data=form, carrier=CODE, timeout=self._timeout, idempotent=idempotent
        )
        return _answer(response)


def _order_message(request: BookingRequest, order_no: str) -> dict:
    return {
        "logisticsOrderNo": order_no,
        "bizProductNo": PRODUCTS[request.service],
        "weight": request.weight_grams,  # grams
        "packageNum": request.parcels,
        "sender": {
            "name": request.origin_city,
            "prov": request.origin_province,
            "city": request.origin_city,
            "address": request.origin_address,
        },
        "receiver": {
            "name": request.receiver,
            "mobile": request.phone,
            "prov": request.destination_province,
            "city": request.destination_city,
            "address": request.destination_address,
        },
        "cargos": [{"cargoName": request.shipment_number, "cargoQuantity": request.parcels}],
    }


def _cancel_message(order_no: str) -> dict:
    return {"logisticsOrderNo": order_no, "cancelReason": "shipment cancelled"}


def _answer(response: httpx.Response) -> dict:
    answer = http.read_json(response, CODE)
    try:
        code = answer.get("retCode") or f"http_{response.status_code}"
        body = answer.get("retBody") if code == API_OK else None
        if isinstance(body, str):
            body = json.loads(body or "{}")
    except (ValueError, AttributeError) as exc:
        raise CarrierError("network", f"{CODE}: unreadable answer {response.status_code}") from exc
    if code != API_OK:
        raise CarrierError(f"refused:{code}", answer.get("retMsg") or "")
    return body if isinstance(body, dict) else {}


def _event(scan: dict, destination_province: str) -> TrackingEvent:
    location = scan.get("opOrgCity") or scan.get("opOrgName") or ""
    code = OP_CODES.get(str(scan.get("opCode") or ""), "in_transit")
    if code == "arrival":
        where = " ".join(str(scan.get(k) or "") for k in ("opOrgProvName", "opOrgCity"))
        code = "arrived_city" if http.in_province(where, destination_province) else "in_transit"
    description = scan.get("opDesc") or scan.get("opName") or ""
    return http.event(http.from_beijing(scan["opTime"]), code, description, location)
