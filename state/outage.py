"""A click or scan that could not be applied because the database or Redis is down says so.

Two layers, one message ("the database is not reachable; nothing was changed, try again"):
- `answers_outage` wraps a handler whose screen shows its own error (a scan field): the screen
  gets the message in the user's language, and a toast.
- `answer_backend_exception` is the app's backend exception handler, the net under every other
  handler: an outage becomes the same toast (the language read from the browser, since the
  tab's state may be the part that is down); a refusal its own message; anything else a
  plain "not done, logged" message, never the developer's exception.
Reflex drops the state changes of a handler that raised, so nothing half-done is shown.
"""

# No `from __future__ import annotations`: Reflex evaluates the exception handler's
# annotations itself.

import functools
import inspect
import json
import logging
import traceback
from collections.abc import Callable
from typing import Any

import reflex as rx
from reflex.event import EventSpec

from oms_app.core.config import get_settings
from oms_app.core.errors import DomainError
from oms_app.core.i18n import SUPPORTED, translate
from oms_app.core.outage import outage_part

logger = logging.getLogger(__name__)
OUTAGE_TOAST_ID = "service-unavailable"  # one toast however many clicks failed
LOCALE_STORAGE_KEY = "oms_locale"  # SessionState.locale's browser storage


def outage_key(part: str) -> str:
    return f"error.service_unavailable.{part}"


def outage_toast(message: str | rx.Var) -> EventSpec:
    return rx.toast.error(message, id=OUTAGE_TOAST_ID, duration=8000, position="top-center")


def answers_outage(handler: Callable) -> Callable:
    """Turn a database or Redis outage in `handler` into the screen's error and a toast.

    The screen state may define `_on_outage(text)` to show the text where the user looks (the
    scan field) and release what the handler holds (a busy flag).
    """

    @functools.wraps(handler)
    async def wrapper(self, *args: Any, **kwargs: Any) -> Any:
        try:
            result = handler(self, *args, **kwargs)
            return await result if inspect.isawaitable(result) else result
        except Exception as err:
            part = outage_part(err)
            if part is None:
                raise
            text = self._tr(outage_key(part))
            if on_outage := getattr(self, "_on_outage", None):
                on_outage(text)
            return outage_toast(text)

    return wrapper


def browser_language_text(key: str) -> rx.Var:
    """The text of `key` in the language the browser keeps for this user (else the default)."""
    return browser_language_choice({locale: translate(key, locale) for locale in SUPPORTED})


def browser_language_choice(texts: dict[str, str]) -> rx.Var:
    """Of one text per locale, the one in the language the browser keeps for this user."""
    default = json.dumps(get_settings().default_locale)
    chosen = f"(window.localStorage.getItem({json.dumps(LOCALE_STORAGE_KEY)}) || {default})"
    return rx.Var(f"({json.dumps(texts)}[{chosen}] ?? {json.dumps(texts['en'])})").to(str)


def answer_backend_exception(exception: Exception) -> EventSpec | None:
    """The net under every handler; the user never sees a developer's error.

    An outage: the outage toast. A refusal a handler let through (DomainError): its own
    message. Anything else: logged with its traceback, and a plain "not done, logged" toast.
    """
    part = outage_part(exception)
    if part is not None:
        return outage_toast(browser_language_text(outage_key(part)))
    if isinstance(exception, DomainError):
        texts = {locale: domain_error_text(exception, locale) for locale in SUPPORTED}
        return rx.toast.error(browser_language_choice(texts), position="top-center")
    logger.error(
        "unexpected error in an event handler\n%s",
        "".join(traceback.format_exception(exception)),
    )
    return rx.toast.error(
        browser_language_text("error.unexpected"), id="backend_error", position="top-center"
    )


def domain_error_text(err: DomainError, locale: str) -> str:
    """The refusal as a screen shows it: "<field>: <reason>" in `locale`."""
    text = translate(err.code, locale, **err.params)
    return f"{translate('field.' + err.field, locale)}: {text}" if err.field else text
