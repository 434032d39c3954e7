"""Translation catalogues (assets/locales/<locale>.json); a missing key shows the key itself."""

from __future__ import annotations

import json
from functools import lru_cache

from oms_app.core.config import PROJECT_ROOT

LOCALES_DIR = PROJECT_ROOT / "assets" / "locales"
SUPPORTED = ("zh_CN", "en")


@lru_cache
def catalogue(locale: str) -> dict[str, str]:
    path = LOCALES_DIR / f"{locale if locale in SUPPORTED else 'en'}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def translate(key: str, locale: str = "zh_CN", **params: object) -> str:
    text = catalogue(locale).get(key) or catalogue("en").get(key) or key
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError):
        return text


def both(key: str) -> dict[str, str]:
    """The key in every locale (the UI switches language without a server round trip)."""
    return {locale: translate(key, locale) for locale in SUPPORTED}
