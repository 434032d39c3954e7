"""What a person would see as wrong on a page, read in the browser: the page wider than the
window, content cut off or sticking out of its box, a "{placeholder}" or a raw translation key
instead of text, words of the other language. Used by the screenshot tool (tests/e2e/screens.py)
and by test_every_page_fits.py."""

from __future__ import annotations

import re
from functools import cache

from playwright.sync_api import Page

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
KEY_SHAPE = re.compile(r"\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b")
# Words that are the same in both languages (names, units of the trade, codes).
SHARED_WORDS = {
    "OMS", "SKU", "API", "PDF", "CSV", "Excel", "Stripe", "TOTP", "URL", "ID", "ERP", "KPI",
    "Alipay", "WeChat", "Pay", "Visa", "Webhook", "webhook", "webhooks", "JSON", "HMAC", "SHA",
    "PIN", "QR", "VAT", "EAN", "UTC", "CNY", "USD", "EUR", "HTTP", "HTTPS", "POST", "Admin",
}  # fmt: skip

# Layout facts, measured in the page. An element "sticks out" when its right edge passes the
# nearest ancestor that clips (overflow hidden) or the window, outside any scrolling box.
LAYOUT_JS = """() => {
  const view = window.innerWidth;
  const floating = '[data-radix-popper-content-wrapper], [role=dialog], .js-plotly-plot';
  const out = [];
  const clipOf = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (a.tagName === 'TABLE') continue;  // a table grows with its cells: it clips nothing
      const ox = getComputedStyle(a).overflowX;
      if (ox === 'auto' || ox === 'scroll') return {scrolls: true, el: a};
      if (ox === 'hidden' || ox === 'clip') return {scrolls: false, el: a};
    }
    return null;
  };
  const name = (el) => el.id ? '#' + el.id
    : el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
        ? '.' + el.className.trim().split(/\\s+/).slice(0, 2).join('.') : '');
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.position === 'fixed') continue;
    if (el.closest(floating)) continue;
    const clip = clipOf(el);
    if (clip && clip.scrolls) continue;
    const edge = clip ? clip.el.getBoundingClientRect().right : view;
    if (r.right > edge + 1 && r.left < edge) {
      const text = (el.innerText || el.value || '').trim().slice(0, 40);
      out.push(`${name(el)} ends at ${Math.round(r.right)} past ${Math.round(edge)} "${text}"`);
    }
  }
  // keep the outermost offenders only: their children repeat them
  return {
    page: document.documentElement.scrollWidth,
    view: view,
    sticking_out: out.slice(0, 8),
  };
}"""

# Visible text outside data cells and inputs (data such as customer names may be in any script).
TEXT_JS = """() => {
  const skip = 'td, input, textarea, option, #user-menu, #language-switch, [role=combobox], '
    + '.js-plotly-plot, [role=listbox], code, pre';
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue.trim();
    if (!text) continue;
    const el = n.parentElement;
    if (!el || el.closest(skip)) continue;
    if (!el.getClientRects().length) continue;
    out.push(text);
  }
  return out;
}"""


@cache
def translation_keys() -> frozenset[str]:
    from oms_app.core.i18n import catalogue

    return frozenset(catalogue("zh_CN")) | frozenset(catalogue("en"))


def layout(page: Page) -> dict:
    return page.evaluate(LAYOUT_JS)


def text_findings(page: Page, lang: str) -> list[str]:
    return unreadable_text(page) + other_language(page, lang)


def unreadable_text(page: Page) -> list[str]:
    """Placeholders and raw translation keys in the page's visible text."""
    body = page.locator("body").inner_text()
    found = [f"placeholder {p}" for p in sorted(set(PLACEHOLDER.findall(body)))]
    keys = translation_keys()
    return found + [f"raw key {k}" for k in sorted(set(KEY_SHAPE.findall(body))) if k in keys]


def other_language(page: Page, lang: str) -> list[str]:
    """Words of the other language outside data cells and inputs (a person judges them: names
    and codes in the data show here too)."""
    words: set[str] = set()
    for text in page.evaluate(TEXT_JS):
        if lang == "zh_CN":
            words |= {w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in SHARED_WORDS}
        elif re.search(r"[\u4e00-\u9fff]", text):
            words.add(text[:30])
    if not words:
        return []
    label = "English on a zh page" if lang == "zh_CN" else "Chinese on an en page"
    return [f"{label}: {', '.join(sorted(words)[:12])}"]


def fit_findings(page: Page) -> list[str]:
    """The page wider than the window, or something sticking out of its box."""
    shown = layout(page)
    found = []
    if shown["page"] > shown["view"]:
        found.append(f"page {shown['page']} px wide in a {shown['view']} px window")
    found += [f"sticks out: {s}" for s in shown["sticking_out"]]
    return found
