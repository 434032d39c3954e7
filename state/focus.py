"""Move the cursor to a scan field, if the page shows it.

`rx.set_focus` logs "No element found for ref" when the field is not rendered (no wave chosen,
the wave done, no shipment open). This asks the browser after the update has rendered and
quietly does nothing when the field is absent; a field that appears later focuses itself.
"""

from __future__ import annotations

import json

import reflex as rx


def focus_field(element_id: str) -> rx.event.EventSpec:
    target = json.dumps(element_id)
    return rx.call_script(f"setTimeout(() => document.getElementById({target})?.focus(), 0)")
