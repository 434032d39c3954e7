"""What a customer sees of their returns: an allow-list, nothing internal.

Our cost of the goods, who on staff requested or decided a return and why (their notes) stay
with staff; the customer sees their return, its lines at the price they paid, and its status
changes with "you" or "us" in place of a name.
"""

from __future__ import annotations

ROW_FIELDS = (
    "number",
    "order_number",
    "status",
    "reason_code",
    "note",
    "value",
    "created_at",
    "received_at",
)
LINE_FIELDS = ("sku", "name", "unit", "quantity", "unit_net_price")
BY_CUSTOMER, BY_US = "you", "us"


def row_view(row: dict) -> dict:
    """The customer's view of a return row (`queries._row`); the buttons are staff's."""
    return {key: row[key] for key in ROW_FIELDS}


def return_view(ret: dict, theirs: set[int]) -> dict:
    """The customer's view of one return (`queries.get_return`); `theirs` are the user ids of
    the customer's own people, whose changes show as "you"."""
    return {
        **row_view(ret),
        "lines": [{key: line[key] for key in LINE_FIELDS} for line in ret["lines"]],
        "history": [
            {
                "from": h["from"],
                "to": h["to"],
                "action": h["action"],
                "by": BY_CUSTOMER if h["actor_id"] in theirs else BY_US,
                "at": h["at"],
            }
            for h in ret["history"]
        ],
    }
