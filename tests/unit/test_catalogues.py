"""Every UI string goes through the catalogues: both languages carry the same keys, and every
key the code uses exists."""

from __future__ import annotations

import json
import re
from pathlib import Path

from oms_app import routes
from oms_app.approvals.rules import ANOMALY_CODES
from oms_app.approvals.status import ApprovalAction
from oms_app.core import errors
from oms_app.core.i18n import SUPPORTED, catalogue, catalogue_files, translate
from oms_app.orders import customer_view
from oms_app.orders.rules import CHANNELS
from oms_app.orders.status import OrderAction, OrderStatus
from oms_app.payments.queries import ATTENTION_REASONS
from oms_app.payments.rules import FAILURE_REASONS, METHODS
from oms_app.payments.status import OrderPaymentStatus, PaymentStatus
from oms_app.returns.rules import REASON_CODES
from oms_app.returns.status import ReturnAction, ReturnStatus

ROOT = Path(__file__).resolve().parents[2]
KEY_IN_CODE = re.compile(
    r"""(?:t\[|_tr\(|ValidationFailed\([^,]+,\s*)["']([a-z_]+\.[a-z0-9_.]+)["']"""
)


def load(locale: str) -> dict[str, str]:
    return catalogue(locale)


def test_an_area_catalogue_never_redefines_a_key_of_another():
    for locale in SUPPORTED:
        seen: dict[str, str] = {}
        for path in catalogue_files(locale):
            for key in json.loads(path.read_text(encoding="utf-8")):
                assert key not in seen, f"{key} in {path} and {seen[key]}"
                seen[key] = str(path)


# In the UI layers any quoted "namespace.key" is a label (column heads, rows of labels).
UI_KEY = re.compile(
    r"""["']((?:col|order|nav|admin|login|field|totp|bell|list|home|account|"""
    r"""approvals|entry)\.[a-z0-9_]+)["']"""
)


def keys_used_in_code() -> set[str]:
    found = set()
    for folder in ("oms_app", "components", "state"):
        for path in (ROOT / folder).rglob("*.py"):
            found.update(KEY_IN_CODE.findall(path.read_text(encoding="utf-8")))
    for folder in ("components", "oms_app/pages"):
        for path in (ROOT / folder).rglob("*.py"):
            found.update(UI_KEY.findall(path.read_text(encoding="utf-8")))
    found.update(f"action.{a.value}" for a in OrderAction)
    found.update(f"action.{a.value}" for a in ApprovalAction)
    found.update(f"anomaly.{code}" for code in ANOMALY_CODES)
    found.update(f"risk.{code}" for code in (*ANOMALY_CODES, "tier_C", "tier_D", "thin_margin"))
    found.update(label for _, label, _ in routes.MENU)
    found.update(f"status.{s.value}" for s in OrderStatus)
    found.update(f"status.{s}" for s in customer_view.CUSTOMER_STATUSES)
    found.update(f"order.by.{who}" for who in (customer_view.BY_CUSTOMER, customer_view.BY_US))
    found.update(f"channel.{c}" for c in CHANNELS)
    found.update(f"payment.status.{s.value}" for s in PaymentStatus)
    found.update(f"payment_status.{s.value}" for s in OrderPaymentStatus)
    found.update(f"payment.method.{m}" for m in (*METHODS, "write_off"))
    found.update(f"payment.failure.{r}" for r in {*FAILURE_REASONS.values(), "unknown"})
    found.update(f"finance.reason.{r}" for r in ATTENTION_REASONS)
    found.update(f"returns.status.{s.value}" for s in ReturnStatus)
    found.update(f"returns.action.{a}" for a in (*ReturnAction, "request"))
    found.update(f"returns.reason.{r}" for r in REASON_CODES)
    found = {key for key in found if not key.endswith(".")}  # prefixes of the families above
    found.update(
        cls.code
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, errors.DomainError)
    )
    return found


def test_chinese_and_english_catalogues_have_the_same_keys():
    assert set(load("zh_CN")) == set(load("en"))


def test_every_key_the_code_uses_is_translated():
    missing = sorted(keys_used_in_code() - set(load("en")))
    assert missing == []


def test_messages_fill_their_parameters_in_both_languages():
    assert translate("error.username.taken", "en", value="wang") == "wang is already taken"
    assert translate("error.username.taken", "zh_CN", value="wang") == "用户名 wang 已存在"
    assert translate("status.shipped", "zh_CN") == "已发货"
    assert translate("status.pending_approval", "zh_CN") == "待审核"
