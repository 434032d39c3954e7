"""/admin/webhooks: subscriptions, their signing secret (shown once) and the delivery log."""

from __future__ import annotations

import asyncio

import reflex as rx

from oms_app.core.errors import DomainError
from oms_app.webhooks import queries as webhook_queries
from oms_app.webhooks import service as webhook_service
from state.base import SessionState
from tasks.webhooks import queue_delivery

PAGE_SIZE = 25


class AdminWebhooksState(SessionState):
    subscriptions: list[dict] = []
    deliveries: list[dict] = []
    delivery_total: int = 0
    delivery_page: int = 1
    log_subscription_id: int = 0  # 0: the log of every subscription
    state_filter: str = ""
    form_error: str = ""
    new_secret: str = ""

    @rx.var
    def delivery_page_count(self) -> int:
        return max(1, -(-self.delivery_total // PAGE_SIZE))

    async def _run(self, func, **kwargs):
        """Call a webhook use case as the signed-in user (the service checks the permission)."""
        actor = await self._actor()
        return await asyncio.to_thread(func, self._uow(), actor=actor, **kwargs)

    @rx.event
    async def load(self):
        try:
            rows = await self._run(webhook_queries.list_subscriptions)
            log = await self._run(
                webhook_queries.list_deliveries,
                subscription_id=self.log_subscription_id or None,
                state=self.state_filter,
                page=self.delivery_page,
                page_size=PAGE_SIZE,
            )
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        self.subscriptions = [r | {"events": ", ".join(r["event_types"])} for r in rows]
        self.deliveries, self.delivery_total = log["rows"], log["total"]
        return None

    @rx.event
    async def create_subscription(self, form: dict):
        event_types = [e.strip() for e in form.get("event_types", "").split(",") if e.strip()]
        try:
            created = await self._run(
                webhook_service.create_subscription,
                name=form.get("name", ""),
                url=form.get("url", ""),
                event_types=event_types,
                secret=form.get("secret", "").strip() or None,
            )
        except DomainError as err:
            self.form_error, self.new_secret = self._error_text(err), ""
            return None
        self.form_error, self.new_secret = "", created["secret"]
        return [rx.toast.success(self._tr("webhook.created")), AdminWebhooksState.load]

    @rx.event
    async def set_active(self, subscription_id: int, active: bool):
        try:
            await self._run(
                webhook_service.update_subscription,
                subscription_id=subscription_id,
                is_active=active,
            )
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        key = "webhook.activated" if active else "webhook.deactivated"
        return [rx.toast.success(self._tr(key)), AdminWebhooksState.load]

    @rx.event
    def show_log(self, subscription_id: int):
        self.log_subscription_id, self.delivery_page = subscription_id, 1
        return AdminWebhooksState.load

    @rx.event
    def filter_state(self, value: str):
        self.state_filter = "" if value == "all" else value
        self.delivery_page = 1
        return AdminWebhooksState.load

    @rx.event
    def go_to_page(self, page: int):
        self.delivery_page = min(max(1, page), self.delivery_page_count)
        return AdminWebhooksState.load

    @rx.event
    async def redeliver(self, delivery_id: int):
        try:
            await self._run(webhook_service.redeliver, delivery_id=delivery_id)
        except DomainError as err:
            return rx.toast.error(self._error_text(err))
        await asyncio.to_thread(queue_delivery, delivery_id)
        return [rx.toast.success(self._tr("webhook.redelivered")), AdminWebhooksState.load]

    @rx.event
    def forget_secret(self):
        self.new_secret = ""
