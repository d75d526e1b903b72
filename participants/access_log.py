"""Recording and reading the access log: who read which participant's personal data,
when, what and from where.

Views and services call ``record_read`` when they show a participant's personal data;
the regions a participant page reloads by themselves call ``record_region_read``;
``record_reads`` records one row per participant of a whole set in one statement (an
identifying extract, a report with raw values). Rows are never changed or deleted.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from rehab.roles import Role, roles_of

from .models import AccessKind, AccessLogEntry, Participant

DETAIL_LENGTH = 300
# A region fetched again within this time of a read of the same case file by the same
# user is part of that read: the page reloads its regions after every change.
REGION_READ_COVERED = dt.timedelta(minutes=10)


def client_address(request) -> str | None:
    """The address the request came from: REMOTE_ADDR, the client's behind the reverse
    proxy too (rehab/proxy.py)."""
    return request.META.get("REMOTE_ADDR") or None


def record_read(*, user, participant: Participant | int, what: str, request=None,
                detail: str = "") -> AccessLogEntry:
    if what not in AccessKind.values:
        raise ValueError(what)
    participant_id = participant if isinstance(participant, int) else participant.pk
    if request is not None and not detail:
        detail = request.get_full_path()
    return AccessLogEntry.objects.create(
        user=user, username=user.get_username(), participant_id=participant_id, what=what,
        detail=detail[:DETAIL_LENGTH],
        address=client_address(request) if request is not None else None,
    )


# What a region's read is covered by: the case file's regions by any read of the case
# file; the participant's own answers only by an earlier read of those.
COVERED_BY = {
    AccessKind.CASE_FILE: (AccessKind.CASE_FILE, AccessKind.TIMELINE),
    AccessKind.TIMELINE: (AccessKind.CASE_FILE, AccessKind.TIMELINE),
    AccessKind.VOICE: (AccessKind.VOICE,),
    AccessKind.PROVIDER_ENROLLMENT: (AccessKind.PROVIDER_ENROLLMENT,),
}


def record_region_read(*, user, participant: Participant, request,
                       what: str = AccessKind.CASE_FILE) -> AccessLogEntry | None:
    """A region of the participant page fetched on its own (a reload after a change, or a
    request made without the page), or shown again in the answer to an action on it (its
    errors, or the region fresh after a save: a form posted empty is answered with the
    data too). Recorded unless the same user read the same data of
    this participant within REGION_READ_COVERED: a region cannot be read unlogged, and the
    reloads after each saved follow-up do not bury the log in repeats."""
    since = timezone.now() - REGION_READ_COVERED
    covered = AccessLogEntry.objects.filter(
        participant_id=participant.pk, at__gte=since, user=user,
        what__in=COVERED_BY[what]).exists()
    if covered:
        return None
    return record_read(user=user, participant=participant, what=what, request=request)


def record_reads(*, user, participants: QuerySet[Participant], what: str,
                 address: str | None = None, detail: str = "", username: str = "") -> int:
    """One row per participant of the set, in one INSERT ... SELECT (an extract of a
    million people is one statement). ``username`` names who ran a command when there is
    no user. The number recorded."""
    if what not in AccessKind.values:
        raise ValueError(what)
    table = connection.ops.quote_name(AccessLogEntry._meta.db_table)
    select, params = participants.order_by().values("pk").query.sql_with_params()
    columns = ", ".join(connection.ops.quote_name(c) for c in
                        ("at", "user_id", "username", "participant_id", "what", "detail",
                         "address"))
    people = connection.ops.quote_name(Participant._meta.db_table)
    sql = (f"INSERT INTO {table} ({columns}) "
           f"SELECT %s, %s, %s, chosen.id, %s, %s, %s FROM {people} AS chosen "
           f"WHERE chosen.id IN ({select})")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, user.pk if user else None,
                             username or (user.get_username() if user else ""), what,
                             detail[:DETAIL_LENGTH], address, *params])
        return cursor.rowcount


def may_see_who_read(user, participant: Participant) -> bool:
    """The participant's own case worker, the data protection officer and administrators
    see who has read the record."""
    roles = roles_of(user)
    if roles & {Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER}:
        return True
    return Role.CASE_WORKER in roles and participant.primary_case_worker_id == user.pk


def may_reveal_identity(user, participant: Participant) -> bool:
    """The whole identity number is shown, on request, to the participant's own (primary)
    case worker only."""
    return (bool(participant.national_id_hash) and Role.CASE_WORKER in roles_of(user)
            and participant.primary_case_worker_id == user.pk)


def may_search_access_log(user) -> bool:
    return bool(roles_of(user) & {Role.ADMINISTRATOR, Role.DATA_PROTECTION_OFFICER})


def reads_of(participant: Participant, *, user) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.visible_to(user).filter(participant_id=participant.pk)


def search(*, user, participant_ref: str = "", username: str = "", what: str = "",
           date_from=None, date_to=None) -> QuerySet[AccessLogEntry]:
    """The log filtered for the search page, newest first."""
    entries = AccessLogEntry.objects.visible_to(user)
    if participant_ref:
        ids = Participant.objects.filter(ref=participant_ref).values("pk")
        entries = entries.filter(participant_id__in=ids)
    if username:
        entries = entries.filter(username=username)
    if what:
        entries = entries.filter(what=what)
    if date_from:
        entries = entries.filter(at__date__gte=date_from)
    if date_to:
        entries = entries.filter(at__date__lte=date_to)
    return entries.select_related("participant")
