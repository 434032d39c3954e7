"""/warehouse/receiving: scan lines into a receipt, post it, see which backorders it filled."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app.core.errors import DomainError, ValidationErrors
from oms_app.core.paging import PageRequest
from oms_app.fulfillment import receiving
from oms_app.inventory import warehouse_queries
from oms_app.inventory.receiving import MAX_RECEIPT_QTY, new_reference
from state.base import SessionState
from state.focus import focus_field
from state.waves import my_warehouse, opening_warehouse

EXPECTED_PAGE_SIZE = 50
SKU_INPUT = "receive-sku"


def _quantity(text: str) -> int | str:
    """A whole number, or the text itself so the service names what is wrong with it."""
    text = str(text).strip()
    return int(text) if text.isdigit() else text


class ReceivingState(SessionState):
    """One receipt being scanned at one warehouse."""

    warehouses: list[dict[str, str]] = []
    warehouse: str = ""
    _mine_applied: bool = False  # the user's own warehouse is applied once per tab
    lines: list[dict[str, str]] = []  # sku, name, quantity, bin
    bin_text: str = ""  # sticky: a pallet usually goes to one bin
    reference: str = ""
    auto_reference: str = ""  # sent when no reference is typed, so a double post is refused
    expected_id: int = 0
    expected: list[dict] = []
    errors: dict[str, str] = {}
    result: dict = {}
    allocated: list[str] = []
    busy: bool = False

    @rx.var
    def line_errors(self) -> list[str]:
        return [
            " ".join(m for f, m in self.errors.items() if f.startswith(f"lines[{i}]"))
            for i in range(len(self.lines))
        ]

    @rx.var
    def total_quantity(self) -> int:
        return sum(int(q) for ln in self.lines if (q := ln["quantity"]).isdigit())

    async def _run(self, func, **kwargs):
        actor = await self._actor()
        return await asyncio.to_thread(func, self._uow(), actor=actor, **kwargs)

    @rx.event
    async def load(self):
        try:
            self.warehouses = await self._run(warehouse_queries.list_warehouse_options)
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        mine = None if self._mine_applied else await my_warehouse(self)
        self._mine_applied = True
        self.warehouse = opening_warehouse(
            [w["code"] for w in self.warehouses], self.warehouse, mine
        )
        self.auto_reference = self.auto_reference or new_reference()
        await self._load_expected()
        return None

    async def _load_expected(self) -> None:
        if not self.warehouse:
            self.expected = []
            return
        page = await self._run(
            warehouse_queries.list_expected_receipts,
            request=PageRequest(page_size=EXPECTED_PAGE_SIZE),
            warehouse=self.warehouse,
        )
        self.expected = page["rows"]

    @rx.event
    async def pick_warehouse(self, code: str):
        """Another warehouse: its bins and expected receipts differ, so start over."""
        if code == self.warehouse:
            return None
        self.warehouse, self.lines, self.errors, self.expected_id = code, [], {}, 0
        self.bin_text = ""
        await self._load_expected()
        return focus_field(SKU_INPUT)

    @rx.event
    def set_bin_text(self, value: str):
        self.bin_text = value

    @rx.event
    def set_reference(self, value: str):
        self.reference = value

    @rx.event
    async def scan(self, form: dict):
        """Enter in the entry row: add the SKU (or barcode), or more of a line already there."""
        code = str(form.get("sku") or "").strip()
        quantity = str(form.get("quantity") or "1").strip() or "1"
        self.errors = {k: v for k, v in self.errors.items() if not k.startswith("scan_")}
        if not code:
            return focus_field(SKU_INPUT)
        if not quantity.isdigit() or not 1 <= int(quantity) <= MAX_RECEIPT_QTY:
            self.errors["scan_quantity"] = self._tr("error.range", min=1, max=MAX_RECEIPT_QTY)
            return focus_field("receive-quantity")
        found = await self._run(warehouse_queries.find_product_by_code, code=code)
        if found is None:
            self.errors["scan_sku"] = self._tr("error.sku.unknown", value=code[:32])
            return focus_field(SKU_INPUT)
        self._add(found, int(quantity), self.bin_text.strip().upper())
        return focus_field(SKU_INPUT)

    def _add(self, product: dict, quantity: int, bin_code: str) -> None:
        for line in self.lines:
            if line["sku"] == product["sku"] and line["bin"] == bin_code:
                had = line["quantity"].strip()
                line["quantity"] = str((int(had) if had.isdigit() else 0) + quantity)
                self.lines = list(self.lines)
                return
        new = {"sku": product["sku"], "name": product["name"], "bin": bin_code}
        self.lines = [*self.lines, new | {"quantity": str(quantity)}]

    @rx.event
    def set_line(self, index: int, field: str, value: str):
        if 0 <= index < len(self.lines) and field in ("quantity", "bin"):
            self.lines[index][field] = value.strip().upper() if field == "bin" else value
            self.errors.pop(f"lines[{index}].{field}", None)

    @rx.event
    def remove_line(self, index: int):
        self.lines = [ln for i, ln in enumerate(self.lines) if i != index]
        self.errors = {}

    @rx.event
    def receive_against(self, expected_id: int):
        """Receive an expected delivery: its SKU and remaining quantity become a line."""
        row = next((r for r in self.expected if r["id"] == expected_id), None)
        if row is None:
            return None
        self.expected_id = expected_id
        if all(ln["sku"] != row["sku"] for ln in self.lines):
            product = {"sku": row["sku"], "name": row["name"]}
            self._add(product, max(1, row["remaining"]), self.bin_text.strip().upper())
        return focus_field(SKU_INPUT)

    @rx.event
    def clear_expected(self):
        self.expected_id = 0

    @rx.event
    def clear(self):
        self.lines, self.errors, self.expected_id, self.reference = [], {}, 0, ""
        return focus_field(SKU_INPUT)

    @rx.event
    async def receive(self):
        """Post every line; a bad line refuses all and is marked beside its fields."""
        if self.busy:
            return
        self.busy = True
        yield
        lines = [
            receiving.ReceiptLine(ln["sku"], _quantity(ln["quantity"]), ln["bin"])
            for ln in self.lines
        ]
        try:
            result = await self._run(
                receiving.receive_goods,
                warehouse_code=self.warehouse,
                lines=lines,
                reference=self.reference.strip() or self.auto_reference,
                expected_receipt_id=self.expected_id or None,
            )
        except ValidationErrors as err:
            self.busy = False
            self.errors = {e.field or "form": self._tr(e.code, **e.params) for e in err.errors}
            yield rx.toast.error(self._tr("receiving.fix_errors"))
            return
        except DomainError as err:
            self.busy = False
            self.errors = {err.field or "form": self._error_text(err)}
            yield rx.toast.error(self._error_text(err))
            return
        self.result, self.allocated = result, list(result["allocated_orders"])
        self.lines, self.errors, self.expected_id, self.reference = [], {}, 0, ""
        self.auto_reference, self.busy = new_reference(), False
        await self._load_expected()
        yield rx.toast.success(self._tr("receiving.done", reference=result["reference"]))
        yield focus_field(SKU_INPUT)
