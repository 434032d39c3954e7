"""/warehouse/packing: scan picked goods into parcels, weigh them, confirm the carrier, ship."""

from __future__ import annotations

import reflex as rx

from oms_app.core.errors import DomainError
from oms_app.fulfillment import document_queries, floor_queries
from oms_app.fulfillment import packing as pack_service
from oms_app.fulfillment import shipping as ship_service
from oms_app.logistics.registry import carrier_choices
from state.focus import focus_field
from state.outage import answers_outage
from state.waves import FloorState

SHIPMENT_INPUT = "pack-shipment-input"
SCAN_INPUT = "pack-scan-input"
CONFIRM_BUTTON = "pack-confirm-quantity"
MEASURES = ("weight", "length", "width", "height")


def _whole(text: str) -> int | str:
    """A whole number, or the text itself so the service names what is wrong with it."""
    text = str(text or "").strip()
    return int(text) if text.isdigit() else text


class PackingState(FloorState):
    """One shipment at the packing table of the chosen warehouse."""

    shipments: list[dict[str, str]] = []
    number: str = ""
    shipment: dict[str, str] = {}  # number, order, customer, status, delivery_method, ...
    lines: list[dict[str, str]] = []
    parcels: list[dict[str, str]] = []
    parcel: dict[str, str] = {name: "" for name in MEASURES}
    carrier: str = ""
    pickup_code: str = ""
    error: str = ""
    ok: str = ""
    busy: bool = False
    quantity: str = "1"  # units the next scan packs; more than one is confirmed first
    confirm_open: bool = False
    confirm_text: str = ""
    _pending: dict[str, str] = {}  # the scan waiting for the confirm: barcode, quantity

    @rx.var
    def carriers(self) -> list[dict[str, str]]:
        return [
            {"code": code, "name": name_zh if self.lang == "zh_CN" else name_en}
            for code, name_zh, name_en in carrier_choices()
        ]

    @rx.var
    def is_pickup(self) -> bool:
        return self.shipment.get("delivery_method", "") == "pickup"

    @rx.var
    def status(self) -> str:
        return self.shipment.get("status", "")

    @rx.var
    def slip_ready(self) -> bool:
        """The documents' links show once they can be printed (before, they would answer an
        error, not a PDF)."""
        return document_queries.slip_ready(self.shipment.get("status", ""))

    @rx.var
    def label_ready(self) -> bool:
        return document_queries.label_ready(
            delivery_method=self.shipment.get("delivery_method", ""),
            status=self.shipment.get("status", ""),
            tracking_no=self.shipment.get("tracking_no", ""),
            pickup_code=self.shipment.get("pickup_code", ""),
        )

    @rx.event
    async def load(self):
        try:
            await self._load_warehouses()
            await self._load_list()
            if self.number:
                await self._load_shipment(self.number)
        except DomainError as err:
            return rx.toast.error(self._msg(err))
        return focus_field(SHIPMENT_INPUT)

    async def _load_list(self) -> None:
        if not self.warehouse:
            self.shipments = []
            return
        rows = await self._run(floor_queries.list_packable, warehouse_code=self.warehouse)
        self.shipments = [{k: str(v or "") for k, v in row.items()} for row in rows]

    async def _load_shipment(self, number: str) -> None:
        data = await self._run(pack_service.get_packing, shipment_number=number)
        self._show(data)

    def _show(self, data: dict) -> None:
        self.number = data["number"]
        self.shipment = {
            k: str(data.get(k) or "")
            for k in (
                "number",
                "order",
                "customer",
                "status",
                "delivery_method",
                "carrier",
                "pickup_code",
                "tracking_no",
                "weight_grams",
                "shipping_cost",
            )
        }
        self.carrier = self.carrier or data["carrier"] or ""
        self.lines = [
            {
                "sku": x["sku"],
                "name": x["name"],
                "unit": x["unit"],
                "barcode": x["barcode"] or "",
                "picked": str(x["picked"]),
                "packed": str(x["packed"]),
                "left": str(max(x["picked"] - x["packed"], 0)),
                "done": "1" if x["packed"] >= x["picked"] else "",
            }
            for x in data["lines"]
        ]
        self.parcels = [
            {
                "no": str(p["no"]),
                "items": ", ".join(f"{sku} × {n}" for sku, n in p["items"].items()),
                "weight": str(p["weight_grams"] or ""),
                "size": p["size"],
                "closed": "1" if p["closed"] else "",
            }
            for p in data["parcels"]
        ]

    @rx.event
    async def pick_warehouse(self, code: str):
        self.warehouse, self.number, self.shipment, self.lines, self.parcels = code, "", {}, [], []
        return await self.load()

    @rx.event
    @answers_outage
    async def open_shipment(self, number: str):
        self.carrier, self.pickup_code, self.error, self.ok = "", "", "", ""
        self.parcel = {name: "" for name in MEASURES}
        try:
            await self._load_shipment(number)
        except DomainError as err:
            self.error = self._msg(err)
            return focus_field(SHIPMENT_INPUT)
        return focus_field(SCAN_INPUT)

    @rx.event
    async def scan_shipment(self, form: dict):
        """A shipment number scanned from the pick slip or the tote."""
        number = str(form.get("shipment") or "").strip().upper()
        if number:
            return await self.open_shipment(number)
        return focus_field(SHIPMENT_INPUT)

    def _on_outage(self, text: str) -> None:
        """The scan or step could not be applied: say so where the packer looks."""
        self.busy, self.error, self.ok = False, text, ""

    async def _act(self, func, **kwargs) -> object | None:
        """Call a packing service on the open shipment; show its refusal, reload the view."""
        self.busy, self.error, self.ok = True, "", ""
        try:
            result = await self._run(func, shipment_number=self.number, **kwargs)
        except DomainError as err:
            self.error = self._msg(err)
            result = None
        self.busy = False
        try:
            await self._load_shipment(self.number)
            await self._load_list()
        except DomainError as err:
            self.error = self.error or self._msg(err)
        return result

    @rx.event
    def set_quantity(self, value: str):
        self.quantity = value

    def _line_for(self, code: str) -> dict[str, str] | None:
        wanted = code.upper()
        return next(
            (x for x in self.lines if wanted in (x["sku"].upper(), x["barcode"].upper())), None
        )

    @rx.event
    @answers_outage
    async def scan_item(self, form: dict):
        """An item scanned into the open parcel (a new parcel opens after a closed one).

        The quantity field (1 unless typed) says how many units the scan stands for; more
        than one waits for the packer's confirm. The service checks it against what is left.
        """
        code = str(form.get("barcode") or "").strip()
        if not code or not self.number or self.busy:
            return focus_field(SCAN_INPUT)
        quantity = _whole(self.quantity or "1")
        line = self._line_for(code)
        if isinstance(quantity, int) and quantity > 1 and line is not None:
            self._pending = {"barcode": code, "quantity": str(quantity)}
            self.confirm_text = self._tr(
                "packing.confirm_quantity", quantity=quantity, sku=line["sku"], left=line["left"]
            )
            self.confirm_open = True
            return focus_field(CONFIRM_BUTTON)
        await self._pack(code, quantity)
        return focus_field(SCAN_INPUT)

    async def _pack(self, code: str, quantity: int | str) -> None:
        result = await self._act(pack_service.scan_item, barcode=code, quantity=quantity)
        if result:
            self.ok = self._tr("packing.scanned", **result)
            self.quantity = "1"

    @rx.event
    @answers_outage
    async def confirm_quantity(self):
        """The packer confirmed packing several units with one scan."""
        pending, self._pending, self.confirm_open = self._pending, {}, False
        if pending and self.number and not self.busy:
            await self._pack(pending["barcode"], int(pending["quantity"]))
        return focus_field(SCAN_INPUT)

    @rx.event
    def set_confirm_open(self, value: bool):
        """Closing the dialog without confirming packs nothing."""
        self.confirm_open = value
        if not value:
            self._pending = {}

    @rx.event
    def set_measure(self, name: str, value: str):
        if name in MEASURES:
            self.parcel[name] = value

    @rx.event
    @answers_outage
    async def close_parcel(self):
        result = await self._act(
            pack_service.close_parcel,
            weight_grams=_whole(self.parcel["weight"]),
            length_cm=_whole(self.parcel["length"]),
            width_cm=_whole(self.parcel["width"]),
            height_cm=_whole(self.parcel["height"]),
        )
        if result:
            self.parcel = {name: "" for name in MEASURES}
            self.ok = self._tr("packing.parcel_closed", no=result)
        return focus_field(SCAN_INPUT)

    @rx.event
    def set_carrier(self, code: str):
        self.carrier = code

    @rx.event
    def set_pickup_code(self, value: str):
        self.pickup_code = value

    @rx.event
    @answers_outage
    async def finish_packing(self):
        result = await self._act(pack_service.finish_packing, carrier=self.carrier or None)
        if result:
            self.ok = self._tr("packing.packed")

    @rx.event
    @answers_outage
    async def ship(self):
        result = await self._act(ship_service.ship_shipment, pickup_code=self.pickup_code.strip())
        if result:
            self.pickup_code = ""
            self.ok = self._tr("packing.shipped", tracking=result.get("tracking_no") or "")
