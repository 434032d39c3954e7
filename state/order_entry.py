"""/orders/new: keyboard-first order entry with instant, server-side validation."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from decimal import Decimal, InvalidOperation

import reflex as rx

from oms_app import routes
from oms_app.catalog import pricing
from oms_app.core.errors import DomainError, ValidationErrors
from oms_app.customers import queries as customer_queries
from oms_app.orders import rules
from oms_app.orders import service as order_service
from oms_app.orders import templates as order_templates
from state.base import SessionState

ADDRESS_FIELDS = ("province", "city", "district", "street", "postcode", "receiver", "phone")


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.strip()) if text.strip() else None
    except InvalidOperation:
        return Decimal("-1")  # shown back as "must be above 0" by the rules


def _int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        return 0


class OrderEntryState(SessionState):
    customer_query: str = ""
    customer_options: list[dict] = []
    customer_code: str = ""
    customer_name: str = ""
    address: dict[str, str] = {name: "" for name in ADDRESS_FIELDS}
    sku_query: str = ""
    sku_options: list[dict] = []
    lines: list[dict[str, str]] = []
    delivery_method: str = "express"
    allow_split: bool = True  # may ship from several warehouses when one cannot fill it
    requested_date: str = ""
    notes: str = ""
    errors: dict[str, str] = {}
    priced: list[dict] = []
    totals: dict[str, str] = {}
    busy: bool = False
    draft_number: str = ""  # the draft this form saves itself into
    form_key: str = ""  # the idempotency key of this form: a double click makes one order

    @rx.var
    def line_errors(self) -> list[str]:
        return [
            " ".join(msg for field, msg in self.errors.items() if field.startswith(f"lines[{i}]"))
            for i in range(len(self.lines))
        ]

    templates: list[dict] = []
    addresses: list[dict] = []

    @rx.event
    async def pick_address(self, index: str):
        """Ship to another of the customer's addresses."""
        if index.isdigit() and int(index) < len(self.addresses):
            chosen = self.addresses[int(index)]
            self.address = {name: chosen.get(name, "") for name in ADDRESS_FIELDS}
            await self._preview()

    @rx.event
    async def start(self):
        """A fresh form; `?from=SO-...` reorders a past order, `?template=ID` uses a template."""
        self.form_key, self.draft_number = uuid.uuid4().hex, ""
        self.errors, self.priced, self.totals, self.lines = {}, [], {}, []
        self.allow_split = True
        actor = await self._actor()
        if actor is None:
            return
        self.templates = await asyncio.to_thread(
            order_templates.list_templates, self._uow(), actor=actor
        )
        params = self.router.page.params
        if params.get("from"):
            await self._fill(order_templates.reorder_input, number=params["from"])
        elif params.get("template"):
            await self.use_template(params["template"])

    async def _fill(self, build, **kwargs) -> None:
        actor = await self._actor()
        try:
            cmd = await asyncio.to_thread(build, self._uow(), actor=actor, **kwargs)
        except DomainError as err:
            self.errors = {"template": self._error_text(err)}
            return
        self.lines = [
            {
                "sku": ln.sku,
                "quantity": str(ln.quantity),
                "unit_price": "",
                "discount": str(ln.discount_pct or ""),
                "reason": "",
            }
            for ln in cmd.lines
        ]
        self.delivery_method, self.notes = cmd.delivery_method, cmd.notes
        self.allow_split = cmd.allow_split
        if cmd.customer_code:
            await self.pick_customer(cmd.customer_code)
        else:
            await self._preview()

    @rx.event
    async def use_template(self, template_id: str):
        if str(template_id).isdigit():
            await self._fill(
                order_templates.order_input_from_template,
                template_id=int(template_id),
                customer_code=self.customer_code,
            )

    def _command(self) -> rules.OrderInput:
        try:
            wanted = date.fromisoformat(self.requested_date) if self.requested_date else None
        except ValueError:
            wanted = None
        address = (
            rules.AddressInput(**self.address)
            if self.address.get("street") or self.address.get("receiver")
            else None
        )
        return rules.OrderInput(
            customer_code=self.customer_code,
            lines=[
                rules.LineInput(
                    sku=ln["sku"],
                    quantity=_int(ln["quantity"]),
                    unit_price=_decimal(ln["unit_price"]),
                    discount_pct=_decimal(ln["discount"]) or Decimal("0"),
                    price_reason=ln["reason"],
                )
                for ln in self.lines
            ],
            delivery_method=self.delivery_method,
            address=address,
            requested_date=wanted,
            notes=self.notes,
            channel="sales",
            allow_split=self.allow_split,
        )

    async def _preview(self) -> None:
        actor = await self._actor()
        if actor is None:
            return
        result = await asyncio.to_thread(
            order_service.preview_order, self._uow(), actor=actor, cmd=self._command()
        )
        self.errors = {e["field"]: self._tr(e["code"], **e["params"]) for e in result["errors"]}
        self.priced, self.totals = result["lines"], result["totals"]
        if not self.errors and self.lines:
            await self._autosave(actor)

    async def _autosave(self, actor) -> None:
        """A valid form is kept as a draft, so nothing typed is lost."""
        try:
            if self.draft_number:
                await asyncio.to_thread(
                    order_service.update_draft,
                    self._uow(),
                    actor=actor,
                    number=self.draft_number,
                    cmd=self._command(),
                )
            else:
                self.draft_number = await asyncio.to_thread(
                    order_service.create_order,
                    self._uow(),
                    actor=actor,
                    cmd=self._command(),
                    idempotency_key=self.form_key,
                )
        except DomainError:
            return  # the draft stays as last saved; the fields show what is wrong

    @rx.event
    async def search_customers(self, text: str):
        self.customer_query = text
        actor = await self._actor()
        self.customer_options = await asyncio.to_thread(
            customer_queries.search_customers, self._uow(), actor=actor, text=text
        )

    @rx.event
    async def pick_customer(self, code: str):
        found = await asyncio.to_thread(
            customer_queries.get_customer_for_order, self._uow(), code=code
        )
        if found is None:
            return
        self.customer_code, self.customer_name = found["code"], found["name"]
        self.customer_query, self.customer_options = "", []
        self.address = {name: (found["address"] or {}).get(name, "") for name in ADDRESS_FIELDS}
        self.addresses = found["addresses"]
        await self._preview()

    @rx.event
    async def search_skus(self, text: str):
        self.sku_query = text
        actor = await self._actor()
        self.sku_options = await asyncio.to_thread(
            pricing.find_products, self._uow(), actor=actor, text=text
        )

    @rx.event
    async def add_sku(self, sku: str):
        """Add a line, or one more pack to the line that has this SKU already."""
        sku = sku.strip().upper()
        if not sku:
            return
        for line in self.lines:
            if line["sku"] == sku:
                line["quantity"] = str(_int(line["quantity"]) + 1)
                break
        else:
            self.lines = [
                *self.lines,
                {"sku": sku, "quantity": "1", "unit_price": "", "discount": "", "reason": ""},
            ]
        self.sku_query, self.sku_options = "", []
        await self._preview()

    @rx.event
    async def scan(self, form: dict):
        """Enter in the SKU box (a scanner types a barcode and presses Enter)."""
        text = (form.get("sku") or "").strip()
        actor = await self._actor()
        found = await asyncio.to_thread(
            pricing.find_products, self._uow(), actor=actor, text=text, limit=1
        )
        await self.add_sku(found[0]["sku"] if found else text)

    @rx.event
    async def set_line(self, index: int, field: str, value: str):
        if 0 <= index < len(self.lines) and field in (
            "quantity",
            "unit_price",
            "discount",
            "reason",
        ):
            self.lines[index][field] = value
            await self._preview()

    @rx.event
    async def remove_line(self, index: int):
        self.lines = [ln for i, ln in enumerate(self.lines) if i != index]
        await self._preview()

    @rx.event
    async def set_address(self, field: str, value: str):
        if field in ADDRESS_FIELDS:
            self.address[field] = value
            await self._preview()

    @rx.event
    async def set_delivery(self, method: str):
        self.delivery_method = method
        await self._preview()

    @rx.event
    async def set_allow_split(self, value: bool):
        self.allow_split = bool(value)
        await self._preview()

    @rx.event
    def set_requested_date(self, value: str):
        self.requested_date = value

    @rx.event
    def set_notes(self, value: str):
        self.notes = value

    def _save_now(self, actor, submit: bool) -> str:
        """Finish the auto-saved draft, or create the order when nothing was saved yet."""
        if self.draft_number:
            return order_service.finish_draft(
                self._uow(),
                actor=actor,
                number=self.draft_number,
                cmd=self._command(),
                submit=submit,
            )
        return order_service.create_order(
            self._uow(),
            actor=actor,
            cmd=self._command(),
            submit=submit,
            idempotency_key=self.form_key,
        )

    def _requested_date_error(self) -> str:
        """A typed requested date that is no real day (2026-02-30): refuse it, never drop it."""
        try:
            date.fromisoformat(self.requested_date) if self.requested_date else None
        except ValueError:
            return self._tr("field.requested_date") + ": " + self._tr("error.date.invalid")
        return ""

    async def _save(self, submit: bool):
        if text := self._requested_date_error():
            self.errors = {**self.errors, "requested_date": text}
            return rx.toast.error(self._tr("entry.fix_errors"))
        self.errors = {k: v for k, v in self.errors.items() if k != "requested_date"}
        actor = await self._actor()
        self.busy = True
        try:
            number = await asyncio.to_thread(self._save_now, actor, submit)
        except ValidationErrors as err:
            self.errors = {e.field: self._tr(e.code, **e.params) for e in err.errors}
            self.busy = False
            return rx.toast.error(self._tr("entry.fix_errors"))
        except DomainError as err:
            self.busy = False
            return rx.toast.error(self._error_text(err))
        self.busy = False
        self.lines, self.customer_code, self.customer_name = [], "", ""
        self.form_key, self.draft_number = uuid.uuid4().hex, ""
        return [
            rx.toast.success(self._tr("entry.saved", number=number)),
            rx.redirect(routes.order_route(number)),
        ]

    @rx.event
    async def submit(self):
        return await self._save(submit=True)

    @rx.event
    async def save_draft(self):
        return await self._save(submit=False)
