"""Pass one of an import: read every file once, check every rule, keep only small indexes.

Nothing is written here. What is kept in memory grows with the number of participants,
enrollments and users, never with the number of follow-ups or answers: for those, only
an 8-byte digest per row is kept, to find repeated rows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from evaluations.models import Project
from measures.models import Measure
from participants.encryption import lookup_hash
from participants.models import InstrumentItem, Participant
from participants.services.registration import stored_forms
from providers.models import Provider

from . import schema
from .bundle import EXTRA_CELLS, Bundle, Problem, ReadProblem, read_csv
from .cells import Cells

Progress = Callable[[str, int], None]


def digest(*parts: object) -> int:
    text = "\x1f".join(str(p) for p in parts)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big",
                          signed=True)


class RepeatFinder:
    """Finds which keys occur more than once, holding 8 bytes per row."""

    def __init__(self):
        self._digests = array("q")

    def add(self, key: int) -> None:
        self._digests.append(key)

    def repeated(self) -> frozenset[int]:
        ordered = sorted(self._digests)
        return frozenset(a for a, b in zip(ordered, ordered[1:], strict=False) if a == b)


@dataclass
class Reference:
    file: str
    line: int
    column: str
    value: str


@dataclass
class BundleIndex:
    """What pass one learned, for the cross-file checks and for pass two."""

    projects: dict[str, tuple[str, int]] = field(default_factory=dict)
    providers: set[str] = field(default_factory=set)
    measures: set[str] = field(default_factory=set)
    participants: set[str] = field(default_factory=set)
    enrollments: set[str] = field(default_factory=set)
    case_worker_offices: dict[str, str] = field(default_factory=dict)
    usernames: set[str] = field(default_factory=set)
    first_referral: dict[str, dt.date] = field(default_factory=dict)
    follow_up_repeats: frozenset[int] = frozenset()
    outcome_repeats: frozenset[int] = frozenset()
    present: set[str] = field(default_factory=set)
    rows: dict[str, int] = field(default_factory=dict)


def iter_records(bundle: Bundle, spec: schema.FileSpec, problems: list[Problem]
                 ) -> Iterator[tuple[Cells, object]]:
    """Each row of one file as (cells, record); header and encoding problems are recorded."""
    if spec.name in bundle.repeated or spec.name in bundle.too_large:
        return  # reported once by check_files
    if not bundle.has(spec.name):
        if spec.required:
            problems.append(Problem(spec.name, 0, "-", _("the file is missing from the bundle")))
        return
    try:
        csv_file = read_csv(bundle, spec.name)
        if csv_file is None:
            problems.append(Problem(spec.name, 1, "-", _("the file is empty: a header row is "
                                                          "required")))
            return
        header_ok = _check_header(spec, csv_file.columns, problems)
        parse = schema.PARSERS[spec.name]
        for line, row in csv_file.rows:
            if not header_ok:
                continue  # keep reading, so an encoding problem further down is still found
            cells = Cells(file=spec.name, line=line, row=row,
                          decimal_comma=csv_file.decimal_comma, problems=problems)
            if EXTRA_CELLS in row:
                cells.error("-", _("the row has more cells than the header"))
            yield cells, parse(cells)
    except ReadProblem as exc:
        problems.append(Problem(spec.name, exc.line, "-", exc.message))


def check_files(bundle: Bundle, problems: list[Problem]) -> None:
    """A file the format does not have is an error, as an unknown column is: most often it
    is one of the bundle's files under another name, and its rows would be left out."""
    known = [spec.name for spec in schema.FILES]
    for name in bundle.names():
        if name not in known:
            problems.append(Problem(name, 0, "-", _(
                "not a file of the exchange format (its files are %(files)s)") % {
                "files": ", ".join(known)}))
    for name, members in bundle.repeated.items():
        problems.append(Problem(name, 0, "-", _(
            "the .zip file holds this file more than once (%(members)s); leave one") % {
            "members": ", ".join(members)}))
    for name, size in bundle.too_large.items():
        problems.append(Problem(name, 0, "-", _(
            "the file unpacks to %(size)d MB, more than the %(limit)d MB an import reads") % {
            "size": size // (1024 * 1024), "limit": settings.IMPORT_MAX_UNPACKED_MB}))


def _check_header(spec: schema.FileSpec, columns: list[str], problems: list[Problem]) -> bool:
    if len(columns) == 1 and "\t" in columns[0]:
        problems.append(Problem(spec.name, 1, "-", _(
            "the columns are separated by tabs; save the file as CSV, with commas or "
            "semicolons between the columns")))
        return False
    ok = True
    seen = set()
    for column in columns:
        if column not in spec.columns:
            problems.append(Problem(spec.name, 1, column or "-", _("unknown column")))
            ok = False
        elif column in seen:
            problems.append(Problem(spec.name, 1, column, _("the column appears twice")))
            ok = False
        seen.add(column)
    for column in spec.required_columns:
        if column not in seen:
            problems.append(Problem(spec.name, 1, column, _("required column is missing")))
            ok = False
    return ok


# The problems kept of a bundle that breaks rules on every row (the first in file and line
# order; the others are counted): a million broken follow-ups are no reason for the
# check to hold a million messages. The page shows the first thousand.
PROBLEMS_KEPT = 10_000
# References the bundle does not resolve are looked up in the database this many at a
# time, so a file of follow-ups for participants already registered is not held either.
REFERENCES_BATCH = 5000


class ProblemList(list):
    """Problems as they are found; at most PROBLEMS_KEPT kept, all counted (``total``)."""

    def __init__(self):
        super().__init__()
        self.dropped = 0

    def append(self, problem: Problem) -> None:
        super().append(problem)
        if len(self) > 2 * PROBLEMS_KEPT:
            self.finish()

    def extend(self, problems) -> None:
        for problem in problems:
            self.append(problem)

    def finish(self) -> None:
        """Sort, and keep the first PROBLEMS_KEPT. A whole file or a line that could not be
        read (column "-") comes first: what it leaves unresolved elsewhere follows from it."""
        self.sort(key=lambda problem: (problem.column != "-", problem))
        if len(self) > PROBLEMS_KEPT:
            self.dropped += len(self) - PROBLEMS_KEPT
            del self[PROBLEMS_KEPT:]

    @property
    def total(self) -> int:
        return len(self) + self.dropped


def validate_bundle(bundle: Bundle, progress: Progress | None = None
                    ) -> tuple[ProblemList, BundleIndex]:
    """Every problem of the bundle (sorted; the first PROBLEMS_KEPT of ``total``), and what
    pass two needs."""
    problems = ProblemList()
    index = BundleIndex()
    index.present = {spec.name for spec in schema.FILES if bundle.has(spec.name)}
    check_files(bundle, problems)
    unresolved: dict[str, list[Reference]] = {
        "project": [], "provider": [], "measure": [], "participant": []}

    def refer(kind: str, known: set | dict, cells: Cells, column: str, value: str) -> None:
        # Each kind's file is read whole before any row refers to it, so what the bundle
        # lacks can be looked up in the database at once.
        if value and value not in known:
            unresolved[kind].append(Reference(cells.file, cells.line, column, value))
            if len(unresolved[kind]) >= REFERENCES_BATCH:
                _resolve_in_database({kind: unresolved[kind]}, problems)
                unresolved[kind] = []

    def unique(seen: set | dict, cells: Cells, column: str, value: str) -> bool:
        if value in seen:
            cells.error(column, _("%(value)r appears more than once in the file") % {
                "value": value})
            return False
        return True

    def count(spec):
        index.rows[spec.name] = index.rows.get(spec.name, 0) + 1
        if progress and index.rows[spec.name] % 50_000 == 0:
            progress(spec.name, index.rows[spec.name])

    for cells, row in iter_records(bundle, schema.PROJECTS, problems):
        count(schema.PROJECTS)
        if row.code and unique(index.projects, cells, "code", row.code):
            index.projects[row.code] = (row.parent_code, cells.line)
    for parent, line in index.projects.values():
        if parent and parent not in index.projects:
            unresolved["project"].append(Reference(schema.PROJECTS.name, line, "parent_code",
                                                   parent))
    _check_project_cycles(index.projects, _database_project_parents(), problems)

    for cells, row in iter_records(bundle, schema.PROVIDERS, problems):
        count(schema.PROVIDERS)
        if row.code and unique(index.providers, cells, "code", row.code):
            index.providers.add(row.code)

    for cells, row in iter_records(bundle, schema.MEASURES, problems):
        count(schema.MEASURES)
        if row.code and unique(index.measures, cells, "code", row.code):
            index.measures.add(row.code)
        refer("provider", index.providers, cells, "provider_code", row.provider_code)

    identities = _IdentityNumbers()
    for cells, row in iter_records(bundle, schema.PARTICIPANTS, problems):
        count(schema.PARTICIPANTS)
        if row.ref and unique(index.participants, cells, "ref", row.ref):
            index.participants.add(row.ref)
            identities.add(cells, row)
        refer("project", index.projects, cells, "project_code", row.project_code)
        if row.primary_case_worker:
            index.usernames.add(row.primary_case_worker)
            index.case_worker_offices.setdefault(row.primary_case_worker, row.office)

    for cells, row in iter_records(bundle, schema.ENROLLMENTS, problems):
        count(schema.ENROLLMENTS)
        if row.ref and unique(index.enrollments, cells, "ref", row.ref):
            index.enrollments.add(row.ref)
        refer("participant", index.participants, cells, "participant_ref", row.participant_ref)
        refer("measure", index.measures, cells, "measure_code", row.measure_code)
        if row.referred_on and row.participant_ref:
            earliest = index.first_referral.get(row.participant_ref)
            if earliest is None or row.referred_on < earliest:
                index.first_referral[row.participant_ref] = row.referred_on

    identities.check_database(index.participants, problems)

    outcome_keys = RepeatFinder()
    for cells, row in iter_records(bundle, schema.OUTCOMES, problems):
        count(schema.OUTCOMES)
        refer("participant", index.participants, cells, "participant_ref", row.participant_ref)
        outcome_keys.add(outcome_identity(row))
    index.outcome_repeats = outcome_keys.repeated()
    del outcome_keys

    follow_up_keys = RepeatFinder()
    for cells, row in iter_records(bundle, schema.FOLLOW_UPS, problems):
        count(schema.FOLLOW_UPS)
        refer("participant", index.participants, cells, "participant_ref", row.participant_ref)
        if row.case_worker:
            index.usernames.add(row.case_worker)
        follow_up_keys.add(follow_up_identity(row))
    index.follow_up_repeats = follow_up_keys.repeated()
    del follow_up_keys

    _validate_responses(bundle, index, problems, refer, count)

    _resolve_in_database(unresolved, problems)
    problems.finish()
    return problems, index


class _IdentityNumbers:
    """One person, one participant: an identity number may not be given to two refs, in
    the file or against the database, as registration refuses a number already known
    (participants/services/registration.py). A Swedish number is compared in each form
    it may be stored in."""

    def __init__(self):
        self.by_hash: dict[str, tuple[str, int]] = {}  # lookup hash -> (ref, line)

    def add(self, cells: Cells, row: schema.ParticipantRow) -> None:
        if not row.national_id:
            return
        hashes = {lookup_hash(row.national_id_country, form)
                  for form in stored_forms(row.national_id, row.national_id_country)}
        earlier = next((self.by_hash[h] for h in sorted(hashes) if h in self.by_hash), None)
        if earlier is not None:
            cells.error("national_id", _(
                "the same identity number as participant %(ref)s on line %(line)d") % {
                "ref": earlier[0], "line": earlier[1]})
            return
        for number_hash in hashes:
            self.by_hash[number_hash] = (row.ref, cells.line)

    def check_database(self, bundle_refs: set[str], problems: list[Problem]) -> None:
        """A participant in the database who holds one of the numbers and whom the bundle
        does not name (a ref the bundle names gets the bundle's number, or none)."""
        hashes = sorted(self.by_hash)
        reported = set()
        for start in range(0, len(hashes), 1000):
            known = Participant.objects.filter(
                national_id_hash__in=hashes[start:start + 1000]
            ).exclude(ref__in=bundle_refs).values_list("national_id_hash", "ref")
            for number_hash, ref in known:
                bundle_ref, line = self.by_hash[number_hash]
                if (bundle_ref, ref) in reported:
                    continue
                reported.add((bundle_ref, ref))
                problems.append(Problem(schema.PARTICIPANTS.name, line, "national_id", _(
                    "a participant already registered, %(ref)s, has this identity number")
                    % {"ref": ref}))


def outcome_identity(row: schema.OutcomeRow) -> int:
    return digest("outcome", row.participant_ref, row.kind, row.started_on)


def follow_up_identity(row: schema.FollowUpRow) -> int:
    return digest("follow_up", row.participant_ref, row.occurred_on, row.case_worker,
                  row.channel)


def response_identity(row: schema.ResponseRow) -> int:
    return digest("response", row.participant_ref, row.answered_on, row.instrument, row.item)


def instrument_items() -> dict[tuple[str, str], tuple[int, int, int]]:
    """(instrument code, item code) -> (item id, lowest score, highest score)."""
    return {
        (i.instrument.code, i.code): (i.pk, i.instrument.scale_min, i.instrument.scale_max)
        for i in InstrumentItem.objects.select_related("instrument")
    }


def _validate_responses(bundle, index, problems, refer, count) -> None:
    items = instrument_items()
    instruments = {code for code, _item in items}
    keys = RepeatFinder()
    for cells, row in iter_records(bundle, schema.RESPONSES, problems):
        count(schema.RESPONSES)
        refer("participant", index.participants, cells, "participant_ref", row.participant_ref)
        if row.instrument and row.instrument not in instruments:
            cells.error("instrument", _(
                "unknown questionnaire %(code)r (a bundle does not carry questionnaires: an "
                "administrator creates it, with the same code and items, before the import)")
                % {"code": row.instrument})
        elif row.instrument and row.item:
            known = items.get((row.instrument, row.item))
            if known is None:
                cells.error("item", _("%(instrument)s has no item %(item)r") % {
                    "instrument": row.instrument, "item": row.item})
            elif row.score is not None and not known[1] <= row.score <= known[2]:
                cells.error("score", _("%(score)s is outside the scale %(min)s to %(max)s") % {
                    "score": row.score, "min": known[1], "max": known[2]})
        keys.add(response_identity(row))
    repeated = keys.repeated()
    del keys
    if repeated:
        # Rare: read the file once more to name the lines of the repeated answers.
        first_lines: dict[int, int] = {}
        for cells, row in iter_records(bundle, schema.RESPONSES, []):
            key = response_identity(row)
            if key in repeated:
                if key in first_lines:
                    problems.append(Problem(
                        cells.file, cells.line, "item",
                        _("the same item is answered twice on one date (first on line "
                          "%(line)d)") % {"line": first_lines[key]}))
                else:
                    first_lines[key] = cells.line


def _database_project_parents() -> dict[str, str]:
    return {code: parent or "" for code, parent in
            Project.objects.values_list("code", "parent__code")}


def _check_project_cycles(projects: dict[str, tuple[str, int]], stored: dict[str, str],
                          problems) -> None:
    """Report each project whose chain of parents leads back to itself, through the
    bundle's projects and those already in the database (a bundle may name a parent it
    does not hold). A project that is its own parent is reported by parse_project, and a
    project below a cycle is not in it: its own parent_code is fine."""
    parents = {**stored, **{code: parent for code, (parent, _line) in projects.items()}}
    for code, (parent, line) in projects.items():
        if parent == code:
            continue
        seen = {code}
        current = parent
        while current in parents and current not in seen:
            seen.add(current)
            current = parents[current]
        if current == code:
            problems.append(Problem(schema.PROJECTS.name, line, "parent_code",
                                    _("the parent projects form a cycle")))


def _resolve_in_database(unresolved: dict[str, list[Reference]], problems) -> None:
    """References not found in the bundle may name records already in the database."""
    lookups = {
        "project": (Project, "code", _("unknown project %(value)r")),
        "provider": (Provider, "code", _("unknown provider %(value)r")),
        "measure": (Measure, "code", _("unknown measure %(value)r")),
        "participant": (Participant, "ref", _("unknown participant %(value)r")),
    }
    for kind, references in unresolved.items():
        if not references:
            continue
        model, field_name, message = lookups[kind]
        values = sorted({r.value for r in references})
        existing = set()
        for start in range(0, len(values), 1000):
            chunk = values[start:start + 1000]
            existing |= set(model.objects.filter(**{f"{field_name}__in": chunk})
                            .values_list(field_name, flat=True))
        problems.extend(
            Problem(r.file, r.line, r.column, message % {"value": r.value})
            for r in references if r.value not in existing
        )


def known_users() -> dict[str, int]:
    return dict(get_user_model().objects.values_list("username", "pk"))
