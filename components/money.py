"""Amounts as people read them: ¥3,996.00, grouped by thousands.

The services send money as exact decimal strings ("3996.00"); the grouping is done on that
string in the browser, never through a float, so what is shown is exactly what is stored.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.function import FunctionStringVar

# a comma after every digit that is followed by whole groups of three up to the point or end
GROUP_JS = "((v) => (v == null ? '' : String(v)).replace(/\\d(?=(\\d{3})+(\\.|$))/g, '$&,'))"
_GROUPED = FunctionStringVar.create(GROUP_JS)


def grouped(value: rx.Var) -> rx.Var:
    """The decimal string with thousands separators ("-1234.50" -> "-1,234.50")."""
    return _GROUPED(value).to(str)


def yuan(value: rx.Var) -> rx.Var:
    """The amount in CNY, grouped: ¥3,996.00."""
    return "¥" + grouped(value)
