"""Small builders for the indicator tests: dates as text, one call per fact."""

import datetime as dt

import pytest

from evaluations.indicators import IndicatorQuery, compute
from measures.models import EndReason
from participants.models import InstrumentItem
from tests import factories


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def enrol(participant, ref, referred, started=None, ended=None, reason=None, measure=None):
    """An enrollment; an ended one defaults to `completed`, an unstarted one to `not_started`."""
    if ended and reason is None:
        reason = EndReason.COMPLETED if started else EndReason.NOT_STARTED
    extra = {"measure": measure} if measure is not None else {}
    return factories.EnrollmentFactory(
        participant=participant, ref=ref, referred_on=day(referred),
        started_on=day(started) if started else None, ended_on=day(ended) if ended else None,
        end_reason=reason or "", **extra,
    )


def spell(participant, started, ended=None, kind="work"):
    return factories.OutcomeSpellFactory(
        participant=participant, kind=kind, started_on=day(started),
        ended_on=day(ended) if ended else None,
    )


def follow_up(participant, occurred, case_worker=None, **flags):
    extra = {"case_worker": case_worker} if case_worker is not None else {}
    return factories.FollowUpFactory(participant=participant, occurred_on=day(occurred),
                                     **extra, **flags)


def voice(participant, answered, **scores):
    """One voice response: ``joy=4, heard=2``; items left out have no row."""
    for code, score in scores.items():
        factories.AnswerFactory(
            participant=participant, answered_on=day(answered), score=score,
            item=InstrumentItem.objects.get(instrument__code="voice", code=code),
        )


def figures(date_from, date_to, project=None, by=None):
    return compute(IndicatorQuery(day(date_from), day(date_to), project, by))


def value(result, code):
    return result.total[code].value


def row_values(result, code) -> dict:
    return {row.group: row.values[code].value for row in result.rows}


@pytest.fixture
def participant(db):
    return factories.ParticipantFactory(birth_year=1980)
