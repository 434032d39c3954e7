"""Webhooks cannot be turned against the inside: internal addresses are refused at subscription
and again at each delivery (connecting to the checked address only), the log keeps a status code
but never an answer, and a closed port reads like an open one.

Only loopback is ever connected to; other internal addresses are checked as literals."""

from __future__ import annotations

import functools
import ipaddress
import os
import socket
import threading

import httpx
import pytest
import sqlalchemy as sa

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from oms_app.core.config import reset_settings_cache
from oms_app.webhooks import rules, sender, service
from oms_app.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.factories.accounts import make_admin
from tests.worker.test_webhook_delivery import Receiver

INTERNAL = [
    ("127.0.0.1", "loopback"),
    ("127.8.9.10", "loopback"),
    ("::1", "loopback"),
    ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:7f00:1", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.5.4", "private"),
    ("192.168.1.1", "private"),
    ("100.64.0.7", "private"),
    ("fd12:3456::1", "private"),
    ("::ffff:192.168.0.1", "private"),
    ("169.254.169.254", "metadata"),
    ("fd00:ec2::254", "metadata"),
    ("100.100.100.200", "metadata"),
    ("169.254.1.1", "link-local"),
    ("fe80::1", "link-local"),
    ("224.0.0.251", "multicast"),
    ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"),
    ("0.1.2.3", "unspecified"),
    ("::", "unspecified"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "reserved"),
    ("64:ff9b::a9fe:a9fe", "metadata"),  # NAT64 of 169.254.169.254
    ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
]
PUBLIC = ["8.8.8.8", "93.184.215.14", "2001:4860:4860::8888", "::ffff:8.8.4.4"]


@pytest.fixture
def private_setting():
    """Turns OMS_WEBHOOK_ALLOW_PRIVATE on and off; off again after the test."""

    def turn(on: bool) -> None:
        if on:
            os.environ["OMS_WEBHOOK_ALLOW_PRIVATE"] = "1"
        else:
            os.environ.pop("OMS_WEBHOOK_ALLOW_PRIVATE", None)
        reset_settings_cache()

    turn(False)
    yield turn
    turn(False)


@pytest.fixture
def allow_private(private_setting):
    """An on-premises installation: OMS_WEBHOOK_ALLOW_PRIVATE=1."""
    private_setting(True)


@pytest.fixture
def receiver():
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def admin_key(uow) -> dict[str, str]:
    return {"X-API-Key": accounts_admin.create_api_key(uow, actor=make_admin(uow), name="ops")}


def http() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url="http://oms")


def subscriptions(uow) -> int:
    with uow:
        return uow.session.scalar(sa.select(sa.func.count()).select_from(WebhookSubscription))


def queued_delivery(uow, url: str) -> int:
    service.create_subscription(
        uow, actor=make_admin(uow), name="ERP", url=url, event_types=["order.*"]
    )
    [delivery_id] = service.enqueue_event(
        uow, event_id="evt1", event_type="order.submitted", payload={"number": "SO-1"}
    )
    return delivery_id


def logged(uow, delivery_id: int) -> WebhookDelivery:
    with uow:
        row = uow.session.get(WebhookDelivery, delivery_id)
        uow.session.expunge(row)
        return row


# --- the rule, on literal addresses -------------------------------------------------------------


@pytest.mark.parametrize(("address", "kind"), INTERNAL)
def test_internal_addresses_are_refused_by_kind(address, kind):
    ip = ipaddress.ip_address(address)
    assert rules.address_problem(ip, allow_private=False) == kind


@pytest.mark.parametrize(("address", "kind"), INTERNAL)
def test_allowing_private_opens_loopback_and_private_networks_only(address, kind):
    ip = ipaddress.ip_address(address)
    opened = rules.address_problem(ip, allow_private=True) is None
    assert opened == (kind in ("loopback", "private"))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address):
    assert rules.address_problem(ipaddress.ip_address(address), allow_private=False) is None


# --- at subscription ----------------------------------------------------------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1:6379/", "loopback"),
        ("http://localhost:5432/", "loopback"),
        ("http://2130706433/", "loopback"),  # 127.0.0.1 written as one number
        ("http://[::ffff:127.0.0.1]:8080/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("https://10.0.0.5/hooks", "private"),
        ("http://[fe80::1]/", "link-local"),
        ("http://0.0.0.0:8000/", "unspecified"),
    ],
)
async def test_subscribing_an_internal_address_is_422_naming_the_url_and_stores_nothing(
    uow, admin_key, url, kind
):
    async with http() as client:
        answer = await client.post(
            "/api/v1/webhooks",
            json={"name": "x", "url": url, "event_types": ["order.*"]},
            headers={**admin_key, "Accept-Language": "en"},
        )
    assert answer.status_code == 422, answer.text
    [error] = answer.json()["errors"]
    assert (error["field"], error["code"]) == ("url", "error.webhook.url_address")
    assert kind in error["message"]
    assert subscriptions(uow) == 0


@pytest.mark.asyncio
async def test_allowing_private_accepts_loopback_but_never_metadata(uow, admin_key, allow_private):
    async with http() as client:
        local = await client.post(
            "/api/v1/webhooks",
            json={"name": "on-prem", "url": "http://127.0.0.1:9/in", "event_types": ["*"]},
            headers=admin_key,
        )
        metadata = await client.post(
            "/api/v1/webhooks",
            json={"name": "x", "url": "http://169.254.169.254/", "event_types": ["*"]},
            headers=admin_key,
        )
    assert local.status_code == 201, local.text
    assert metadata.status_code == 422
    assert subscriptions(uow) == 1


# --- at delivery --------------------------------------------------------------------------------


def test_a_loopback_receiver_is_reached_only_while_private_addresses_are_allowed(
    uow, receiver, private_setting
):
    # given a subscription made while the installation allowed private receivers
    private_setting(True)
    delivery_id = queued_delivery(uow, receiver.url)
    # when the setting is gone and the delivery is attempted
    private_setting(False)
    refused = service.deliver(uow, delivery_id=delivery_id)
    # then nothing was sent and the log says why
    assert refused["state"] == "failed" and receiver.requests == []
    row = logged(uow, delivery_id)
    assert (row.last_status_code, row.last_error) == (None, sender.ADDRESS_REFUSED)
    # when private receivers are allowed again, the retry reaches it
    private_setting(True)
    with uow:
        uow.session.get(WebhookDelivery, delivery_id).next_attempt_at = None
        uow.commit()
    assert service.deliver(uow, delivery_id=delivery_id)["state"] == "succeeded"
    assert len(receiver.requests) == 1


def test_a_name_rebound_to_loopback_after_subscribing_is_refused_at_delivery(
    uow, receiver, private_setting
):
    # given a receiver subscribed under a name (here not in the test machine's DNS)
    answers = {"erp.example.com": ["93.184.215.14"]}
    url = receiver.url.replace("127.0.0.1", "erp.example.com")
    delivery_id = queued_delivery(uow, url)
    # when its DNS now answers a public and an internal address in turn
    answers["erp.example.com"] = ["93.184.215.14", "127.0.0.1"]
    post = functools.partial(sender.post_delivery, resolver=lambda host, port: answers[host])
    service.deliver(uow, delivery_id=delivery_id, post=post)
    # then nothing is sent
    assert receiver.requests == []
    assert logged(uow, delivery_id).last_error == sender.ADDRESS_REFUSED


def test_the_request_goes_to_the_checked_address_with_the_host_name_of_the_url(receiver):
    # given a name that resolves to the checked loopback address (an on-premises receiver)
    url = receiver.url.replace("127.0.0.1", "erp.internal.example")
    resolved: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        resolved.append(host)
        return ["127.0.0.1"]

    # when it is posted to
    ok, status, error = sender.post_delivery(
        url, b"{}", {"X-OMS-Event-Id": "e1"}, allow_private=True, resolver=resolver
    )
    # then it was resolved once, connected to that address, and named by its host
    assert (ok, status, error) == (True, 200, "")
    assert resolved == ["erp.internal.example"]
    [request] = receiver.requests
    port = receiver.server.server_address[1]
    assert request["headers"]["Host"] == f"erp.internal.example:{port}"


def test_the_log_keeps_the_status_code_but_not_the_answer(uow, receiver, allow_private):
    receiver.fail_first = 1  # answers 500 "down for maintenance"
    delivery_id = queued_delivery(uow, receiver.url)
    service.deliver(uow, delivery_id=delivery_id)
    row = logged(uow, delivery_id)
    assert (row.last_status_code, row.last_error) == (500, "HTTP 500")
    assert "maintenance" not in row.last_error


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _speaks_no_http() -> tuple[int, socket.socket]:
    """An open port that greets like an SSH server, then hangs up."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve() -> None:
        try:
            conn, _ = server.accept()
            conn.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
            conn.close()
        except OSError:
            pass

    threading.Thread(target=serve, daemon=True).start()
    return server.getsockname()[1], server


def test_a_closed_port_and_an_open_one_read_the_same_in_the_log(allow_private):
    open_port, server = _speaks_no_http()
    try:
        outcomes = {
            which: sender.post_delivery(
                f"http://127.0.0.1:{port}/hooks", b"{}", {}, allow_private=True, timeout=5
            )
            for which, port in (("closed", _closed_port()), ("open", open_port))
        }
    finally:
        server.close()
    assert outcomes["closed"] == outcomes["open"] == (False, None, sender.CONNECTION_FAILED)
