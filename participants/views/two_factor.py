"""Setting up the authenticator app, and typing its code after the password."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from participants import two_factor
from participants.forms.two_factor import TokenForm
from rehab.redirects import local_path


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    return local_path(request, candidate) or "/"


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if two_factor.confirmed_device(request.user) is not None:
        return redirect("participants:two_factor_verify" if not request.user.is_verified()
                        else "participants:home")
    device = two_factor.device_to_set_up(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.two_factor_confirm(request=request, device=device,
                                          token=form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            return redirect(_next_url(request))
    return render(request, "registration/two_factor_setup.html", {
        "form": form, "qr_code": two_factor.qr_code(device),
        "secret": two_factor.readable_secret(device), "next": _next_url(request),
    }, status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if two_factor.confirmed_device(request.user) is None:
        return redirect("participants:two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            two_factor.two_factor_verify(request=request, token=form.cleaned_data["token"])
        except ValidationError as exc:
            form.add_error("token", exc)
        else:
            return redirect(_next_url(request))
    return render(request, "registration/two_factor_verify.html",
                  {"form": form, "next": _next_url(request)},
                  status=400 if request.method == "POST" else 200)
