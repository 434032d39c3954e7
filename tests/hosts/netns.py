"""Hosts made of Linux network namespaces: each has a veth link to the root namespace.

A namespace `omsh-<run>-<x>` holds one end of a veth pair with a /30 of 10.231.0.0/16; the other
end, in the root namespace, is where the host reaches the shared services (forwarded to the
machine's PostgreSQL and Redis) and where the test reaches the host.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import random
import shutil
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

NETWORK = ipaddress.ip_network("10.231.0.0/16")
PREFIX = "omsh"


def why_not_available() -> str | None:
    """The reason namespaces cannot be made here, or None when they can."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None:
        return "the `ip` command (iproute2) is missing"
    return None


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True)


@dataclass(frozen=True)
class Host:
    """One namespace: `address` is the host's own, `gateway` the root side of its link."""

    name: str
    veth: str
    address: str
    gateway: str

    def pids(self) -> list[int]:
        found = _ip("netns", "pids", self.name, check=False).stdout.split()
        return [int(pid) for pid in found if pid.isdigit()]

    def start(self, argv: Sequence[str], *, env: dict[str, str], log: IO) -> subprocess.Popen:
        """Run a command inside this namespace, in its own process group."""
        return subprocess.Popen(
            ["ip", "netns", "exec", self.name, *argv],
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill_everything(self) -> int:
        """SIGKILL every process in the namespace, as a power cut would; how many there were."""
        pids = self.pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while self.pids() and time.monotonic() < deadline:
            time.sleep(0.05)
        return len(pids)


def free_subnet() -> ipaddress.IPv4Network:
    """A /24 of 10.231.0.0/16 that no interface of this machine uses yet."""
    used = _ip("-o", "-4", "addr").stdout
    candidates = list(NETWORK.subnets(new_prefix=24))[1:]
    random.shuffle(candidates)
    for subnet in candidates:
        if f" {str(subnet.network_address)[:-1]}" not in used:
            return subnet
    raise RuntimeError("no free /24 left in 10.231.0.0/16")


def make_host(run: str, letter: str, subnet: ipaddress.IPv4Network, index: int) -> Host:
    """Create namespace `omsh-<run>-<letter>` linked to the root namespace by a veth pair."""
    link = list(subnet.subnets(new_prefix=30))[index]
    gateway, address = (str(a) for a in list(link.hosts())[:2])
    host = Host(
        name=f"{PREFIX}-{run}-{letter}",
        veth=f"{PREFIX}{run}{letter}",
        address=address,
        gateway=gateway,
    )
    _ip("netns", "add", host.name)
    try:
        _ip("link", "add", host.veth, "type", "veth", "peer", "name", f"{host.veth}p")
        _ip("link", "set", f"{host.veth}p", "netns", host.name)
        _ip("addr", "add", f"{gateway}/30", "dev", host.veth)
        _ip("link", "set", host.veth, "up")
        inside = ("netns", "exec", host.name, "ip")
        _ip(*inside, "link", "set", "lo", "up")
        _ip(*inside, "link", "set", f"{host.veth}p", "name", "eth0")
        _ip(*inside, "addr", "add", f"{address}/30", "dev", "eth0")
        _ip(*inside, "link", "set", "eth0", "up")
        # Via its gateway a host reaches every root-side link address (the webhook receiver).
        _ip(*inside, "route", "add", "default", "via", gateway)
    except BaseException:
        remove_host(host)
        raise
    return host


def remove_host(host: Host) -> None:
    """Kill what runs in the namespace, then delete its veth pair and the namespace."""
    host.kill_everything()
    _ip("link", "del", host.veth, check=False)
    _ip("netns", "del", host.name, check=False)


def remove_orphans() -> list[str]:
    """Remove the namespaces of earlier runs whose test process is gone (a killed pytest);
    `run` is the pid of the process that made them, so live runs are left alone."""
    removed = []
    for line in _ip("netns", "list").stdout.splitlines():
        name = line.split()[0] if line.strip() else ""
        parts = name.split("-")
        if len(parts) != 3 or parts[0] != PREFIX or not parts[1].isdigit():
            continue
        if Path(f"/proc/{parts[1]}").exists():
            continue
        remove_host(Host(name=name, veth=f"{PREFIX}{parts[1]}{parts[2]}", address="", gateway=""))
        removed.append(name)
    return removed


def leftovers(run: str) -> list[str]:
    """Namespaces and links of this run still present (none after a clean teardown)."""
    names = _ip("netns", "list").stdout + _ip("-o", "link").stdout
    ours = (f"{PREFIX}-{run}", f"{PREFIX}{run}")
    return [word for word in names.split() if word.startswith(ours)]
