"""Pure order rules. (Validation, pricing and routing rules grow here with order entry.)"""

from __future__ import annotations

# Where an order came from; each has a translation key "channel.<code>".
CHANNELS = ("sales", "portal", "api", "shop")
# How the goods travel: self-pickup, parcel express, or freight (LTL/FTL).
DELIVERY_METHODS = ("pickup", "express", "freight")
