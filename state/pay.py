"""/pay/[token]: the customer's payment page, opened from a signed link (no log-in).

The card is typed into Stripe.js's own form; the browser hands us only the id Stripe gives
back. 3-D Secure runs in Stripe.js too; we then ask Stripe where the payment stands.
"""

from __future__ import annotations

import asyncio
import json

import reflex as rx

from oms_app.accounts.security import qr_data_uri
from oms_app.core.config import get_settings
from oms_app.core.errors import DomainError
from oms_app.payments import attempts, links, queries, service, settlement
from oms_app.payments.providers import online_provider
from state.base import SessionState

# Loads Stripe.js once, then mounts its card form into #card-element (waits for the element).
MOUNT_CARD_JS = """(async () => {
  if (!window.Stripe) {
    await new Promise((ok, bad) => { const s = document.createElement('script');
      s.src = %(url)s; s.onload = ok; s.onerror = bad; document.head.appendChild(s); });
  }
  window.omsStripe = window.omsStripe || Stripe(%(key)s);
  for (let i = 0; i < 40 && !document.getElementById('card-element'); i++)
    await new Promise(r => setTimeout(r, 50));
  if (!window.omsCard) { window.omsCard = window.omsStripe.elements().create('card'); }
  const host = document.getElementById('card-element');
  if (host && !host.hasChildNodes()) { window.omsCard.mount('#card-element'); }
  return true;
})()"""
# The card goes to Stripe; only its id comes back (a PaymentMethod, or a tokenised card).
TOKENIZE_JS = """(async () => {
  const s = window.omsStripe, c = window.omsCard;
  if (!s || !c) return {error: 'form'};
  const pm = s.createPaymentMethod ? await s.createPaymentMethod({type: 'card', card: c}) : null;
  if (pm && pm.error) return {error: pm.error.message || 'card'};
  if (pm && pm.paymentMethod) return {id: pm.paymentMethod.id};
  const r = await s.createToken(c);  // older Stripe.js builds and stand-ins
  return r.error ? {error: r.error.message || 'card'} : {id: r.token.card.id};
})()"""
AUTHENTICATE_JS = """window.omsStripe.confirmCardPayment(%(secret)s)
  .then(r => ({error: r.error ? (r.error.message || 'failed') : ''}))"""


class PayState(SessionState):
    """One order's payment page for whoever holds its link."""

    order_number: str = ""
    invalid: bool = False
    summary: dict = {}
    methods: list[str] = []
    bank: dict[str, str] = {}  # payee, bank and account number; empty when not set up
    payment: dict = {}
    qr_image: str = ""
    message: str = ""
    busy: bool = False

    @rx.var
    def payment_status(self) -> str:
        return str(self.payment.get("status", ""))

    @rx.var
    def paid_in_full(self) -> bool:
        return self.summary.get("payment_status") == "paid"

    def _token(self) -> str:
        return str(self.router.page.params.get("token", ""))  # the dynamic route segment

    def _payer(self):
        return links.payer_actor(self.order_number)

    @rx.event
    async def load(self):
        """Check the link, then show what is owed and how it can be paid."""
        number = links.read_pay_token(self._token())
        self.invalid, self.order_number = number is None, number or ""
        self.payment, self.qr_image, self.message = {}, "", ""
        if number is None:
            return
        self.methods = [*(online_provider().methods if online_provider() else ()), "bank"]
        settings = get_settings()
        details = (settings.bank_account_name, settings.bank_name, settings.bank_account_no)
        self.bank = (
            dict(zip(("payee", "bank", "account"), details, strict=True)) if all(details) else {}
        )
        await self._refresh()
        waiting = [
            p
            for p in self.summary.get("payments", [])
            if p["status"] in ("requires_action", "processing")
        ]
        if waiting:  # back from Alipay, or a reload while Stripe works
            await self._sync(waiting[0]["id"])

    async def _refresh(self) -> None:
        try:
            self.summary = await asyncio.to_thread(
                queries.order_payment_summary,
                self._uow(),
                actor=self._payer(),
                order_number=self.order_number,
            )
        except DomainError as err:
            self.invalid, self.message = True, self._error_text(err)

    async def _start(self, method: str, **extra) -> bool:
        self.busy, self.message, self.qr_image = True, "", ""
        try:
            self.payment = await asyncio.to_thread(
                service.create_payment,
                self._uow(),
                actor=self._payer(),
                order_number=self.order_number,
                method=method,
                **extra,
            )
            return True
        except DomainError as err:
            self.message = self._error_text(err)
            return False
        finally:
            self.busy = False

    @rx.event
    async def choose_card(self):
        if not await self._start("card"):
            return
        settings = get_settings()
        return rx.call_script(
            MOUNT_CARD_JS
            % {
                "url": json.dumps(settings.stripe_js_url),
                "key": json.dumps(settings.stripe_publishable_key),
            }
        )

    @rx.event
    def pay_card(self):
        self.busy, self.message = True, ""
        return rx.call_script(TOKENIZE_JS, callback=PayState.card_entered)

    @rx.event
    async def card_entered(self, result: dict):
        """Stripe.js gave the card's id (or said what is wrong with what was typed)."""
        if not isinstance(result, dict) or not result.get("id"):
            self.busy = False
            self.message = str((result or {}).get("error") or self._tr("pay.card_invalid"))
            return
        try:
            self.payment = await asyncio.to_thread(
                attempts.pay_by_card,
                self._uow(),
                actor=self._payer(),
                payment_id=int(self.payment["id"]),
                payment_method=str(result["id"]),
            )
        except DomainError as err:
            self.busy, self.message = False, self._error_text(err)
            return
        if self.payment["status"] == "requires_action":
            secret = json.dumps(self.payment.get("client_secret") or "")
            return rx.call_script(
                AUTHENTICATE_JS % {"secret": secret}, callback=PayState.authenticated
            )
        await self._after_attempt()

    @rx.event
    async def authenticated(self, _result: dict):
        await self._sync(int(self.payment["id"]))

    async def _sync(self, payment_id: int) -> None:
        try:
            self.payment = await asyncio.to_thread(
                settlement.sync_payment, self._uow(), actor=self._payer(), payment_id=payment_id
            )
        except DomainError as err:
            self.message = self._error_text(err)
        await self._after_attempt()

    async def _after_attempt(self) -> None:
        self.busy = False
        if self.payment.get("status") == "failed":
            self.message = self._tr(
                "payment.failure." + (self.payment.get("failure_code") or "unknown")
            )
        await self._refresh()

    @rx.event
    async def choose_alipay(self):
        back = f"{get_settings().base_url.rstrip('/')}/pay/{self._token()}"
        if await self._start("alipay", return_url=back) and self.payment.get("redirect_url"):
            return rx.redirect(self.payment["redirect_url"], is_external=True)

    @rx.event
    async def choose_wechat(self):
        if await self._start("wechat_pay") and self.payment.get("qr_code"):
            self.qr_image = qr_data_uri(self.payment["qr_code"])

    @rx.event
    async def abandon_waiting(self):
        """The payer gives up a QR code, an Alipay page or a 3-D Secure check: cancel that payment
        (and its intent) so its amount is free to pay another way."""
        payment_id = self.payment.get("id")
        if not payment_id or self.payment.get("status") != "requires_action":
            return
        self.busy, self.message, self.qr_image = True, "", ""
        try:
            self.payment = await asyncio.to_thread(
                settlement.cancel_payment,
                self._uow(),
                actor=self._payer(),
                payment_id=int(payment_id),
                reason="another way chosen on the pay page",
            )
        except DomainError as err:
            self.message = self._error_text(err)
        await self._after_attempt()

    @rx.event
    async def check_status(self):
        """ "I have paid": ask Stripe now rather than wait for its webhook."""
        if self.payment.get("id"):
            await self._sync(int(self.payment["id"]))
