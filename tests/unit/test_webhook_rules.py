"""Webhook rules: the signature a receiver checks, which events a subscription wants, backoff."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest

from oms_app.webhooks import rules
from oms_app.webhooks.rules import DeliveryState

SECRET = "whsec_test_secret_0123456789"
BODY = b'{"id":"e1","type":"order.status_changed","data":{"order_id":7}}'
T0 = 1_800_000_000


def test_the_signature_is_hex_hmac_sha256_over_timestamp_dot_body():
    expected = hmac.new(SECRET.encode(), f"{T0}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert rules.sign(SECRET, T0, BODY) == expected
    assert rules.sign(SECRET, T0, BODY.decode()) == expected
    assert rules.signature_header(SECRET, T0, BODY) == f"t={T0},v1={expected}"


def test_a_receiver_accepts_a_fresh_untouched_delivery():
    header = rules.signature_header(SECRET, T0, BODY)
    assert rules.verify(SECRET, header, BODY, now=T0 + 299)
    assert rules.verify(SECRET, header, BODY, now=datetime.fromtimestamp(T0, UTC))


def test_a_tampered_body_or_a_wrong_secret_is_refused():
    header = rules.signature_header(SECRET, T0, BODY)
    assert not rules.verify(SECRET, header, BODY.replace(b"7", b"8"), now=T0)
    assert not rules.verify("whsec_someone_else_entirely", header, BODY, now=T0)


def test_a_stale_or_future_timestamp_is_refused_as_a_replay():
    header = rules.signature_header(SECRET, T0, BODY)
    assert not rules.verify(SECRET, header, BODY, now=T0 + 301)
    assert not rules.verify(SECRET, header, BODY, now=T0 - 301)
    assert rules.verify(SECRET, header, BODY, now=T0 + 3000, tolerance=3600)


def test_a_moved_timestamp_breaks_the_signature():
    signature = rules.sign(SECRET, T0, BODY)
    assert not rules.verify(SECRET, f"t={T0 + 5},v1={signature}", BODY, now=T0)


@pytest.mark.parametrize("header", ["", "garbage", "t=abc,v1=00", f"t={T0}", "v1=00"])
def test_a_malformed_signature_header_is_refused(header):
    assert not rules.verify(SECRET, header, BODY, now=T0)


def test_every_header_of_a_delivery_is_set():
    headers = rules.delivery_headers(
        secret=SECRET,
        timestamp=T0,
        body=BODY,
        event_type="order.status_changed",
        event_id="e1",
        delivery_id=42,
    )
    assert headers["X-OMS-Event"] == "order.status_changed"
    assert headers["X-OMS-Event-Id"] == "e1"
    assert headers["X-OMS-Delivery"] == "42"
    assert rules.verify(SECRET, headers["X-OMS-Signature"], BODY, now=T0)


@pytest.mark.parametrize(
    ("wanted", "event_type", "expected"),
    [
        (["*"], "notification.created", True),
        (["order.status_changed"], "order.status_changed", True),
        (["order.status_changed"], "order.created", False),
        (["order.*"], "order.status_changed", True),
        (["order.*"], "orders.archived", False),
        (["order.*"], "order", False),
        (["notification.created", "order.*"], "notification.created", True),
        ([], "order.created", False),
    ],
)
def test_a_subscription_matches_exact_types_prefixes_and_the_wildcard(wanted, event_type, expected):
    assert rules.matches(wanted, event_type) is expected


def test_backoff_grows_threefold_from_ten_seconds_up_to_an_hour():
    waits = [rules.backoff_seconds(n) for n in range(1, 9)]
    assert waits == [10, 30, 90, 270, 810, 2430, 3600, 3600]
    assert rules.backoff_seconds(1, base=0.05) == pytest.approx(0.05)


def test_a_failed_attempt_is_retried_until_the_last_which_makes_it_dead():
    now = datetime(2026, 11, 27, tzinfo=UTC)
    assert rules.after_attempt(attempts=1, ok=True, now=now) == (DeliveryState.SUCCEEDED, None)
    assert rules.after_attempt(attempts=2, ok=False, now=now) == (
        DeliveryState.FAILED,
        now + timedelta(seconds=30),
    )
    last = rules.MAX_ATTEMPTS
    assert rules.after_attempt(attempts=last, ok=False, now=now) == (DeliveryState.DEAD, None)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://erp.example.com/hooks/oms", None),
        ("http://127.0.0.1:8080/in", None),
        ("ftp://example.com/in", "error.webhook.url_scheme"),
        ("javascript:alert(1)", "error.webhook.url_scheme"),
        ("https://user:pass@example.com/in", "error.webhook.url_credentials"),
        ("https://token@example.com/in", "error.webhook.url_credentials"),
        ("https:///no-host", "error.webhook.url_invalid"),
        ("https://example.com:99999/in", "error.webhook.url_invalid"),
        ("https://exa mple.com/", "error.webhook.url_invalid"),
        ("", "error.webhook.url_invalid"),
        ("https://example.com/" + "a" * 500, "error.webhook.url_invalid"),
    ],
)
def test_only_plain_http_or_https_urls_without_credentials_are_accepted(url, problem):
    assert rules.url_problem(url) == problem


def test_event_type_patterns_are_checked():
    assert rules.event_types_problem(["*"]) is None
    assert rules.event_types_problem(["order.*", "notification.created"]) is None
    assert rules.event_types_problem([]) == "error.required"
    assert rules.event_types_problem(["Order Created"]) == "error.webhook.event_types"
    assert rules.event_types_problem(["order.*.x"]) == "error.webhook.event_types"


def test_long_errors_are_cut_to_fit_the_log():
    text = rules.truncate_error("boom\n" * 500)
    assert len(text) == rules.ERROR_MAX_CHARS and "\n" not in text
