"""The HTTP POST of one delivery. 2xx is success; anything else is an error to retry.

The receiver's host is resolved here, every address it resolves to is checked
(rules.address_problem), and the connection goes to the checked address: a DNS answer that
changes between the check and the connect cannot turn a delivery towards an internal service.
The request still carries the URL's host in its Host header and, for https, in SNI and the
certificate check. Nothing the receiver answers is kept but its status code, and every way a
connection can fail reads the same, so the delivery log cannot be used to probe ports.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

import httpcore
import httpx

from oms_app.webhooks import rules

TIMEOUT_SECONDS = 10.0
CONNECTION_FAILED = "could not reach the receiver"
ADDRESS_REFUSED = "the receiver's address is not allowed"
Resolver = Callable[[str, int], list[str]]


class AddressRefused(Exception):
    """The receiver's host resolves to an address webhooks may not reach."""

    def __init__(self, kind: str):
        self.kind = kind
        super().__init__(kind)


def resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for the host (an IP literal gives itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def checked_address(
    url: str, *, allow_private: bool, resolver: Resolver = resolve
) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The address to connect to for `url`; raises AddressRefused when any address the host
    resolves to is refused (several answers may be served in turn), OSError when none."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname or ""
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolver(host, port)]
    if not addresses:
        raise OSError("no address")
    for address in addresses:
        if kind := rules.address_problem(address, allow_private=allow_private):
            raise AddressRefused(kind)
    return addresses[0]


class _PinnedBackend(httpcore.SyncBackend):
    """Opens every TCP connection to one checked address, whatever host the URL names."""

    def __init__(self, address: str) -> None:
        self._address = address

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        return super().connect_tcp(self._address, port, timeout, local_address, socket_options)


class PinnedTransport(httpx.HTTPTransport):
    """httpx's transport, its pool connecting to the pinned address (TLS still uses the host)."""

    def __init__(self, address: str) -> None:
        super().__init__(trust_env=False)  # a proxy would resolve the host again
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=1,
            network_backend=_PinnedBackend(address),
        )


def post_delivery(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    allow_private: bool = False,
    timeout: float = TIMEOUT_SECONDS,
    resolver: Resolver = resolve,
) -> tuple[bool, int | None, str]:
    """POST the signed body; (ok, status code or None, error text) and never raise."""
    try:
        address = checked_address(url, allow_private=allow_private, resolver=resolver)
    except AddressRefused:
        return False, None, ADDRESS_REFUSED
    except (OSError, ValueError):  # unresolvable: read like any other failed connection
        return False, None, CONNECTION_FAILED
    try:
        # Redirects are not followed: the receiver signed up with this exact URL. The answer's
        # body is never read: what an internal service would say must not reach the log.
        transport = PinnedTransport(str(address))
        with httpx.Client(
            transport=transport, timeout=timeout, follow_redirects=False, trust_env=False
        ) as client:
            with client.stream("POST", url, content=body, headers=headers) as response:
                status = response.status_code
    except Exception:  # refused, timed out, reset, not HTTP: one text, retried
        return False, None, CONNECTION_FAILED
    if 200 <= status < 300:
        return True, status, ""
    return False, status, f"HTTP {status}"
