"""A browser test fails when a page it opened logged an error to the console or threw one.

Every context the browser creates is watched (the browser's "context" event covers the `page`
fixture, `browser.new_context()` and `browser.new_page()` alike); at the end of the test every
message is listed with the page's address. Warnings count too: React reports its own mistakes as
errors, but libraries warn (react-moment's "Invalid date input", Radix's "changing from
uncontrolled to controlled"), and each is a screen gone wrong. A journey whose point is a failure
(a socket cut on purpose) names the messages it expects with `console_errors.expect(...)`, as
narrowly as it can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, WebError

BROWSER_FIXTURES = {"browser", "page", "context", "new_context"}
FAILING_TYPES = {"error", "warning"}


@dataclass
class ConsoleErrors:
    """The errors the pages of one test logged, less those the test said it expects."""

    found: list[str] = field(default_factory=list)
    expected: list[re.Pattern[str]] = field(default_factory=list)

    def expect(self, pattern: str) -> None:
        """Messages matching `pattern` (a regular expression, searched) are the test's point."""
        self.expected.append(re.compile(pattern))

    def watch(self, context: BrowserContext) -> None:
        context.on("console", self._on_console)
        context.on("weberror", self._on_page_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type in FAILING_TYPES:
            source = message.location.get("url", "?")
            url = message.page.url if message.page else source
            text = message.text
            if text.startswith("Failed to load resource"):  # the text does not say which
                text = f"{text}: {source}"
            self._add(url, message.type, text)

    def _on_page_error(self, error: WebError) -> None:
        url = error.page.url if error.page else "?"
        self._add(url, f"uncaught {error.error.name}", error.error.message)

    def _add(self, url: str, kind: str, text: str) -> None:
        if not any(pattern.search(text) for pattern in self.expected):
            self.found.append(f"{url}: {kind}: {text}")


@pytest.fixture(autouse=True)
def console_errors(request: pytest.FixtureRequest):
    """Fails a test that uses the browser when any of its pages logged an error."""
    errors = ConsoleErrors()
    if not BROWSER_FIXTURES & set(request.fixturenames):
        yield errors
        return
    browser = request.getfixturevalue("browser")
    browser.on("context", errors.watch)
    try:
        yield errors
    finally:
        browser.remove_listener("context", errors.watch)
    if errors.found:
        pytest.fail(
            f"the pages logged {len(errors.found)} console error(s):\n" + "\n".join(errors.found),
            pytrace=False,
        )
