"""The record of releases of raw or identifying data (reports without suppression,
extracts that are not pseudonymised): who, when, what and from where.

Every code path that hands such data out calls ``record_release`` before the data
leaves, in the same transaction as the work where there is one, so that no release goes
unrecorded. The record is append-only: the admin shows it read-only.
"""

from __future__ import annotations

import getpass
import logging

from django.contrib.auth.models import AbstractBaseUser

from .models import DataRelease, ExportKind, ReleaseChannel

logger = logging.getLogger(__name__)


def command_operator() -> str:
    """Who runs a management command: the operating-system account."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        return "unknown"


def record_release(*, kind: str, description: str, parameters: dict,
                   user: AbstractBaseUser | None = None, operator: str = "",
                   channel: str = ReleaseChannel.WEB, address: str | None = None) -> DataRelease:
    """Record one release. ``user`` for the web (and ``address``, the client's), or
    ``operator`` with ``channel=ReleaseChannel.COMMAND`` for the command line."""
    if kind not in ExportKind.values:
        raise ValueError(kind)
    if user is not None and not operator:
        operator = user.get_username()
    release = DataRelease.objects.create(
        user=user, operator=operator or command_operator(), channel=channel, address=address,
        kind=kind, description=description[:500], parameters=parameters,
    )
    logger.info("release of raw data %s recorded (%s, by user %s)", release.pk, kind,
                user.pk if user is not None else "-")
    return release
