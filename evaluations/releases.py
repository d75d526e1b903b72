"""The record of releases of raw or identifying data (reports without suppression,
extracts that are not pseudonymised): who, when, what and from where.

Every code path that hands such data out, page or command, calls ``release_raw_report``
or ``release_identifying_extract`` before the data leave, in the same transaction as the
work where there is one, so that no release goes unrecorded. Each records the release and
a read of every participant it covers in the access log. The record is append-only: the
admin shows it read-only.
"""

from __future__ import annotations

import datetime as dt
import getpass
import logging

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from participants import access_log
from participants.models import AccessKind, Participant

from .models import DataRelease, ExportKind, Project, ReleaseChannel, descendant_ids_of

logger = logging.getLogger(__name__)


def command_operator() -> str:
    """Who runs a management command: the operating-system account."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        return "unknown"


def participants_in(project: Project | None) -> QuerySet[Participant]:
    """The participants a report or extract of this scope covers: sub-projects included."""
    if project is None:
        return Participant.objects.all()
    return Participant.objects.filter(project_id__in=descendant_ids_of({project.pk}))


def release_raw_report(*, project: Project | None, date_from: dt.date, date_to: dt.date,
                       parameters: dict, detail: str, user: AbstractBaseUser | None = None,
                       operator: str = "", channel: str = ReleaseChannel.WEB,
                       address: str | None = None, figures_only: bool = False
                       ) -> DataRelease:
    """``figures_only``: the indicators alone (``manage.py indicators --raw``), no report."""
    values = {"what": _scope(project), "start": date_from, "end": date_to}
    if figures_only:
        description = _("Indicators without suppression: %(what)s, %(start)s to %(end)s"
                        ) % values
    else:
        description = _("Evaluation report without suppression: %(what)s, %(start)s to "
                        "%(end)s") % values
    return _release(kind=ExportKind.REPORT, read=AccessKind.RAW_REPORT, project=project,
                    description=description, parameters=parameters, detail=detail, user=user,
                    operator=operator, channel=channel, address=address)


def release_identifying_extract(*, project: Project | None, parameters: dict, detail: str,
                                user: AbstractBaseUser | None = None, operator: str = "",
                                channel: str = ReleaseChannel.WEB,
                                address: str | None = None) -> DataRelease:
    description = _("Data extract with names and identity numbers: %(what)s") % {
        "what": _scope(project)}
    return _release(kind=ExportKind.EXTRACT, read=AccessKind.EXTRACT, project=project,
                    description=description, parameters=parameters, detail=detail, user=user,
                    operator=operator, channel=channel, address=address)


def _scope(project: Project | None) -> str:
    return project.code if project else _("all projects")


def _release(*, kind: str, read: str, project: Project | None, description: str,
             parameters: dict, detail: str, user: AbstractBaseUser | None, operator: str,
             channel: str, address: str | None) -> DataRelease:
    if user is not None and not operator:
        operator = user.get_username()
    operator = operator or command_operator()
    access_log.record_reads(user=user, username=operator, participants=participants_in(project),
                            what=read, address=address, detail=detail)
    release = DataRelease.objects.create(
        user=user, operator=operator, channel=channel, address=address, kind=kind,
        description=description[:500], parameters=parameters,
    )
    logger.info("release of raw data %s recorded (%s, by user %s)", release.pk, kind,
                user.pk if user is not None else "-")
    return release
