"""The database itself refuses rows that break the rules of EXCHANGE.md.

Rows are written with ``Model.objects.create``, ``bulk_create`` or ``.update()``, so no form
or ``full_clean`` stands in the way: what is refused here is refused by a CHECK or UNIQUE
constraint. Each refusal names the constraint it expects (SQLite and PostgreSQL both put the
name of a CHECK constraint in the error message).
"""

import datetime as dt
import itertools
import re
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import F

from measures.models import COMPLETED_END_REASONS, EARLY_END_REASONS, EndReason, Enrollment
from participants.models import Answer, InstrumentItem
from providers.models import ProviderMembership
from tests import factories

pytestmark = pytest.mark.django_db

REFERRED = dt.date(2024, 1, 15)
STARTED = dt.date(2024, 2, 1)
ENDED = dt.date(2024, 6, 28)
BEFORE_1900 = dt.date(1899, 12, 31)
AFTER_2100 = dt.date(2101, 1, 1)


@contextmanager
def refused_by(constraint: str | None = None):
    """The write inside is refused by the database (by the named constraint, if given)."""
    pattern = rf"\b{re.escape(constraint)}\b" if constraint else None
    with pytest.raises(IntegrityError, match=pattern), transaction.atomic():
        yield


@pytest.fixture
def enroll():
    """``enroll(**fields)`` writes one enrollment, referred on REFERRED unless told otherwise."""
    participant = factories.ParticipantFactory()
    measure = factories.MeasureFactory()
    refs = (f"E-TEST-{n}" for n in itertools.count())

    def enroll(**fields):
        fields.setdefault("referred_on", REFERRED)
        return Enrollment.objects.create(
            ref=next(refs), participant=participant, measure=measure, **fields
        )

    return enroll


def test_every_constraint_of_the_models_has_a_test():
    source = "\n".join(
        path.read_text(encoding="utf-8") for path in Path(__file__).parent.rglob("test_*.py")
    )
    names = {
        constraint.name
        for label in ["providers", "participants", "measures", "evaluations"]
        for model in apps.get_app_config(label).get_models()
        for constraint in model._meta.constraints
    }
    assert {name for name in names if not re.search(rf"\b{name}\b", source)} == set()


# Enrollments: the rules an import enforces (EXCHANGE.md, enrollments.csv).


def test_enrollment_cannot_start_before_referral(enroll):
    with refused_by("enrollment_starts_after_referral"):
        enroll(referred_on=STARTED, started_on=REFERRED)


def test_enrollment_cannot_end_before_it_started(enroll):
    with refused_by("enrollment_ends_after_start"):
        enroll(started_on=ENDED, ended_on=STARTED, end_reason=EndReason.COMPLETED)


def test_withdrawal_cannot_be_dated_before_referral(enroll):
    with refused_by("enrollment_ends_after_start"):
        enroll(referred_on=STARTED, ended_on=REFERRED, end_reason=EndReason.NOT_STARTED)


def test_ended_enrollment_needs_an_end_reason(enroll):
    with refused_by("enrollment_end_reason_iff_ended"):
        enroll(started_on=STARTED, ended_on=ENDED, end_reason="")


def test_end_reason_needs_an_end_date(enroll):
    with refused_by("enrollment_end_reason_iff_ended"):
        enroll(started_on=STARTED, end_reason=EndReason.COMPLETED)


def test_not_started_enrollment_cannot_have_a_start_date(enroll):
    with refused_by("enrollment_not_started_iff_withdrawn"):
        enroll(started_on=STARTED, ended_on=ENDED, end_reason=EndReason.NOT_STARTED)


@pytest.mark.parametrize("end_reason", sorted(COMPLETED_END_REASONS | EARLY_END_REASONS))
def test_enrollment_ended_without_start_must_be_not_started(enroll, end_reason):
    with refused_by("enrollment_not_started_iff_withdrawn"):
        enroll(ended_on=ENDED, end_reason=end_reason)


def test_waiting_enrollment_cannot_be_not_started(enroll):
    with refused_by():
        enroll(end_reason=EndReason.NOT_STARTED)


def test_two_enrollments_cannot_share_a_ref(enroll):
    first = enroll()
    # enrollment_ref_unique: SQLite names the column, not the constraint
    with refused_by():
        Enrollment.objects.create(ref=first.ref, participant=first.participant,
                                  measure=first.measure, referred_on=REFERRED)


def test_unknown_end_reason_is_refused(enroll):
    with refused_by("enrollment_end_reason_valid"):
        enroll(started_on=STARTED, ended_on=ENDED, end_reason="graduated")


@pytest.mark.parametrize(
    ("dates", "constraint"),
    [
        pytest.param({"referred_on": BEFORE_1900}, "enrollment_referred_in_range", id="referred"),
        pytest.param({"referred_on": AFTER_2100}, "enrollment_referred_in_range",
                     id="referred-late"),
        pytest.param({"referred_on": dt.date(2100, 12, 31), "started_on": AFTER_2100},
                     "enrollment_started_in_range", id="started-late"),
        pytest.param({"referred_on": dt.date(2100, 12, 31), "started_on": dt.date(2100, 12, 31),
                      "ended_on": AFTER_2100, "end_reason": EndReason.COMPLETED},
                     "enrollment_ended_in_range", id="ended-late"),
    ],
)
def test_enrollment_dates_must_lie_between_1900_and_2100(enroll, dates, constraint):
    with refused_by(constraint):
        enroll(**dates)


@pytest.mark.parametrize("percent", [0, 101])
def test_participation_percent_must_be_1_to_100(enroll, percent):
    with refused_by("enrollment_participation_percent_range"):
        enroll(participation_percent=percent)


@pytest.mark.parametrize("days", [0, 8])
def test_days_per_week_must_be_1_to_7(enroll, days):
    with refused_by("enrollment_days_per_week_range"):
        enroll(days_per_week=days)


def test_withdrawn_referral_with_not_started_is_accepted(enroll):
    enrollment = enroll(ended_on=STARTED, end_reason=EndReason.NOT_STARTED)
    assert enrollment.status == "withdrawn"


def test_referral_may_be_withdrawn_the_day_it_was_made(enroll):
    enroll(ended_on=REFERRED, end_reason=EndReason.NOT_STARTED)


def test_enrollment_may_end_the_day_it_started(enroll):
    enrollment = enroll(started_on=STARTED, ended_on=STARTED, end_reason=EndReason.DROPPED_OUT)
    assert enrollment.status == "ended"


def test_enrollment_may_start_the_day_it_was_referred(enroll):
    enroll(started_on=REFERRED)


@pytest.mark.parametrize("end_reason", sorted(COMPLETED_END_REASONS | EARLY_END_REASONS))
def test_started_enrollment_may_end_for_any_reason_but_not_started(enroll, end_reason):
    enroll(started_on=STARTED, ended_on=ENDED, end_reason=end_reason)


def test_dates_on_the_1900_and_2100_limits_are_accepted(enroll):
    enroll(referred_on=dt.date(1900, 1, 1), started_on=dt.date(1900, 1, 1),
           ended_on=dt.date(2100, 12, 31), end_reason=EndReason.COMPLETED)


@pytest.mark.parametrize("status", ["waiting", "active", "ended", "withdrawn"])
def test_each_enrollment_status_of_the_factory_is_accepted(status):
    assert factories.EnrollmentFactory(**{status: True}).status == status


def test_participation_and_days_per_week_accept_their_limits(enroll):
    enroll(participation_percent=1, days_per_week=1)
    enroll(participation_percent=100, days_per_week=7)


# Every other CHECK constraint: a good row from its factory, made bad by one UPDATE.


@pytest.mark.parametrize(
    ("factory", "values", "constraint"),
    [
        pytest.param(factories.ParticipantFactory, {"birth_year": 1899},
                     "participant_birth_year_in_range", id="participant-born-before-1900"),
        pytest.param(factories.ParticipantFactory, {"birth_year": 2101},
                     "participant_birth_year_in_range", id="participant-born-after-2100"),
        pytest.param(factories.ParticipantFactory, {"gender": "unknown"},
                     "participant_gender_valid", id="participant-unknown-gender"),
        pytest.param(factories.ParticipantFactory, {"language": "fi"},
                     "participant_language_valid", id="participant-unknown-language"),
        pytest.param(factories.ParticipantFactory, {"national_id": "FAKE-0001"},
                     "participant_national_id_has_country", id="national-id-without-country"),
        pytest.param(factories.ParticipantFactory, {"national_id_country": "SE"},
                     "participant_national_id_has_country", id="country-without-national-id"),
        pytest.param(factories.ParticipantFactory,
                     {"national_id": "FAKE-0001", "national_id_country": "FI"},
                     "participant_national_id_has_country", id="national-id-of-unknown-country"),
        pytest.param(factories.CaseWorkerAssignmentFactory, {"assigned_on": BEFORE_1900},
                     "assignment_date_in_range", id="assignment-before-1900"),
        pytest.param(factories.CaseWorkerAssignmentFactory, {"assigned_on": AFTER_2100},
                     "assignment_date_in_range", id="assignment-after-2100"),
        pytest.param(factories.FollowUpFactory, {"occurred_on": BEFORE_1900},
                     "follow_up_date_in_range", id="follow-up-before-1900"),
        pytest.param(factories.FollowUpFactory, {"channel": "carrier_pigeon"},
                     "follow_up_channel_valid", id="follow-up-unknown-channel"),
        pytest.param(factories.OutcomeSpellFactory, {"kind": "hobby"},
                     "outcome_kind_valid", id="outcome-unknown-kind"),
        pytest.param(factories.OutcomeSpellFactory, {"started_on": BEFORE_1900},
                     "outcome_start_in_range", id="outcome-starts-before-1900"),
        pytest.param(factories.OutcomeSpellFactory, {"ended_on": AFTER_2100},
                     "outcome_end_in_range", id="outcome-ends-after-2100"),
        pytest.param(factories.OutcomeSpellFactory, {"ended_on": dt.date(2024, 6, 30)},
                     "outcome_ends_after_start", id="outcome-ends-before-start"),
        pytest.param(factories.OutcomeSpellFactory,
                     {"kind": "education", "hours_per_week": Decimal("10.0")},
                     "outcome_hours_only_for_work", id="education-with-hours"),
        pytest.param(factories.OutcomeSpellFactory, {"hours_per_week": Decimal("0.0")},
                     "outcome_hours_only_for_work", id="work-with-zero-hours"),
        pytest.param(factories.OutcomeSpellFactory, {"hours_per_week": Decimal("168.5")},
                     "outcome_hours_only_for_work", id="work-beyond-a-whole-week"),
        pytest.param(factories.GoalFactory, {"status": "maybe"},
                     "goal_status_valid", id="goal-unknown-status"),
        pytest.param(factories.GoalFactory, {"target_date": AFTER_2100},
                     "goal_target_date_in_range", id="goal-after-2100"),
        pytest.param(factories.PlanReviewFactory, {"reviewed_on": BEFORE_1900},
                     "plan_review_date_in_range", id="plan-review-before-1900"),
        pytest.param(factories.AnswerFactory, {"answered_on": BEFORE_1900},
                     "answer_date_in_range", id="answer-before-1900"),
        pytest.param(factories.InstrumentFactory, {"scale_min": 1, "scale_max": 1},
                     "instrument_scale_valid", id="instrument-scale-of-one-point"),
        pytest.param(factories.InstrumentFactory, {"scale_min": 5, "scale_max": 1},
                     "instrument_scale_valid", id="instrument-scale-upside-down"),
        pytest.param(factories.MeasureFactory, {"measure_type": "job_club"},
                     "measure_type_valid", id="measure-unknown-type"),
        pytest.param(factories.MeasureFactory, {"setting": "online"},
                     "measure_setting_valid", id="measure-unknown-setting"),
        pytest.param(factories.ProjectFactory, {"ends_on": dt.date(2023, 12, 31)},
                     "project_ends_after_start", id="project-ends-before-start"),
        pytest.param(factories.ProjectFactory, {"target_work_rate": Decimal("1.5")},
                     "project_target_work_rate_is_fraction", id="work-target-above-one"),
        pytest.param(factories.ProjectFactory, {"target_work_rate": Decimal("-0.1")},
                     "project_target_work_rate_is_fraction", id="work-target-negative"),
        pytest.param(factories.ProjectFactory, {"target_education_rate": Decimal("1.01")},
                     "project_target_education_rate_is_fraction",
                     id="education-target-above-one"),
        pytest.param(factories.ProjectFactory, {"parent_id": F("pk")},
                     "project_is_not_its_own_parent", id="project-its-own-parent"),
    ],
)
def test_bad_value_is_refused_by_its_check_constraint(factory, values, constraint):
    row = factory()
    with refused_by(constraint):
        type(row).objects.filter(pk=row.pk).update(**values)


def test_national_id_with_its_country_is_accepted():
    factories.ParticipantFactory(national_id="FAKE-0001", national_id_country="NO")


def test_work_spell_accepts_hours_up_to_a_whole_week():
    factories.OutcomeSpellFactory(hours_per_week=Decimal("168.0"))


# UNIQUE constraints.


def test_user_is_member_of_a_provider_only_once():
    """unique_provider_membership"""
    membership = factories.ProviderMembershipFactory()
    with refused_by():
        ProviderMembership.objects.create(user=membership.user, provider=membership.provider)


def test_item_code_is_unique_within_its_instrument():
    """unique_instrument_item"""
    item = factories.InstrumentItemFactory(code="joy")
    factories.InstrumentItemFactory(code="joy")  # another instrument
    with refused_by():
        InstrumentItem.objects.create(instrument=item.instrument, code="joy", text_en="Joy")


def test_participant_answers_an_item_once_a_day():
    """unique_answer_per_item_and_day"""
    answer = factories.AnswerFactory()
    factories.AnswerFactory(
        participant=answer.participant, item=answer.item, answered_on=dt.date(2024, 11, 4)
    )
    with refused_by():
        Answer.objects.bulk_create([
            Answer(participant=answer.participant, item=answer.item,
                   answered_on=answer.answered_on, score=5)
        ])


@pytest.mark.parametrize("factory", [factories.FollowUpFactory, factories.OutcomeSpellFactory])
def test_an_import_key_names_one_row(factory):
    """follow_up_import_key_unique, outcome_import_key_unique"""
    factory(import_key="bundle-1")
    factory(import_key=None)
    factory(import_key=None)  # rows typed in by hand have none, however many
    with refused_by():
        factory(import_key="bundle-1")
