"""One date field for every screen: shown and typed as ISO YYYY-MM-DD (年-月-日) whatever the
browser's locale, in the user's language, so the state always receives `YYYY-MM-DD` or "".

A native `<input type="date">` shows the browser's own order and words (12/03/2026 in a US
Chrome for a Chinese user), so this is a text box with the ISO pattern, a placeholder in the
user's language, a numeric keypad on phones and, on a bad date, the browser's refusal in the
user's words (set with setCustomValidity, since the browser's own text follows its locale).
"""

from __future__ import annotations

import reflex as rx
from reflex.vars.base import Var

# A real month and a day 01-31; the handler's date.fromisoformat refuses 2026-02-30.
ISO_DATE_PATTERN = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_CLEAR = Var(_js_expr="((e) => e.target.setCustomValidity(''))")


def _say_when_invalid(message: Var) -> Var:
    """An onInvalid handler that puts `message` (a catalogue entry) in the browser's bubble."""
    return Var(
        _js_expr=f"((e) => e.target.setCustomValidity({message._js_expr}))",
        _var_data=message._get_all_var_data(),
    )


def date_field(t: Var, **props) -> rx.Component:
    """A date box; `t` is the screen's catalogue. Other props (name, id, value, default_value,
    on_change, on_blur, width, ...) pass to the input as they would to rx.input."""
    attrs = {
        "onInvalid": _say_when_invalid(t["date.format_error"]),
        "onInput": _CLEAR,
        **props.pop("custom_attrs", {}),
    }
    return rx.input(
        type="text",
        input_mode="numeric",
        pattern=ISO_DATE_PATTERN,
        max_length=10,
        placeholder=t["date.placeholder"],
        title=t["date.format_error"],
        auto_complete="off",
        spell_check=False,
        custom_attrs=attrs,
        **props,
    )
