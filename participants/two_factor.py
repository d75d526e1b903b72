"""Two-factor sign-in (TOTP, django-otp) for the roles that see the most: administrators
and project leads. After the password, they give a six-digit code from an authenticator
app; the first time, they set the app up by scanning a QR code.

``REQUIRE_TWO_FACTOR`` (on with DEBUG off) decides whether those roles must; everyone may
set it up for themselves.
"""

from __future__ import annotations

import base64

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from rehab.roles import Role, roles_of

ROLES_THAT_NEED_IT = frozenset({Role.ADMINISTRATOR, Role.PROJECT_LEAD})
ISSUER = "rehab"


def needs_two_factor(user) -> bool:
    return bool(settings.REQUIRE_TWO_FACTOR and roles_of(user) & ROLES_THAT_NEED_IT)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


@transaction.atomic
def device_to_set_up(user) -> TOTPDevice:
    """The user's unconfirmed authenticator, created the first time it is asked for."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"),
                                           confirmed=False)
    return device


def qr_code(device: TOTPDevice) -> SafeString:
    """The device's otpauth:// URL as an SVG QR code (no script or style in it)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return mark_safe(image.to_string(encoding="unicode"))


def readable_secret(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    text = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def two_factor_confirm(*, request, device: TOTPDevice, token: str) -> None:
    """Finish setting up: the first code from the app proves it holds the key."""
    if not device.verify_token(token.strip()):
        raise ValidationError(_("The code is not right. Check the time on your phone, wait "
                                "a moment, and type the code the app shows now."))
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    device.confirmed = True
    otp_login(request, device)


def two_factor_verify(*, request, token: str) -> None:
    """The code after the password; the device throttles repeated wrong codes."""
    device = match_token(request.user, token.strip())
    if device is None:
        raise ValidationError(_("The code is not right, or it has been used. Wait a moment, "
                                "and type the code your authenticator app shows now."))
    otp_login(request, device)
