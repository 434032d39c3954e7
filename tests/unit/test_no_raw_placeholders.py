"""No screen shows an unformatted "{name}" placeholder.

The pages and components look labels up verbatim (`t["key"]` in the browser, no formatting),
so every catalogue key they name, directly or as a family prefix ("waves.status_" + status),
must read as plain text in both languages. Messages with parameters are for the states'
`_tr(key, **params)` only.
"""

from __future__ import annotations

import re
from pathlib import Path

from oms_app.core.i18n import SUPPORTED, catalogue

ROOT = Path(__file__).resolve().parents[2]
UI_FOLDERS = ("components", "oms_app/pages")
QUOTED_KEY = re.compile(r"""["']([a-z][a-z0-9_]*\.[a-z0-9_.]*)["']""")
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*\}")


def keys_named_by_the_ui() -> set[str]:
    """Every catalogue key a page or component names, and every key of a family it builds."""
    keys = set(catalogue("en"))
    named = set()
    for folder in UI_FOLDERS:
        for path in (ROOT / folder).rglob("*.py"):
            for text in QUOTED_KEY.findall(path.read_text(encoding="utf-8")):
                if text in keys:
                    named.add(text)
                elif text.endswith("_"):  # a whole namespace ("packing.") is too broad
                    named.update(k for k in keys if k.startswith(text))
    return named


def test_the_ui_names_the_labels_the_check_relies_on():
    named = keys_named_by_the_ui()
    assert {"picking.picked_of", "waves.status_planned", "nav.warehouse_board"} <= named


def test_no_label_the_ui_shows_verbatim_carries_a_placeholder():
    raw = sorted(
        f"{locale}: {key} = {catalogue(locale)[key]!r}"
        for locale in SUPPORTED
        for key in keys_named_by_the_ui()
        if PLACEHOLDER.search(catalogue(locale).get(key, ""))
    )
    assert raw == []
