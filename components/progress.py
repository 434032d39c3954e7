"""A percentage bar fed by a row value that arrives as text.

Radix's progress accepts only a JS number: given the string "0" it logs "Invalid prop `value`"
and draws the indeterminate (full, animated) bar, so "0 / 5" sat beside a full bar. The value
is turned into a number in the browser; anything unreadable counts as 0.
"""

from __future__ import annotations

import reflex as rx


def as_number(value: rx.Var) -> rx.Var:
    return rx.Var(f"(Number({value!s}) || 0)", _var_data=value._get_all_var_data()).to(int)


def percent_bar(value: rx.Var, **props) -> rx.Component:
    return rx.progress(value=as_number(value), max=100, **props)
