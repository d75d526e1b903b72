"""Where a form may send the user back to: a page named by ``next``."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def local_path(request: HttpRequest, candidate: str) -> str:
    """``candidate`` if it is a path on this site, else ''.

    Only a path that starts with '/': a bare word would be taken by ``redirect()`` for the
    name of a view to look up (a 500 when there is none), and another host is never a
    place to send a signed-in user.
    """
    if not candidate.startswith("/"):
        return ""
    if not url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return ""
    return candidate
