"""/approvals: the signed-in approver's queue, one server-sorted page, decided from its cards."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app.accounts import service as accounts_service
from oms_app.approvals import queries as approval_queries
from oms_app.approvals.queue_filters import ROLE_CHOICES, SORTS, parse_queue_query
from oms_app.core.clock import utcnow
from oms_app.core.config import get_settings
from oms_app.core.errors import (
    DomainError,
    SecondFactorIncorrect,
    SecondFactorRequired,
    ValidationErrors,
)
from oms_app.orders import service as order_service
from state.base import SessionState

FILTER_FIELDS = ("role", "min_amount", "max_amount", "customer", "min_risk")
FLAG_FIELDS = ("anomalies_only", "overdue_only")


class ApprovalQueueState(SessionState):
    """Sort, filters and page of this tab; rows come from the server a page at a time."""

    sort: str = "age"
    reverse: bool = False
    role: str = "mine"
    min_amount: str = ""
    max_amount: str = ""
    customer: str = ""
    min_risk: str = ""
    anomalies_only: bool = False
    overdue_only: bool = False
    page: int = 1
    pages: int = 1
    total: int = 0
    rows: list[dict] = []
    selected: int = 0
    filter_error: str = ""
    # the decision dialog: "approve" (step-up) or "reject"; the row it is about
    dialog: str = ""
    target: dict = {}
    dialog_error: str = ""
    has_totp: bool = True
    needs_reason: bool = False  # an administrator standing in for a level must say why
    step_up_amount: str = ""
    card_errors: dict[str, str] = {}  # request id -> why its decision was refused
    _url_role: str = ""

    @rx.var
    def filters_on(self) -> int:
        fields = [self.min_amount, self.max_amount, self.customer, self.min_risk]
        flags = [self.anomalies_only, self.overdue_only, self.role not in ("mine", "")]
        return sum(1 for value in fields if value) + sum(1 for flag in flags if flag)

    def _raw_query(self) -> dict:
        return {
            **{name: getattr(self, name) for name in (*FILTER_FIELDS, *FLAG_FIELDS)},
            "sort": self.sort,
            "reverse": self.reverse,
            "page": self.page,
        }

    async def _reload(self) -> None:
        actor = await self._actor()
        if actor is None:
            return
        try:
            query = parse_queue_query(self._raw_query())
            page = await asyncio.to_thread(
                approval_queries.list_queue, self._uow(), actor=actor, query=query, now=utcnow()
            )
        except ValidationErrors as err:
            self.filter_error = "; ".join(self._error_text(e) for e in err.errors)
            return
        except DomainError as err:
            self.filter_error = self._error_text(err)
            return
        self.filter_error = ""
        self.rows, self.total = page["rows"], page["total"]
        self.page, self.pages = page["page"], page["pages"]
        self.selected = min(self.selected, max(0, len(self.rows) - 1))

    @rx.event
    async def refresh(self):
        """Mounted with the page and again whenever the shared pulse moves: re-read this page."""
        wanted = self.router.page.params.get("role", "")  # overdue alerts link a level
        if wanted in ROLE_CHOICES and wanted != self._url_role:
            self._url_role, self.role, self.page, self.selected = wanted, wanted, 1, 0
        if not self.step_up_amount:
            self.step_up_amount = f"{get_settings().approval_step_up_amount:,.0f}"
            await self._check_totp()
        await self._reload()

    async def _check_totp(self) -> None:
        actor = await self._actor()
        if actor is not None:
            self.has_totp = await asyncio.to_thread(
                accounts_service.has_totp, self._uow(), actor=actor
            )

    @rx.event
    async def set_sort(self, sort: str | list[str]):
        if isinstance(sort, str) and sort in SORTS:
            self.sort, self.page, self.selected = sort, 1, 0
            await self._reload()

    @rx.event
    async def toggle_reverse(self):
        self.reverse, self.page, self.selected = not self.reverse, 1, 0
        await self._reload()

    @rx.event
    async def apply_filters(self, form: dict):
        for name in FILTER_FIELDS:
            if name in form:
                setattr(self, name, str(form.get(name) or "").strip())
        for name in FLAG_FIELDS:
            setattr(self, name, bool(form.get(name)))
        self.page, self.selected = 1, 0
        await self._reload()

    @rx.event
    async def set_role(self, role: str | list[str]):
        if isinstance(role, str) and role in ROLE_CHOICES:
            self.role, self.page, self.selected = role, 1, 0
            await self._reload()

    @rx.event
    async def clear_filters(self):
        for name in FILTER_FIELDS:
            setattr(self, name, "")
        self.role, self.anomalies_only, self.overdue_only = "mine", False, False
        self.page, self.selected = 1, 0
        await self._reload()

    @rx.event
    async def go_page(self, delta: int):
        self.page, self.selected = max(1, min(self.pages, self.page + int(delta))), 0
        await self._reload()

    @rx.event
    def select(self, index: int):
        self.selected = max(0, min(len(self.rows) - 1, int(index)))

    @rx.event
    def move(self, delta: int):
        """j/k: the next or previous card."""
        self.selected = max(0, min(len(self.rows) - 1, self.selected + int(delta)))

    # --- deciding from a card -------------------------------------------------------------

    def _row(self, index: int) -> dict | None:
        index = int(index)
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _open(self, dialog: str, row: dict) -> None:
        self.dialog, self.target, self.dialog_error = dialog, row, ""

    def _close(self) -> None:
        self.dialog, self.target, self.dialog_error = "", {}, ""
        self.needs_reason = False

    @rx.event
    def close_dialog(self):
        self._close()

    @rx.event
    def dialog_open_change(self, is_open: bool):
        if not is_open:
            self._close()

    async def _approve_row(self, index: int):
        row = self._row(index)
        if row is None:
            return None
        self.selected = int(index)
        if row["step_up"]:  # the service asks for a fresh authenticator code from this amount
            await self._check_totp()  # enrolled in the meantime, maybe in another tab
            self._open("approve", row)
            return None
        return await self._decide(order_service.approve_order, row)

    @rx.event
    async def approve_row(self, index: int):
        return await self._approve_row(index)

    @rx.event
    async def approve_selected(self):
        """a: approve the selected card."""
        return await self._approve_row(self.selected)

    @rx.event
    def reject_row(self, index: int):
        row = self._row(index)
        if row is not None:
            self.selected = int(index)
            self._open("reject", row)

    @rx.event
    def reject_selected(self):
        """r: reject the selected card (asks the reason first)."""
        row = self._row(self.selected)
        if row is not None:
            self._open("reject", row)

    @rx.event
    async def confirm_approve(self, form: dict):
        code = str(form.get("totp_code") or "").strip()
        comment = str(form.get("comment") or "")
        return await self._decide(
            order_service.approve_order, self.target, totp_code=code, comment=comment
        )

    @rx.event
    async def confirm_reject(self, form: dict):
        comment = str(form.get("comment") or "")
        return await self._decide(order_service.reject_order, self.target, comment=comment)

    def _step_up_text(self, err: SecondFactorRequired, code: str) -> str:
        if err.params.get("reason") == "not_enrolled":
            self.has_totp = False  # the dialog now shows the way to /account/2fa
            return self._tr("approvals.totp_not_enrolled")
        if isinstance(err, SecondFactorIncorrect):
            return self._tr("approvals.totp_incorrect")
        if err.code != SecondFactorRequired.code:  # a more specific refusal: keep its words
            return self._error_text(err)
        return self._tr("approvals.totp_incorrect" if code else "approvals.totp_missing")

    async def _decide(self, func, row: dict, **kwargs):
        """Call the order's approve/reject use case; refusals stay next to the card."""
        actor = await self._actor()
        if actor is None or not row:
            return None
        key = str(row["request_id"])
        try:
            await asyncio.to_thread(func, self._uow(), actor=actor, number=row["number"], **kwargs)
        except SecondFactorRequired as err:
            self._open("approve", row)
            self.dialog_error = self._step_up_text(err, kwargs.get("totp_code", ""))
            return None
        except DomainError as err:
            text = self._error_text(err)
            if self.dialog == "reject" and err.field == "comment":
                self.dialog_error = text  # the reason is missing: fix it in the dialog
                return None
            if func is order_service.approve_order and err.field == "comment":
                self._open("approve", row)  # standing in for a level: the reason is asked
                self.needs_reason, self.dialog_error = True, text
                return None
            self._close()
            self.card_errors = {**self.card_errors, key: text}
            return rx.toast.error(f"{row['number']}: {text}", position="top-center")
        self._close()
        self.card_errors = {k: v for k, v in self.card_errors.items() if k != key}
        await self._reload()  # the card leaves at once; the pulse brings the others' changes
        done = "approvals.approved" if func is order_service.approve_order else "approvals.rejected"
        return rx.toast.success(self._tr(done, number=row["number"]), position="top-center")
