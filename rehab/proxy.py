"""The client's address behind reverse proxies.

Behind nginx (docs/operations.md) REMOTE_ADDR is the proxy's own address; the client's is
the entry the proxy added to X-Forwarded-For. The sign-in lockout counts failures per user
name and address, and the access log and the record of releases keep the address: with
the proxy's address for everyone, anyone could lock anyone out. With ``PROXY_COUNT``
proxies in front, each appending the address it saw, the client is the entry that many
places from the right; entries further left came from the client and prove nothing.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def client_address_from(forwarded_for: str, proxies: int) -> str | None:
    """The address the outermost of ``proxies`` trusted proxies saw, or None when the
    header does not hold one there (no such proxy in the path, or not an address)."""
    if proxies < 1:
        return None
    entries = [entry.strip() for entry in forwarded_for.split(",")]
    if len(entries) < proxies:
        return None
    candidate = entries[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class ClientAddressMiddleware:
    """REMOTE_ADDR becomes the client's address when ``PROXY_COUNT`` proxies are in front."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        proxies = getattr(settings, "PROXY_COUNT", 0)
        if proxies:
            address = client_address_from(request.META.get("HTTP_X_FORWARDED_FOR", ""),
                                          proxies)
            if address is not None:
                request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
