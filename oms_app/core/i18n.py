"""Translation catalogues (assets/locales/<locale>.json); a missing key shows the key itself."""

from __future__ import annotations

import json
import re
from functools import lru_cache

from oms_app.core.config import PROJECT_ROOT

LOCALES_DIR = PROJECT_ROOT / "assets" / "locales"
SUPPORTED = ("zh_CN", "en")


def catalogue_files(locale: str) -> list:
    """The main catalogue, then one per area folder (assets/locales/<area>/<locale>.json)."""
    return [LOCALES_DIR / f"{locale}.json", *sorted(LOCALES_DIR.glob(f"*/{locale}.json"))]


@lru_cache
def catalogue(locale: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in catalogue_files(locale if locale in SUPPORTED else "en"):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def translate(key: str, locale: str = "zh_CN", **params: object) -> str:
    text = catalogue(locale).get(key) or catalogue("en").get(key) or key
    try:
        return text.format(**params) if params else text
    except (KeyError, IndexError):
        return text


def both(key: str) -> dict[str, str]:
    """The key in every locale (the UI switches language without a server round trip)."""
    return {locale: translate(key, locale) for locale in SUPPORTED}


_CJK = re.compile(r"[\u3400-\u9fff]")


def one_language(text: str, locale: str) -> str:
    """Of a label written in both languages ("品牌/brand", "黑色|black"), the side in `locale`.

    Only a Chinese side and a side without Chinese split it, so "24/6" stays as it is.
    """
    for separator in ("|", "/"):
        zh, found, en = text.partition(separator)
        if found and separator not in en and _CJK.search(zh) and not _CJK.search(en):
            return zh.strip() if locale == "zh_CN" else en.strip()
    return text
