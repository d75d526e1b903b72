"""Administrators and project leads must give their second factor before anything else
(participants/two_factor.py): until then every page sends them to set it up or to type
the code, except those pages themselves, signing out and the language switch."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from .two_factor import confirmed_device, needs_two_factor

OPEN_BEFORE_THE_SECOND_FACTOR = frozenset({
    "participants:two_factor_setup", "participants:two_factor_verify", "logout",
    "set_language",
})


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (user.is_authenticated and not user.is_verified() and needs_two_factor(user)
                and not self._is_open(request)):
            target = ("participants:two_factor_verify" if confirmed_device(user)
                      else "participants:two_factor_setup")
            url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
            if getattr(request, "htmx", False):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
        return self.get_response(request)

    @staticmethod
    def _is_open(request) -> bool:
        try:
            return resolve(request.path_info).view_name in OPEN_BEFORE_THE_SECOND_FACTOR
        except Resolver404:
            return True  # static files in development, and pages that do not exist
