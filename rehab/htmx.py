"""An htmx request whose session has ended goes to the login page as a whole page.

Left alone, htmx would follow the login redirect itself and put the login form inside the
region it was reloading (a timeline, a form). This sends the browser to the login page
instead, with the page the user was on as where to come back to.
"""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponse
from django.shortcuts import render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


class HtmxLoginRedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.headers.get("HX-Request") == "true" and response.status_code == 302
                and urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL)):
            page = request.headers.get("HX-Current-URL", "")
            if not url_has_allowed_host_and_scheme(page, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
                page = ""
            parts = urlsplit(page)
            back = parts.path + (f"?{parts.query}" if parts.query else "")
            login = resolve_url(settings.LOGIN_URL)
            redirect = HttpResponse(status=204)
            redirect["HX-Redirect"] = (f"{login}?{urlencode({REDIRECT_FIELD_NAME: back})}"
                                       if back else login)
            return redirect
        return response


FORM_EXPIRED_HEADER = "X-Form-Expired"


def csrf_failure(request, reason=""):
    """The expired-form page (templates/403_csrf.html); marked for htmx, so a region sent
    from a stale page says the page expired rather than that access was refused."""
    response = render(request, "403_csrf.html", status=403)
    response[FORM_EXPIRED_HEADER] = "1"
    return response
