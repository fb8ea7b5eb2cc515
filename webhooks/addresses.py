"""Where a webhook may be sent: http(s) URLs on public addresses only.

A URL is checked when it is saved and again at each send, after its name is resolved; the
request then goes to the very address that was checked, so a name that resolves to a public
address at the check and to an internal one a moment later (DNS rebinding) reaches nothing
inside. WEBHOOK_ALLOW_PRIVATE_ADDRESSES lifts the address rule, for tests and local set-ups.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from django.conf import settings

SCHEMES = {"http": 80, "https": 443}
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class AddressRefused(Exception):
    """The URL may not be called; the message says why, in words for the endpoint's admin."""


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str  # the name, for the Host header and the TLS certificate
    port: int
    target: str  # path and query
    address: str  # the checked address to connect to

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == SCHEMES[self.scheme] else f"{host}:{self.port}"


def _parts(url: str) -> tuple[SplitResult, str, int]:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise AddressRefused(f"“{url}” is not a valid URL ({error}).") from error
    if parts.scheme not in SCHEMES:
        raise AddressRefused("Use an http:// or https:// URL.")
    if not parts.hostname:
        raise AddressRefused("The URL needs a host name, such as https://chat.example.com/hooks/desk.")
    if parts.username or parts.password:
        raise AddressRefused("Leave the user name and password out of the URL: requests are signed instead.")
    return parts, parts.hostname, port or SCHEMES[parts.scheme]


def forbidden_reason(address: IPAddress) -> str:
    """Why a request may not go to `address`, or "" if it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for reason, flagged in (
        # The narrower names first: loopback and link-local ranges are private too.
        ("a loopback address", address.is_loopback),
        ("a link-local address", address.is_link_local),
        ("a multicast address", address.is_multicast),
        ("an unspecified address", address.is_unspecified),
        ("a reserved address", address.is_reserved),
        ("a private address", address.is_private),
        ("not a public address", not address.is_global),
    ):
        if flagged:
            return reason
    return ""


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address the name stands for (a literal address stands for itself)."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise AddressRefused(f"No address was found for {host}: check the name ({error}).") from error
    # An IPv6 scope ("%eth0") would be a link-local address anyway: such a name is refused.
    return list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found))


def destination(url: str) -> Destination:
    """Where to connect for `url`, after checking every address its name resolves to."""
    parts, host, port = _parts(url)
    addresses = resolve(host, port)
    if not addresses:
        raise AddressRefused(f"No address was found for {host}.")
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        # One internal address among public ones is enough to refuse: which one a client picks varies.
        for address in addresses:
            if reason := forbidden_reason(address):
                where = f"{host} is" if host == str(address) else f"{host} resolves to {address},"
                raise AddressRefused(f"{where} {reason}: webhooks go only to public addresses.")
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    return Destination(scheme=parts.scheme, host=host, port=port, target=target, address=str(addresses[0]))
