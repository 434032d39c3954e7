"""The memos the posting rules write, and how a reader in another language sees them.

An entry's memo is stored once, in English, as the auditor's record. A Chinese reader sees
the same facts in Chinese: each memo the rules write comes from one template here, so it can be
read back into its parts and said again from the catalogue ("ledger.memo.<kind>"). A memo a
person typed (an expense, a goods receipt) matches no template and is shown as typed.
"""

from __future__ import annotations

import re
from functools import cache

from oms_app.core.i18n import translate

TEMPLATES = {
    "shipment": "shipment {shipment} of order {order}",
    "write_off": "write-off on order {order}",
    "payment": "{method} payment {payment} on order {order}",
    "refund": "refund {refund} of payment {payment} on order {order}",
    "return": "return {return_number} of order {order}",
    "goods_receipt": "goods received {source}",
    "stock_adjustment": "stock adjustment {source}",
    "expense": "expense {reference}",
    "reversal": "reversal of {number}: {reason}",
}
_FIELD = re.compile(r"\{(\w+)\}")


def memo(kind: str, **parts: object) -> str:
    """The stored memo of a posting of `kind`."""
    return TEMPLATES[kind].format(**parts)


@cache
def _pattern(kind: str) -> re.Pattern[str]:
    template = TEMPLATES[kind]
    pieces, end = [], 0
    for field in _FIELD.finditer(template):
        pieces.append(re.escape(template[end : field.start()]))
        # identifiers are one word; the reversal's reason is the free rest
        pieces.append(f"(?P<{field[1]}>.*)" if field[1] == "reason" else rf"(?P<{field[1]}>\S+)")
        end = field.end()
    pieces.append(re.escape(template[end:]))
    return re.compile("".join(pieces) + r"\Z", re.DOTALL)


def shown_memo(stored: str, locale: str) -> str:
    """The memo in the reader's language (English as stored; typed memos as typed)."""
    if locale == "en":
        return stored
    for kind in TEMPLATES:
        found = _pattern(kind).match(stored)
        if found:
            parts = found.groupdict()
            if "method" in parts:
                parts["method"] = translate(f"payment.method.{parts['method']}", locale)
            return translate(f"ledger.memo.{kind}", locale, **parts)
    return stored
