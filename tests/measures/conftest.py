"""The cast of the measures tests: a participant of the case worker's office, two measures of
``provider`` and one of ``other_provider``. Dates are relative to today, because the
services refuse dates in the future and the waiting figures look back 365 days."""

import datetime as dt

import pytest
from django.utils import timezone

from tests import factories


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


@pytest.fixture
def measure(provider):
    return factories.MeasureFactory(code="SKO-AT", name="Arbeidstrening verksted",
                                    provider=provider)


@pytest.fixture
def second_measure(provider):
    return factories.MeasureFactory(code="SKO-AP", name="Arbeidspraksis butikk",
                                    provider=provider)


@pytest.fixture
def other_measure(other_provider):
    return factories.MeasureFactory(code="JOB-IPS", name="Jobbhuset IPS",
                                    provider=other_provider)


@pytest.fixture
def participant(office):
    return factories.ParticipantFactory(ref="P-OWN", given_name="Kari", family_name="Lien",
                                        office=office)


@pytest.fixture
def other_participant(other_office):
    return factories.ParticipantFactory(ref="P-ELSEWHERE", given_name="Ola",
                                        family_name="Berg", office=other_office)


@pytest.fixture
def waiting(participant, measure, case_worker):
    return factories.EnrollmentFactory(ref="E-WAIT", participant=participant, measure=measure,
                                       referred_on=days_ago(30), referred_by=case_worker)


@pytest.fixture
def active(participant, second_measure):
    return factories.EnrollmentFactory(ref="E-ACTIVE", participant=participant,
                                       measure=second_measure, referred_on=days_ago(100),
                                       started_on=days_ago(80))
