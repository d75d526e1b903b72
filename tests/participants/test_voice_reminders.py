"""The dates of the reminders on the participant page (participants/voice_selectors.py),
after the voice pairs of INDICATORS.md: a baseline within 30 days of the programme start, a
final answer around the end of an enrollment (14 days either side), none once answered."""

import datetime as dt

import pytest

from participants.models import Instrument
from participants.voice_selectors import Reminder, voice_reminders
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 15)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def participant():
    return factories.ParticipantFactory()


@pytest.fixture
def answer(participant):
    joy = Instrument.objects.get(code="voice").items.get(code="joy")

    def answer(on: dt.date, item=joy):
        factories.AnswerFactory(participant=participant, item=item, answered_on=on)

    return answer


def enroll(participant, *, started, ended=None, planned_end=None, name="Arbeidstrening"):
    return factories.EnrollmentFactory(
        participant=participant, measure__name=name, referred_on=started - dt.timedelta(days=3),
        started_on=started, ended_on=ended, end_reason="completed" if ended else "",
        planned_end_on=planned_end)


def kinds(participant, today=TODAY):
    return [r.kind for r in voice_reminders(participant=participant, today=today)]


def test_nothing_is_due_before_any_referral(participant):
    assert kinds(participant) == []


def test_a_baseline_is_due_until_30_days_after_the_first_start(participant):
    enroll(participant, started=days(-30))
    assert voice_reminders(participant=participant, today=TODAY) == [
        Reminder("baseline", due_by=TODAY)]
    assert kinds(participant, today=days(1)) == []  # the window has closed


def test_the_first_start_counts_not_a_later_one(participant):
    enroll(participant, started=days(-100), ended=days(-60))
    enroll(participant, started=days(-5), name="Jobbhuset")
    assert kinds(participant) == []


@pytest.mark.parametrize("answered, due", [
    (-41, True),  # 31 days before the start: too early to be the baseline
    (-40, False),  # 30 days before the start: counts
    (-1, False),
])
def test_an_answer_within_30_days_of_the_start_is_the_baseline(participant, answer,
                                                               answered, due):
    enroll(participant, started=days(-10))
    answer(days(answered))
    assert kinds(participant) == (["baseline"] if due else [])


def test_another_questionnaire_is_not_a_baseline(participant, answer):
    enroll(participant, started=days(-10))
    answer(days(-2), item=factories.InstrumentItemFactory())
    assert kinds(participant) == ["baseline"]


def test_a_waiting_participant_is_asked_for_a_baseline_unless_answered_lately(participant,
                                                                            answer):
    factories.EnrollmentFactory(participant=participant, referred_on=days(-20))
    assert voice_reminders(participant=participant, today=TODAY) == [Reminder("baseline")]
    answer(days(-29))
    assert kinds(participant) == []


@pytest.mark.parametrize("planned, due", [(14, True), (15, False), (-14, True), (-15, False)])
def test_a_final_answer_is_due_14_days_either_side_of_a_planned_end(participant, answer,
                                                                    planned, due):
    enroll(participant, started=days(-200), planned_end=days(planned))
    answer(days(-195))  # the baseline
    assert kinds(participant) == (["final"] if due else [])


@pytest.mark.parametrize("ended, due", [(0, True), (-14, True), (-90, True), (-91, False)])
def test_a_final_answer_is_due_for_90_days_after_an_end(participant, answer, ended, due):
    """After an exit, as long as INDICATORS.md counts it: up to 90 days."""
    enroll(participant, started=days(-200), ended=days(ended), name="Jobbhuset IPS")
    answer(days(-195))
    reminders = voice_reminders(participant=participant, today=TODAY)
    assert reminders == ([Reminder("final", end=days(ended), measure="Jobbhuset IPS",
                                   ended=True)] if due else [])


@pytest.mark.parametrize("ended, due", [(-14, True), (-15, False)])
def test_while_another_measure_runs_an_end_is_reminded_for_14_days(participant, answer,
                                                                   ended, due):
    enroll(participant, started=days(-200), ended=days(ended))
    enroll(participant, started=days(ended), name="Jobbhuset")
    answer(days(-195))
    assert kinds(participant) == (["final"] if due else [])


@pytest.mark.parametrize("answered, due", [(-32, True), (-31, False), (0, False)])
def test_an_answer_from_30_days_before_the_end_is_the_final_one(participant, answer,
                                                                 answered, due):
    enroll(participant, started=days(-200), ended=days(-1))
    answer(days(-195))
    answer(days(answered))
    assert kinds(participant) == (["final"] if due else [])


def test_the_final_answer_must_come_after_the_baseline(participant, answer):
    """A short enrollment: the baseline itself lies in the final window and is not both."""
    enroll(participant, started=days(-20), ended=days(-2))
    answer(days(-20))
    assert kinds(participant) == ["final"]
    answer(days(-1))
    assert kinds(participant) == []
