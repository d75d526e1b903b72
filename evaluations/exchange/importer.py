"""Importing a bundle: all or nothing, idempotent, in batches.

Pass one (validate.py) checks every rule and writes nothing. Pass two reads the files
again and writes them in batches inside one transaction, so a failure part-way leaves
the database as it was. Refs and codes are natural keys: importing a bundle again
updates what is there. Follow-ups and outcome spells have no ref; each gets an import
key from who, when and what (and how many identical rows came before it in the file),
so a re-import updates them rather than adding copies, and rows entered in the
application are never touched.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from evaluations.models import Project
from evaluations.snapshots.staleness import mark_all_projects_stale
from measures.models import Enrollment, Measure
from participants.encryption import encrypt, lookup_hash
from participants.models import (
    Answer,
    CaseWorkerAssignment,
    FollowUp,
    Office,
    OutcomeSpell,
    Participant,
    StaffProfile,
)
from participants.services.caseload import next_contacts_fulfilled
from providers.models import Provider
from rehab.roles import Role

from . import schema
from .bundle import Bundle, Problem
from .validate import (
    BundleIndex,
    Progress,
    follow_up_identity,
    instrument_items,
    iter_records,
    known_users,
    outcome_identity,
    validate_bundle,
)

logger = logging.getLogger(__name__)
BATCH_SIZE = 5000


class BundleInvalid(Exception):
    """The bundle breaks at least one rule; nothing was written."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.total = len(problems) if total is None else total
        super().__init__(f"{self.total} problems")
        self.problems = problems  # sorted; the first validate.PROBLEMS_KEPT of total


@dataclass
class ImportSummary:
    rows: dict[str, int] = field(default_factory=dict)
    users_created: int = 0


def import_bundle(path: Path | str, *, progress: Progress | None = None) -> ImportSummary:
    """Import the bundle at ``path`` (folder or .zip); raise BundleInvalid if any rule
    is broken, in which case nothing is written."""
    with Bundle(path) as bundle:
        problems, index = validate_bundle(bundle, progress)
        if problems:
            raise BundleInvalid(problems, problems.total)
        with transaction.atomic():
            summary = _write(bundle, index, progress)
            # Bulk writes send no signals: mark the indicator snapshots stale here, in the
            # same transaction as the data, so the refresh job recomputes them.
            mark_all_projects_stale()
    logger.info("imported bundle: %s", summary.rows)
    return summary


def _write(bundle: Bundle, index: BundleIndex, progress: Progress | None) -> ImportSummary:
    summary = ImportSummary(rows=dict(index.rows))
    _write_projects(bundle)
    _write_providers(bundle)
    _write_measures(bundle)
    summary.users_created = _ensure_users(index)
    _write_participants(bundle, index, progress)
    _write_enrollments(bundle, progress)
    _write_keyed_rows(bundle, schema.OUTCOMES, index.outcome_repeats, progress)
    _write_keyed_rows(bundle, schema.FOLLOW_UPS, index.follow_up_repeats, progress)
    _write_answers(bundle, progress)
    return summary


def _records(bundle: Bundle, spec: schema.FileSpec):
    problems: list[Problem] = []
    for _cells, row in iter_records(bundle, spec, problems):
        yield row
    if problems:  # the file changed between the passes
        raise BundleInvalid(problems)


def _batches(rows, size: int = BATCH_SIZE):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _upsert(model, rows: list[dict], *, conflict: list[str], update: list[str],
            partial: bool = False) -> None:
    """Insert rows, or update the row with the same ``conflict`` key where a value differs.
    ``partial``: the key is unique only where it is set (a partial unique index), so the
    conflict target names that condition too.

    bulk_create(update_conflicts=True) does the same, but its per-field preparation
    costs more than the database work for the million-row files. A row whose values are
    unchanged is left alone, so importing the same bundle again leaves even
    ``updated_at`` as it was.
    """
    if not rows:
        return
    now = timezone.now()
    columns = [*rows[0].keys(), "created_at", "updated_at"]
    values = [(*row.values(), now, now) for row in rows]
    if connection.vendor == "postgresql":
        _upsert_postgresql(model._meta.db_table, columns, values, conflict, update, partial)
    else:
        _upsert_sqlite(model._meta.db_table, columns, values, conflict, update, partial)


def _upsert_tail(table: str, conflict: list[str], update: list[str], distinct: str,
                 partial: bool) -> str:
    quote = connection.ops.quote_name
    where = (" WHERE " + " AND ".join(f"{quote(c)} IS NOT NULL" for c in conflict)
             if partial else "")
    assignments = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in [*update, "updated_at"])
    changed = " OR ".join(f"{quote(table)}.{quote(c)} {distinct} excluded.{quote(c)}"
                          for c in update)
    return (f" ON CONFLICT ({', '.join(quote(c) for c in conflict)}){where} "
            f"DO UPDATE SET {assignments} WHERE {changed}")


def _upsert_sqlite(table, columns, values, conflict, update, partial) -> None:
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(columns))
    sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
           f"VALUES ({placeholders})" + _upsert_tail(table, conflict, update, "IS NOT", partial))
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row[:-2], adapt(row[-2]), adapt(row[-1])) for row in values])


def _upsert_postgresql(table, columns, values, conflict, update, partial) -> None:
    """COPY into a temporary table, then one INSERT ... SELECT: the fast path for bulk
    writes in PostgreSQL (a statement with thousands of parameters is slow to send)."""
    quote = connection.ops.quote_name
    staging = quote(f"import_{table}")
    column_list = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ON COMMIT DROP AS "
            f"SELECT {column_list} FROM {quote(table)} WITH NO DATA"
        )
        cursor.execute(f"TRUNCATE {staging}")
        with cursor.cursor.copy(f"COPY {staging} ({column_list}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        cursor.execute(
            f"INSERT INTO {quote(table)} ({column_list}) SELECT {column_list} FROM {staging}"
            + _upsert_tail(table, conflict, update, "IS DISTINCT FROM", partial)
        )


def _save_if_changed(model, code: str, values: dict) -> None:
    """Create or update one catalogue row by code, saving only when a value differs."""
    obj = model.objects.filter(code=code).first()
    if obj is None:
        model.objects.create(code=code, **values)
        return
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=[*changed, "updated_at"])


def _write_projects(bundle: Bundle) -> None:
    rows = {row.code: row for row in _records(bundle, schema.PROJECTS)}
    for row in rows.values():
        _save_if_changed(Project, row.code, {
            "name": row.name, "starts_on": row.starts_on, "ends_on": row.ends_on,
            "target_work_rate": row.target_work_rate,
            "target_education_rate": row.target_education_rate,
        })
    ids = dict(Project.objects.values_list("code", "pk"))
    for row in rows.values():
        _save_if_changed(Project, row.code, {
            "parent_id": ids[row.parent_code] if row.parent_code else None})


def _write_providers(bundle: Bundle) -> None:
    for row in _records(bundle, schema.PROVIDERS):
        _save_if_changed(Provider, row.code, {
            "name": row.name, "organisation_number": row.organisation_number,
            "municipality": row.municipality,
        })


def _write_measures(bundle: Bundle) -> None:
    providers = dict(Provider.objects.values_list("code", "pk"))
    for row in _records(bundle, schema.MEASURES):
        _save_if_changed(Measure, row.code, {
            "name": row.name, "measure_type": row.measure_type,
            "provider_id": providers[row.provider_code], "setting": row.setting,
            "capacity": row.capacity,
        })


def _ensure_users(index: BundleIndex) -> int:
    """Usernames the bundle names but the system lacks become inactive case workers with
    no password (EXCHANGE.md); an administrator activates them."""
    User = get_user_model()
    existing = set(User.objects.filter(username__in=index.usernames)
                   .values_list("username", flat=True))
    new_users = []
    for username in sorted(index.usernames - existing):
        user = User(username=username, is_active=False)
        user.set_unusable_password()
        new_users.append(user)
    User.objects.bulk_create(new_users, batch_size=BATCH_SIZE)
    created = User.objects.filter(username__in=[u.username for u in new_users])
    group = Group.objects.get(name=Role.CASE_WORKER)
    group.user_set.add(*created)

    offices = _ensure_offices(set(index.case_worker_offices.values()))
    users = known_users()
    with_profile = set(StaffProfile.objects.values_list("user__username", flat=True))
    StaffProfile.objects.bulk_create([
        StaffProfile(user_id=users[username], office_id=offices[office])
        for username, office in index.case_worker_offices.items()
        if username not in with_profile
    ], batch_size=BATCH_SIZE)
    return len(new_users)


def _ensure_offices(codes: set[str]) -> dict[str, int]:
    existing = set(Office.objects.filter(code__in=codes).values_list("code", flat=True))
    Office.objects.bulk_create([Office(code=c, name=c) for c in sorted(codes - existing)])
    return dict(Office.objects.filter(code__in=codes).values_list("code", "pk"))


def _write_participants(bundle: Bundle, index: BundleIndex, progress: Progress | None) -> None:
    projects = dict(Project.objects.values_list("code", "pk"))
    users = known_users()
    today = timezone.localdate()
    written = 0
    for batch in _batches(_records(bundle, schema.PARTICIPANTS)):
        offices = _ensure_offices({row.office for row in batch})
        refs = [row.ref for row in batch]
        stored = {ref: (worker, number_hash, token) for ref, worker, number_hash, token in
                  Participant.objects.filter(ref__in=refs).values_list(
                      "ref", "primary_case_worker_id", "national_id_hash",
                      Cast("national_id", TextField()))}
        before = {ref: worker for ref, (worker, _hash, _token) in stored.items()}
        fields = ["project_id", "office_id", "birth_year", "gender", "immigrant_background",
                  "primary_case_worker_id", "given_name", "family_name", "national_id",
                  "national_id_hash", "national_id_country", "evaluation_consent"]
        _upsert(Participant, [
            {"ref": row.ref, "project_id": projects[row.project_code],
             "office_id": offices[row.office], "birth_year": row.birth_year,
             "gender": row.gender, "immigrant_background": row.immigrant_background,
             "primary_case_worker_id": users.get(row.primary_case_worker),
             "given_name": row.given_name, "family_name": row.family_name,
             **_encrypted_identity(row, stored.get(row.ref)),
             "national_id_country": row.national_id_country,
             "evaluation_consent": row.evaluation_consent}
            for row in batch
        ], conflict=["ref"], update=fields)
        ids = dict(Participant.objects.filter(ref__in=refs).values_list("ref", "pk"))
        CaseWorkerAssignment.objects.bulk_create([
            CaseWorkerAssignment(
                participant_id=ids[row.ref], case_worker_id=users[row.primary_case_worker],
                assigned_on=index.first_referral.get(row.ref, today) if row.ref not in before
                else today,
            )
            for row in batch
            if row.primary_case_worker is not None
            and (row.ref not in before or before[row.ref] != users[row.primary_case_worker])
        ])
        written += len(batch)
        _report(progress, schema.PARTICIPANTS, written)


def _encrypted_identity(row: schema.ParticipantRow, stored: tuple | None) -> dict:
    """The number encrypted, with its lookup hash. Encryption is not deterministic: an
    unchanged number keeps the stored token, so importing the same bundle again still
    changes nothing."""
    number_hash = lookup_hash(row.national_id_country, row.national_id)
    if stored is not None and stored[1] == number_hash:
        return {"national_id": stored[2], "national_id_hash": number_hash}
    return {"national_id": encrypt(row.national_id), "national_id_hash": number_hash}


def _participant_ids(refs) -> dict[str, int]:
    return dict(Participant.objects.filter(ref__in=set(refs)).values_list("ref", "pk"))


def _write_enrollments(bundle: Bundle, progress: Progress | None) -> None:
    measures = dict(Measure.objects.values_list("code", "pk"))
    written = 0
    for batch in _batches(_records(bundle, schema.ENROLLMENTS)):
        participants = _participant_ids(row.participant_ref for row in batch)
        _upsert(Enrollment, [
            {"ref": row.ref, "participant_id": participants[row.participant_ref],
             "measure_id": measures[row.measure_code], "referred_on": row.referred_on,
             "started_on": row.started_on, "ended_on": row.ended_on,
             "end_reason": row.end_reason}
            for row in batch
        ], conflict=["ref"], update=["participant_id", "measure_id", "referred_on", "started_on",
                                     "ended_on", "end_reason"])
        written += len(batch)
        _report(progress, schema.ENROLLMENTS, written)


def _import_key(identity: int, occurrence: int) -> str:
    text = f"{identity}#{occurrence}".encode()
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def _write_keyed_rows(bundle: Bundle, spec: schema.FileSpec, repeats: frozenset[int],
                      progress: Progress | None) -> None:
    if not bundle.has(spec.name):
        return
    users = known_users()
    occurrences: Counter[int] = Counter()
    written = 0
    for batch in _batches(_records(bundle, spec)):
        participants = _participant_ids(row.participant_ref for row in batch)
        rows = []
        for row in batch:
            identity = (outcome_identity(row) if spec is schema.OUTCOMES
                        else follow_up_identity(row))
            occurrence = 0
            if identity in repeats:
                occurrence = occurrences[identity]
                occurrences[identity] += 1
            values = {"import_key": _import_key(identity, occurrence),
                      "participant_id": participants[row.participant_ref]}
            if spec is schema.OUTCOMES:
                values.update(kind=row.kind, started_on=row.started_on, ended_on=row.ended_on,
                              hours_per_week=row.hours_per_week, organisation_name="")
            else:
                values.update(occurred_on=row.occurred_on, case_worker_id=users[row.case_worker],
                              channel=row.channel, with_employer=row.with_employer,
                              with_treatment=row.with_treatment, note="")
            rows.append(values)
        if spec is schema.OUTCOMES:
            _upsert(OutcomeSpell, rows, conflict=["import_key"], partial=True,
                    update=["ended_on", "hours_per_week"])
        else:
            _upsert(FollowUp, rows, conflict=["import_key"], partial=True,
                    update=["with_employer", "with_treatment"])
            # As when a case worker logs them: a contact on or after the planned date
            # fulfils the plan.
            next_contacts_fulfilled(participant_ids={row["participant_id"] for row in rows})
        written += len(batch)
        _report(progress, spec, written)


def _write_answers(bundle: Bundle, progress: Progress | None) -> None:
    if not bundle.has(schema.RESPONSES.name):
        return
    items = instrument_items()
    written = 0
    for batch in _batches(_records(bundle, schema.RESPONSES)):
        participants = _participant_ids(row.participant_ref for row in batch)
        _upsert(Answer, [
            {"participant_id": participants[row.participant_ref],
             "item_id": items[(row.instrument, row.item)][0],
             "answered_on": row.answered_on, "score": row.score}
            for row in batch
        ], conflict=["participant_id", "item_id", "answered_on"], update=["score"])
        written += len(batch)
        _report(progress, schema.RESPONSES, written)


def _report(progress: Progress | None, spec: schema.FileSpec, written: int) -> None:
    if progress is not None:
        progress(spec.name, written)


__all__ = ["BundleInvalid", "ImportSummary", "import_bundle"]
