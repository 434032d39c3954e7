"""Pure webhook rules: signatures, event matching, retry backoff, subscription validation."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

SIGNATURE_HEADER = "X-OMS-Signature"
EVENT_HEADER = "X-OMS-Event"
DELIVERY_HEADER = "X-OMS-Delivery"
EVENT_ID_HEADER = "X-OMS-Event-Id"
SIGNATURE_VERSION = "v1"

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 10.0
BACKOFF_FACTOR = 3
BACKOFF_CAP_SECONDS = 3600.0
ERROR_MAX_CHARS = 500
URL_MAX_CHARS = 500
SECRET_MIN_CHARS = 16
SECRET_MAX_CHARS = 128
# Cloud instance metadata and host agents (AWS, GCP, Azure, Alibaba, ECS task role, AWS IPv6).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "168.63.129.16",
        "100.100.100.200",
        "fd00:ec2::254",
    )
)
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: internal
NAT64 = ipaddress.ip_network("64:ff9b::/96")
THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")  # connecting to 0.x reaches the host itself
# Kinds an on-premises installation may open with OMS_WEBHOOK_ALLOW_PRIVATE; the rest never.
OPENABLE_KINDS = frozenset({"loopback", "private"})
_EVENT_PATTERN = re.compile(r"^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$")


class DeliveryState(StrEnum):
    PENDING = "pending"  # queued, not tried yet (or queued again by an admin)
    SUCCEEDED = "succeeded"  # the receiver answered 2xx
    FAILED = "failed"  # the last attempt failed; another is due at next_attempt_at
    DEAD = "dead"  # gave up after MAX_ATTEMPTS (an admin may redeliver)


OPEN_STATES = (DeliveryState.PENDING, DeliveryState.FAILED)


def sign(secret: str, timestamp: int, body: str | bytes) -> str:
    """Hex HMAC-SHA256 of `"<timestamp>.<body>"` with the subscription's secret."""
    raw = body.encode() if isinstance(body, str) else body
    message = f"{int(timestamp)}.".encode() + raw
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: str | bytes) -> str:
    return f"t={int(timestamp)},{SIGNATURE_VERSION}={sign(secret, timestamp, body)}"


def delivery_headers(
    *,
    secret: str,
    timestamp: int,
    body: str | bytes,
    event_type: str,
    event_id: str,
    delivery_id: int,
) -> dict[str, str]:
    """Every header a delivery carries, the signature included."""
    return {
        "Content-Type": "application/json",
        "User-Agent": "OMS-Webhooks/1.0",
        SIGNATURE_HEADER: signature_header(secret, timestamp, body),
        EVENT_HEADER: event_type,
        EVENT_ID_HEADER: event_id,
        DELIVERY_HEADER: str(delivery_id),
    }


def delivery_body(*, event_id: str, event_type: str, created_at: datetime, data: dict) -> bytes:
    """The JSON body, the same bytes on every attempt of one delivery."""
    envelope = {"id": event_id, "type": event_type, "created_at": created_at.isoformat()}
    envelope["data"] = data
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def parse_signature_header(header: str) -> tuple[int, list[str]] | None:
    """(timestamp, [v1 signatures]) from `t=<ts>,v1=<hex>`; None when malformed."""
    timestamp, signatures = None, []
    for part in (header or "").split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == SIGNATURE_VERSION and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        return None
    return timestamp, signatures


def verify(
    secret: str, header: str, body: str | bytes, now: datetime | float, tolerance: int = 300
) -> bool:
    """True when the header signs this body with this secret, within `tolerance` seconds."""
    parsed = parse_signature_header(header)
    if parsed is None:
        return False
    timestamp, signatures = parsed
    now_ts = now.timestamp() if isinstance(now, datetime) else float(now)
    if abs(now_ts - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in signatures)


def matches(event_types: list[str], event_type: str) -> bool:
    """Whether a subscription to `event_types` wants `event_type` ("*" and "order.*" work)."""
    for wanted in event_types:
        if wanted == "*" or wanted == event_type:
            return True
        if wanted.endswith(".*") and event_type.startswith(wanted[:-1]):
            return True
    return False


def backoff_seconds(attempt: int, base: float = BACKOFF_BASE_SECONDS) -> float:
    """Wait before retrying after failed attempt `attempt` (1-based): 10, 30, 90 s ... 1 h."""
    exponent = min(max(attempt, 1) - 1, 20)
    return min(base * BACKOFF_FACTOR**exponent, BACKOFF_CAP_SECONDS)


def after_attempt(
    *, attempts: int, ok: bool, now: datetime, base: float = BACKOFF_BASE_SECONDS
) -> tuple[DeliveryState, datetime | None]:
    """The state after attempt number `attempts`, and when the next one is due."""
    if ok:
        return DeliveryState.SUCCEEDED, None
    if attempts >= MAX_ATTEMPTS:
        return DeliveryState.DEAD, None
    return DeliveryState.FAILED, now + timedelta(seconds=backoff_seconds(attempts, base))


def truncate_error(text: str, limit: int = ERROR_MAX_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def url_problem(url: str) -> str | None:
    """The error code of an unusable receiver URL: http(s), a host, no credentials."""
    if not url or len(url) > URL_MAX_CHARS or any(c.isspace() for c in url):
        return "error.webhook.url_invalid"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises on a malformed port)
    except ValueError:
        return "error.webhook.url_invalid"
    if parts.scheme not in ("http", "https"):
        return "error.webhook.url_scheme"
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        return "error.webhook.url_credentials"
    if not parts.hostname:
        return "error.webhook.url_invalid"
    return None


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64, Teredo client), if any."""
    if ip.version != 6:
        return None
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.teredo[1] if ip.teredo else None


def address_kind(ip: IPAddress) -> str | None:
    """Why a webhook may not connect to this address (metadata, loopback, private, link-local,
    multicast, unspecified, reserved), or None for a public address."""
    ip = _embedded_ipv4(ip) or ip
    if ip in METADATA_ADDRESSES:
        return "metadata"
    if ip.is_unspecified or (ip.version == 4 and ip in THIS_NETWORK):
        return "unspecified"
    for kind, hit in (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
    ):
        if hit:
            return kind
    if ip.is_private or (ip.version == 4 and ip in SHARED_ADDRESS_SPACE):
        return "private"
    return None if ip.is_global else "reserved"


def address_problem(ip: IPAddress, *, allow_private: bool) -> str | None:
    """The kind of a refused address, None when a webhook may connect to it."""
    kind = address_kind(ip)
    if kind is None or (allow_private and kind in OPENABLE_KINDS):
        return None
    return kind


def event_types_problem(event_types: list[str]) -> str | None:
    """The error code of an unusable event type list (empty, or a malformed pattern)."""
    if not event_types:
        return "error.required"
    if any(not isinstance(e, str) or not _EVENT_PATTERN.match(e) for e in event_types):
        return "error.webhook.event_types"
    return None


def clean_event_types(event_types: list[str]) -> list[str]:
    return sorted({e.strip() for e in event_types if isinstance(e, str) and e.strip()})


def secret_problem(secret: str) -> str | None:
    if not SECRET_MIN_CHARS <= len(secret) <= SECRET_MAX_CHARS:
        return "error.webhook.secret_length"
    return None
