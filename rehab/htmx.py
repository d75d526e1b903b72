"""Where a request lands when its session has ended, and how a stale form is answered.

``LoginRedirectMiddleware`` takes the login redirect of ``LoginRequiredMiddleware``:
- it says on the login page that the session ended, when the browser was signed in and
  did not sign out. The session cookie cannot tell: it expires in the browser when the
  session does. So a signed-in browser carries a second cookie, ``SIGNED_IN_COOKIE``
  (no personal data, a flag), that outlives the session and goes at sign-out;
- for an htmx request it sends the browser to the login page as a whole page. Left alone,
  htmx would follow the redirect itself and put the login form inside the region it was
  reloading; the page the user was on is where they come back to.
"""

from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

SIGNED_IN_COOKIE = "rehab_signed_in"
SIGNED_IN = "1"
SIGNED_IN_COOKIE_HOURS = 12


class LoginRedirectMiddleware:
    """Listed after AuthenticationMiddleware and MessageMiddleware, so it sees who signed
    out and the notice it adds is stored on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in_before = request.user.is_authenticated
        response = self.get_response(request)
        self._keep_signed_in_cookie(request, response, signed_in_before)
        if not self._is_sent_to_sign_in(response):
            return response
        if request.COOKIES.get(SIGNED_IN_COOKIE) == SIGNED_IN:
            response.delete_cookie(SIGNED_IN_COOKIE)  # said once
            messages.info(request, _(
                "You were signed out after %(minutes)d minutes without activity. Sign in "
                "again to go on where you were.") % {"minutes": settings.SESSION_COOKIE_AGE // 60})
        if request.headers.get("HX-Request") == "true":
            return self._whole_page_redirect(request, cookies=response.cookies)
        return response

    @staticmethod
    def _whole_page_redirect(request, *, cookies) -> HttpResponse:
        """htmx's own redirect: to the login page, back to the page the user was on."""
        login = resolve_url(settings.LOGIN_URL)
        page = request.headers.get("HX-Current-URL", "")
        if not url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            page = ""
        parts = urlsplit(page)
        back = parts.path + (f"?{parts.query}" if parts.query else "")
        response = HttpResponse(status=204)
        response["HX-Redirect"] = (f"{login}?{urlencode({REDIRECT_FIELD_NAME: back})}"
                                   if back else login)
        response.cookies = cookies
        return response

    @staticmethod
    def _keep_signed_in_cookie(request, response, signed_in_before: bool) -> None:
        if request.user.is_authenticated:
            if request.COOKIES.get(SIGNED_IN_COOKIE) != SIGNED_IN:
                response.set_cookie(
                    SIGNED_IN_COOKIE, SIGNED_IN, max_age=SIGNED_IN_COOKIE_HOURS * 3600,
                    secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
        elif signed_in_before:  # signed out by this request
            response.delete_cookie(SIGNED_IN_COOKIE)

    @staticmethod
    def _is_sent_to_sign_in(response) -> bool:
        """LoginRequiredMiddleware's redirect: to the login page, with the page asked for
        as ``next`` (signing out also ends on the login page, without one)."""
        if response.status_code != 302:
            return False
        location = urlsplit(response["Location"])
        return (location.path == resolve_url(settings.LOGIN_URL)
                and REDIRECT_FIELD_NAME in parse_qs(location.query))


FORM_EXPIRED_HEADER = "X-Form-Expired"


def csrf_failure(request, reason=""):
    """The expired-form page (templates/403_csrf.html); marked for htmx, so a region sent
    from a stale page says the page expired rather than that access was refused."""
    response = render(request, "403_csrf.html", status=403)
    response[FORM_EXPIRED_HEADER] = "1"
    return response
