"""/warehouse/picking: walk a wave with a keyboard-wedge scanner, bin first, then the goods."""

from __future__ import annotations

import reflex as rx

from oms_app.core.errors import DomainError
from oms_app.fulfillment import picking as pick_service
from oms_app.fulfillment import waves as wave_service
from state.focus import focus_field
from state.outage import answers_outage
from state.waves import FloorState, local_time

SCAN_INPUT = "scan-input"
RESOLUTION_KEY = "picking.resolution_"  # + where the missing goods come from
OPEN_WAVES = ("planned", "picking")


def _int_or_text(text: str) -> int | str | None:
    """A typed quantity: empty means all that remains; anything else the service judges."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if text.isdigit() else text


class PickingState(FloorState):
    """One picker walking one wave; the server decides every pick."""

    wave: str = ""
    wave_status: str = ""
    cutoff: str = ""
    open_waves: list[dict[str, str]] = []
    lines: list[dict[str, str]] = []
    scanned_bin: str = ""  # empty: the next scan is the bin
    quantity: str = ""
    error: str = ""
    ok: str = ""
    flash: str = ""  # "", "ok" or "error": the card's colour after the last scan
    short_open: bool = False
    short_found: str = ""
    short_reason: str = ""
    busy: bool = False

    @rx.var
    def current(self) -> dict[str, str]:
        """The first line still open, in walking order."""
        return next((ln for ln in self.lines if ln["state"] == "open"), {})

    @rx.var
    def has_current(self) -> bool:
        return any(ln["state"] == "open" for ln in self.lines)

    @rx.var
    def progress(self) -> str:
        done = sum(1 for ln in self.lines if ln["state"] != "open")
        return f"{done} / {len(self.lines)}"

    @rx.var
    def step(self) -> str:
        return "item" if self.scanned_bin else "bin"

    @rx.event
    async def load(self):
        """Open the wave named in ?wave=, else offer the open waves."""
        self._reset_scan()
        wanted = (self.router.page.params.get("wave") or "").strip().upper()
        try:
            await self._load_warehouses()
            await self._load_open_waves()
            if wanted or self.wave:
                await self._load_wave(wanted or self.wave)
        except DomainError as err:
            self.wave, self.lines = "", []
            return rx.toast.error(self._msg(err))
        return focus_field(SCAN_INPUT)

    async def _load_open_waves(self) -> None:
        """The open waves of the chosen warehouse (of every one until a warehouse is chosen)."""
        found = await self._run(wave_service.list_waves, warehouse_code=self.warehouse)
        self.open_waves = [
            {"number": w["number"], "label": f"{w['number']} · {w['warehouse']}"}
            for w in found
            if w["status"] in OPEN_WAVES
        ]

    @rx.event
    @answers_outage
    async def pick_warehouse(self, code: str):
        """Another warehouse: offer its open waves."""
        if code == self.warehouse:
            return None
        self._reset_scan()
        self.warehouse, self.wave, self.wave_status, self.lines = code, "", "", []
        try:
            await self._load_open_waves()
        except DomainError as err:
            return rx.toast.error(self._msg(err))
        return None

    async def _load_wave(self, number: str) -> None:
        data = await self._run(wave_service.get_pick_list, wave_number=number)
        self.wave, self.wave_status = data["number"], data["status"]
        self.cutoff = local_time(data["cutoff_at"], self.tz)
        self.lines = [
            {
                "id": str(ln["id"]),
                "seq": str(ln["seq"]),
                "bin": ln["bin"],
                "sku": ln["sku"],
                "barcode": ln["barcode"] or "",
                "name": ln["name"],
                "unit": ln["unit"],
                "quantity": str(ln["quantity"]),
                "picked": str(ln["picked"]),
                "remaining": str(ln["quantity"] - ln["picked"]),
                "state": ln["state"],
                "shipment": ln["shipment"],
                "order": ln["order"],
            }
            for ln in data["lines"]
        ]

    def _reset_scan(self) -> None:
        self.scanned_bin, self.quantity, self.error, self.ok, self.flash = "", "", "", "", ""

    @rx.event
    @answers_outage
    async def choose_wave(self, number: str):
        self._reset_scan()
        try:
            await self._load_wave(number)
        except DomainError as err:
            return rx.toast.error(self._msg(err))
        return focus_field(SCAN_INPUT)

    @rx.event
    @answers_outage
    async def start_wave(self):
        """The picker takes the wave (the first scan would do it too)."""
        try:
            await self._run(wave_service.start_wave, wave_number=self.wave)
            await self._load_wave(self.wave)
        except DomainError as err:
            return rx.toast.error(self._msg(err))
        return focus_field(SCAN_INPUT)

    @rx.event
    def set_quantity(self, value: str):
        self.quantity = value

    def _refuse(self, message: str) -> None:
        self.error, self.ok, self.flash = message, "", "error"

    def _on_outage(self, text: str) -> None:
        """The scan could not be applied: say so at the scan field and take the next one."""
        self.busy = False
        self._refuse(text)

    @rx.event
    @answers_outage
    async def scan(self, form: dict):
        """Enter from the scanner: the bin first, then the item's barcode (or SKU)."""
        code = str(form.get("scan") or "").strip().upper()
        line = self.current
        if not code or not line or self.busy:
            return focus_field(SCAN_INPUT)
        if not self.scanned_bin:
            if code != line["bin"]:  # instant feedback; the server checks again on confirm
                self._refuse(self._tr("error.pick.wrong_bin", expected=line["bin"], scanned=code))
            else:
                self.scanned_bin, self.error, self.flash = code, "", ""
                self.ok = self._tr("picking.bin_ok", bin=code)
            return focus_field(SCAN_INPUT)
        return await self._confirm(line, code)

    async def _confirm(self, line: dict[str, str], barcode: str):
        self.busy = True
        try:
            result = await self._run(
                pick_service.confirm_pick,
                pick_id=int(line["id"]),
                bin_code=self.scanned_bin,
                barcode=barcode,
                quantity=_int_or_text(self.quantity),
            )
        except DomainError as err:
            self.busy = False
            self._refuse(self._msg(err))
            if err.code in ("error.pick.wrong_bin", "error.pick.closed"):
                self.scanned_bin = ""
            if err.code == "error.pick.closed":
                await self._reload()
            return focus_field(SCAN_INPUT)
        self.busy = False
        self.scanned_bin, self.quantity, self.error, self.flash = "", "", "", "ok"
        self.ok = self._tr(
            "picking.picked",
            sku=line["sku"],
            picked=result["picked"],
            remaining=result["remaining"],
        )
        await self._reload()
        return focus_field(SCAN_INPUT)

    async def _reload(self) -> None:
        try:
            await self._load_wave(self.wave)
        except DomainError as err:
            self.error = self._msg(err)

    @rx.event
    def clear_bin(self):
        """Scan the bin again (the picker walked to another one)."""
        self._reset_scan()
        return focus_field(SCAN_INPUT)

    @rx.event
    def open_short(self):
        self.short_open, self.short_found, self.short_reason = True, "", ""

    @rx.event
    def set_short_open(self, value: bool):
        self.short_open = value

    @rx.event
    def set_short_found(self, value: str):
        self.short_found = value

    @rx.event
    def set_short_reason(self, value: str):
        self.short_reason = value

    @rx.event
    @answers_outage
    async def report_short(self):
        """The bin holds less than booked: record what was found, the rest is found elsewhere."""
        line = self.current
        if not line or not self.scanned_bin:  # the picker must stand at the bin
            return None
        text = self.short_found.strip()
        try:
            result = await self._run(
                pick_service.report_short,
                pick_id=int(line["id"]),
                bin_code=self.scanned_bin,
                found=int(text) if text.isdigit() else -1,
                reason=self.short_reason.strip()[:200],
            )
        except DomainError as err:
            self._refuse(self._msg(err))
            return None
        self.short_open = False
        self._reset_scan()
        self.flash = "ok"
        self.ok = self._tr(
            "picking.short_done",
            sku=line["sku"],
            short=result["short"],
            resolution=self._tr(RESOLUTION_KEY + result["resolution"]),
        )
        await self._reload()
        return focus_field(SCAN_INPUT)
