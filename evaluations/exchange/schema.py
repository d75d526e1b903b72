"""The files of a bundle, their columns, and how one row of each becomes a record.

Row parsers check what one row can tell on its own (types, enumerations, date order,
identity numbers). Rules that need other rows or the database (references, duplicates,
cycles) are checked by validate.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from measures.models import EndReason, MeasureType, Setting
from participants.identity import normalize_national_id
from participants.models import Channel, Country, Gender, OutcomeKind

from .cells import Cells

# Enum.values builds a new list on every call; these are read once per row.
_CHOICES = {
    enum.__name__: tuple(enum.values)
    for enum in (MeasureType, Setting, Gender, Country, EndReason, OutcomeKind, Channel)
}


@dataclass(frozen=True)
class FileSpec:
    name: str
    columns: tuple[str, ...]
    required_columns: tuple[str, ...]
    required: bool = True


PROJECTS = FileSpec(
    "projects.csv",
    ("code", "name", "parent_code", "starts_on", "ends_on", "target_work_rate",
     "target_education_rate"),
    ("code", "name"),
)
PROVIDERS = FileSpec(
    "providers.csv", ("code", "name", "organisation_number", "municipality"), ("code", "name")
)
MEASURES = FileSpec(
    "measures.csv",
    ("code", "name", "measure_type", "provider_code", "setting", "capacity"),
    ("code", "name", "measure_type", "provider_code", "setting"),
)
PARTICIPANTS = FileSpec(
    "participants.csv",
    ("ref", "project_code", "office", "birth_year", "gender", "immigrant_background",
     "primary_case_worker", "given_name", "family_name", "national_id", "national_id_country",
     "evaluation_consent"),
    ("ref", "project_code", "office", "birth_year", "gender", "immigrant_background",
     "primary_case_worker"),
)
ENROLLMENTS = FileSpec(
    "enrollments.csv",
    ("ref", "participant_ref", "measure_code", "referred_on", "started_on", "ended_on",
     "end_reason"),
    ("ref", "participant_ref", "measure_code", "referred_on"),
)
OUTCOMES = FileSpec(
    "outcomes.csv",
    ("participant_ref", "kind", "started_on", "ended_on", "hours_per_week"),
    ("participant_ref", "kind", "started_on"),
    required=False,
)
FOLLOW_UPS = FileSpec(
    "follow_ups.csv",
    ("participant_ref", "occurred_on", "case_worker", "channel", "with_employer",
     "with_treatment"),
    ("participant_ref", "occurred_on", "case_worker", "channel", "with_employer",
     "with_treatment"),
    required=False,
)
RESPONSES = FileSpec(
    "responses.csv",
    ("participant_ref", "answered_on", "instrument", "item", "score"),
    ("participant_ref", "answered_on", "instrument", "item", "score"),
    required=False,
)
FILES = (PROJECTS, PROVIDERS, MEASURES, PARTICIPANTS, ENROLLMENTS, OUTCOMES, FOLLOW_UPS,
         RESPONSES)


@dataclass
class ProjectRow:
    code: str
    name: str
    parent_code: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    target_work_rate: Decimal | None
    target_education_rate: Decimal | None


def parse_project(c: Cells) -> ProjectRow:
    row = ProjectRow(
        code=c.text("code", required=True, max_length=40),
        name=c.text("name", required=True),
        parent_code=c.text("parent_code", max_length=40),
        starts_on=c.date("starts_on"),
        ends_on=c.date("ends_on"),
        target_work_rate=c.decimal("target_work_rate", minimum=Decimal(0), maximum=Decimal(1)),
        target_education_rate=c.decimal("target_education_rate", minimum=Decimal(0),
                                        maximum=Decimal(1)),
    )
    if row.starts_on and row.ends_on and row.ends_on < row.starts_on:
        c.error("ends_on", _("the project ends before it starts"))
    if row.parent_code and row.parent_code == row.code:
        c.error("parent_code", _("a project cannot be its own parent"))
    return row


@dataclass
class ProviderRow:
    code: str
    name: str
    organisation_number: str
    municipality: str


def parse_provider(c: Cells) -> ProviderRow:
    return ProviderRow(
        code=c.text("code", required=True, max_length=40),
        name=c.text("name", required=True),
        organisation_number=c.text("organisation_number", max_length=20),
        municipality=c.text("municipality", max_length=100),
    )


@dataclass
class MeasureRow:
    code: str
    name: str
    measure_type: str | None
    provider_code: str
    setting: str | None
    capacity: int | None


def parse_measure(c: Cells) -> MeasureRow:
    return MeasureRow(
        code=c.text("code", required=True, max_length=40),
        name=c.text("name", required=True),
        measure_type=c.choice("measure_type", _CHOICES["MeasureType"]),
        provider_code=c.text("provider_code", required=True, max_length=40),
        setting=c.choice("setting", _CHOICES["Setting"]),
        capacity=c.integer("capacity", minimum=0, maximum=2_000_000_000),
    )


@dataclass
class ParticipantRow:
    ref: str
    project_code: str
    office: str
    birth_year: int | None
    gender: str | None
    immigrant_background: bool | None
    primary_case_worker: str | None
    given_name: str
    family_name: str
    national_id: str
    national_id_country: str
    evaluation_consent: bool | None


def parse_participant(c: Cells) -> ParticipantRow:
    row = ParticipantRow(
        ref=c.text("ref", required=True, max_length=60),
        project_code=c.text("project_code", required=True, max_length=40),
        office=c.text("office", required=True, max_length=60),
        birth_year=c.integer("birth_year", required=True, minimum=1900, maximum=2100),
        gender=c.choice("gender", _CHOICES["Gender"]),
        immigrant_background=c.boolean("immigrant_background"),
        # Empty means none, as everywhere in a bundle: the case worker left, no one yet.
        primary_case_worker=c.username("primary_case_worker", required=False),
        given_name=c.text("given_name", max_length=100),
        family_name=c.text("family_name", max_length=100),
        national_id="",
        national_id_country=c.choice("national_id_country", _CHOICES["Country"],
                                     required=False) or "",
        evaluation_consent=c.boolean("evaluation_consent", required=False),
    )
    if c.raw("birth_year") and len(c.raw("birth_year")) != 4 and row.birth_year is not None:
        c.error("birth_year", _("a birth year has four digits"))
    number = c.raw("national_id")
    if number and not c.raw("national_id_country"):
        c.error("national_id_country", _("required when national_id is given"))
    elif c.raw("national_id_country") and not number:
        c.error("national_id_country", _("must be empty when national_id is empty"))
    elif number and row.national_id_country:
        try:
            row.national_id = normalize_national_id(number, row.national_id_country)
        except ValidationError as exc:
            c.error("national_id", " ".join(exc.messages))
    return row


@dataclass
class EnrollmentRow:
    ref: str
    participant_ref: str
    measure_code: str
    referred_on: dt.date | None
    started_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str


def parse_enrollment(c: Cells) -> EnrollmentRow:
    row = EnrollmentRow(
        ref=c.text("ref", required=True, max_length=60),
        participant_ref=c.text("participant_ref", required=True, max_length=60),
        measure_code=c.text("measure_code", required=True, max_length=40),
        referred_on=c.date("referred_on", required=True),
        started_on=c.date("started_on"),
        ended_on=c.date("ended_on"),
        end_reason=c.choice("end_reason", _CHOICES["EndReason"], required=False) or "",
    )
    if row.referred_on and row.started_on and row.started_on < row.referred_on:
        c.error("started_on", _("starts before the referral (referred_on)"))
    if row.started_on and row.ended_on and row.ended_on < row.started_on:
        c.error("ended_on", _("ends before it starts (started_on)"))
    elif row.referred_on and row.ended_on and row.ended_on < row.referred_on:
        c.error("ended_on", _("ends before the referral (referred_on)"))
    has_end, has_reason = bool(c.raw("ended_on")), bool(c.raw("end_reason"))
    if has_end and not has_reason:
        c.error("end_reason", _("required when ended_on is given"))
    elif has_reason and not has_end:
        c.error("ended_on", _("required when end_reason is given"))
    elif has_end and has_reason:
        withdrawn = not c.raw("started_on")
        if withdrawn and row.end_reason and row.end_reason != EndReason.NOT_STARTED:
            c.error("end_reason", _("a referral that never started must end with not_started"))
        if not withdrawn and row.end_reason == EndReason.NOT_STARTED:
            c.error("end_reason", _("not_started is only for a referral without started_on"))
    return row


@dataclass
class OutcomeRow:
    participant_ref: str
    kind: str | None
    started_on: dt.date | None
    ended_on: dt.date | None
    hours_per_week: Decimal | None


def parse_outcome(c: Cells) -> OutcomeRow:
    row = OutcomeRow(
        participant_ref=c.text("participant_ref", required=True, max_length=60),
        kind=c.choice("kind", _CHOICES["OutcomeKind"]),
        started_on=c.date("started_on", required=True),
        ended_on=c.date("ended_on"),
        hours_per_week=c.decimal("hours_per_week", minimum=Decimal(0), maximum=Decimal(168),
                                 exclusive_minimum=True, places=1),
    )
    if row.started_on and row.ended_on and row.ended_on < row.started_on:
        c.error("ended_on", _("ends before it starts (started_on)"))
    if c.raw("hours_per_week") and row.kind == OutcomeKind.EDUCATION:
        c.error("hours_per_week", _("hours per week are only for work"))
    return row


@dataclass
class FollowUpRow:
    participant_ref: str
    occurred_on: dt.date | None
    case_worker: str | None
    channel: str | None
    with_employer: bool | None
    with_treatment: bool | None


def parse_follow_up(c: Cells) -> FollowUpRow:
    return FollowUpRow(
        participant_ref=c.text("participant_ref", required=True, max_length=60),
        occurred_on=c.date("occurred_on", required=True),
        case_worker=c.username("case_worker"),
        channel=c.choice("channel", _CHOICES["Channel"]),
        with_employer=c.boolean("with_employer"),
        with_treatment=c.boolean("with_treatment"),
    )


@dataclass
class ResponseRow:
    participant_ref: str
    answered_on: dt.date | None
    instrument: str
    item: str
    score: int | None


def parse_response(c: Cells) -> ResponseRow:
    return ResponseRow(
        participant_ref=c.text("participant_ref", required=True, max_length=60),
        answered_on=c.date("answered_on", required=True),
        instrument=c.text("instrument", required=True, max_length=40),
        item=c.text("item", required=True, max_length=40),
        score=c.integer("score", required=True),
    )


PARSERS = {
    PROJECTS.name: parse_project,
    PROVIDERS.name: parse_provider,
    MEASURES.name: parse_measure,
    PARTICIPANTS.name: parse_participant,
    ENROLLMENTS.name: parse_enrollment,
    OUTCOMES.name: parse_outcome,
    FOLLOW_UPS.name: parse_follow_up,
    RESPONSES.name: parse_response,
}
