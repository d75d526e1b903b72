"""Exporting case data as a bundle (EXCHANGE.md): a folder, or a .zip.

Rows are streamed from the database to the file in batches, so memory stays flat however
large the export. The file appears only when it is complete: it is written under a
temporary name and renamed at the end, so a failure leaves nothing half-written.

With ``pseudonymize``, references and usernames become keyed pseudonyms (pseudonyms.py),
nothing that names or identifies a person is written (no names, identity numbers, notes,
employer or school names), and participants who declined evaluation use are left out
with everything that refers to them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from evaluations.models import Project, descendant_ids
from measures.models import Enrollment, Measure
from participants.models import Answer, FollowUp, OutcomeSpell, Participant
from providers.models import Provider

from . import schema
from .pseudonyms import Pseudonymizer

BATCH_SIZE = 2000
IDENTIFYING_PARTICIPANT_COLUMNS = ("given_name", "family_name", "national_id",
                                   "national_id_country")

Progress = Callable[[str, int], None]


class ExportError(Exception):
    """The export cannot be made as asked (the message says why); nothing was written."""


@dataclass
class ExportSummary:
    rows: dict[str, int] = field(default_factory=dict)


def export_bundle(path: Path | str, *, pseudonymize: bool, project_code: str | None = None,
                  progress: Progress | None = None) -> ExportSummary:
    """Write the bundle to ``path`` (a .zip when it ends in .zip, else a folder that does
    not exist yet or is empty)."""
    path = Path(path)
    pseudonyms = Pseudonymizer.from_settings() if pseudonymize else None
    projects = _projects(project_code)
    _check_target(path)
    export = _Export(projects=projects, pseudonyms=pseudonyms, progress=progress)
    with _target(path) as open_member:
        for spec, rows in export.files():
            with open_member(spec.name) as stream:
                export.write(stream, spec, rows)
    return export.summary


def _projects(project_code: str | None) -> QuerySet[Project] | None:
    if project_code is None:
        return None
    project = Project.objects.filter(code=project_code).first()
    if project is None:
        raise ExportError(_("There is no project with the code %(code)s.")
                          % {"code": project_code})
    return Project.objects.filter(pk__in=descendant_ids(project.pk))


def _check_target(path: Path) -> None:
    if path.suffix.lower() == ".zip":
        if path.exists():
            raise ExportError(_("%(path)s already exists; choose another name.")
                              % {"path": path})
    elif path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ExportError(_("%(path)s exists and is not an empty folder; choose another.")
                          % {"path": path})


@contextmanager
def _target(path: Path):
    """Yield a function that opens one member for writing text; rename into place at the
    end, remove everything on failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    if partial.exists():
        shutil.rmtree(partial) if partial.is_dir() else partial.unlink()
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:

                @contextmanager
                def open_member(name):
                    with archive.open(name, "w", force_zip64=True) as raw, \
                            io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
                        yield text

                yield open_member
        else:
            partial.mkdir()

            @contextmanager
            def open_member(name):
                with open(partial / name, "w", encoding="utf-8", newline="") as text:
                    yield text

            yield open_member
        if path.is_dir():
            path.rmdir()  # empty, checked before
        os.replace(partial, path)
    except BaseException:
        if partial.is_dir():
            shutil.rmtree(partial, ignore_errors=True)
        elif partial.exists():
            partial.unlink()
        raise


def _cell(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


class _Export:
    def __init__(self, *, projects: QuerySet[Project] | None, pseudonyms: Pseudonymizer | None,
                 progress: Progress | None):
        self.projects = projects
        self.pseudonyms = pseudonyms
        self.progress = progress
        self.summary = ExportSummary()
        self.usernames = dict(get_user_model().objects.values_list("pk", "username"))
        participants = Participant.objects.all()
        if projects is not None:
            participants = participants.filter(project__in=projects)
        if pseudonyms is not None:
            participants = participants.exclude(evaluation_consent=False)
        self.participants = participants

    # --- what goes in each file -----------------------------------------------------

    def files(self) -> Iterator[tuple[schema.FileSpec, Iterable[list]]]:
        yield schema.PROJECTS, self.project_rows()
        yield schema.PROVIDERS, self.provider_rows()
        yield schema.MEASURES, self.measure_rows()
        yield schema.PARTICIPANTS, self.participant_rows()
        yield schema.ENROLLMENTS, self.enrollment_rows()
        yield schema.OUTCOMES, self.outcome_rows()
        yield schema.FOLLOW_UPS, self.follow_up_rows()
        yield schema.RESPONSES, self.response_rows()

    def columns(self, spec: schema.FileSpec) -> tuple[str, ...]:
        if spec is schema.PARTICIPANTS and self.pseudonyms is not None:
            return tuple(c for c in spec.columns if c not in IDENTIFYING_PARTICIPANT_COLUMNS)
        return spec.columns

    def participant_ref(self, ref: str) -> str:
        return self.pseudonyms.participant(ref) if self.pseudonyms else ref

    def username(self, user_id: int | None) -> str:
        if user_id is None:
            return ""
        username = self.usernames[user_id]
        return self.pseudonyms.user(username) if self.pseudonyms else username

    def of_participants(self, queryset: QuerySet) -> QuerySet:
        if self.projects is None and self.pseudonyms is None:
            return queryset
        return queryset.filter(participant__in=self.participants.values("pk"))

    def project_rows(self):
        projects = Project.objects.all() if self.projects is None else self.projects
        # A sub-project exported on its own has no parent in the bundle: it becomes a root.
        exported = {p.pk for p in projects}
        root_ids = set() if self.projects is None else {
            p.pk for p in projects if p.parent_id not in exported}
        rows = projects.order_by("code").values_list(
            "pk", "code", "name", "parent__code", "starts_on", "ends_on", "target_work_rate",
            "target_education_rate")
        for pk, code, name, parent, starts, ends, work, education in rows:
            yield [code, name, "" if pk in root_ids else parent, starts, ends, work, education]

    def provider_rows(self):
        yield from Provider.objects.order_by("code").values_list(
            "code", "name", "organisation_number", "municipality")

    def measure_rows(self):
        yield from Measure.objects.order_by("code").values_list(
            "code", "name", "measure_type", "provider__code", "setting", "capacity")

    def participant_rows(self):
        rows = self.participants.order_by("pk").values_list(
            "ref", "project__code", "office__code", "birth_year", "gender",
            "immigrant_background", "primary_case_worker_id", "given_name", "family_name",
            "national_id", "national_id_country", "evaluation_consent")
        for (ref, project, office, birth_year, gender, immigrant, case_worker, given, family,
             national_id, country, consent) in rows.iterator(chunk_size=BATCH_SIZE):
            row = [self.participant_ref(ref), project, office, birth_year, gender, immigrant,
                   self.username(case_worker)]
            if self.pseudonyms is None:
                row += [given, family, national_id, country]
            yield [*row, consent]

    def enrollment_rows(self):
        rows = self.of_participants(Enrollment.objects.all()).order_by(
            "participant_id", "pk").values_list(
            "participant_id", "ref", "participant__ref", "measure__code", "referred_on",
            "started_on", "ended_on", "end_reason")
        if self.pseudonyms is None:
            for _participant_id, *row in rows.iterator(chunk_size=BATCH_SIZE):
                yield row
            return
        for group in _grouped_by_participant(rows.iterator(chunk_size=BATCH_SIZE)):
            # Numbered in the order of the original refs as text (EXCHANGE.md); sorted
            # here rather than in SQL, where the collation decides the order.
            group.sort(key=lambda row: row[1])
            pseudonym = self.pseudonyms.participant(group[0][2])
            for number, (_pid, _ref, _participant, *rest) in enumerate(group, start=1):
                yield [Pseudonymizer.enrollment(pseudonym, number), pseudonym, *rest]

    def outcome_rows(self):
        rows = self.of_participants(OutcomeSpell.objects.all()).order_by(
            "participant_id", "pk").values_list(
            "participant__ref", "kind", "started_on", "ended_on", "hours_per_week")
        for ref, *rest in rows.iterator(chunk_size=BATCH_SIZE):
            yield [self.participant_ref(ref), *rest]

    def follow_up_rows(self):
        rows = self.of_participants(FollowUp.objects.all()).order_by(
            "participant_id", "pk").values_list(
            "participant__ref", "occurred_on", "case_worker_id", "channel", "with_employer",
            "with_treatment")
        for ref, occurred_on, case_worker, *rest in rows.iterator(chunk_size=BATCH_SIZE):
            yield [self.participant_ref(ref), occurred_on, self.username(case_worker), *rest]

    def response_rows(self):
        rows = self.of_participants(Answer.objects.all()).order_by(
            "participant_id", "pk").values_list(
            "participant__ref", "answered_on", "item__instrument__code", "item__code", "score")
        for ref, *rest in rows.iterator(chunk_size=BATCH_SIZE):
            yield [self.participant_ref(ref), *rest]

    # --- writing --------------------------------------------------------------------

    def write(self, stream, spec: schema.FileSpec, rows: Iterable) -> None:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(self.columns(spec))
        written = 0
        for row in rows:
            writer.writerow([_cell(value) for value in row])
            written += 1
            if self.progress is not None and written % BATCH_SIZE == 0:
                self.progress(spec.name, written)
        self.summary.rows[spec.name] = written
        if self.progress is not None:
            self.progress(spec.name, written)


def _grouped_by_participant(rows: Iterable[tuple]) -> Iterator[list[list]]:
    group: list[list] = []
    for row in rows:
        if group and group[0][0] != row[0]:
            yield group
            group = []
        group.append(list(row))
    if group:
        yield group
