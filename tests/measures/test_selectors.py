"""The reads behind the waiting lists: who is listed, in which order, and the figures."""

import datetime as dt

import pytest

from measures import selectors
from measures.models import EndReason
from rehab.roles import roles_of
from tests import factories

from .conftest import days_ago

pytestmark = pytest.mark.django_db


def test_waiting_list_shows_visible_waiting_referrals_oldest_first(
    participant, other_participant, measure, case_worker
):
    newer = factories.EnrollmentFactory(participant=participant, measure=measure,
                                        referred_on=days_ago(5))
    older = factories.EnrollmentFactory(
        participant=factories.ParticipantFactory(office=participant.office), measure=measure,
        referred_on=days_ago(40),
    )
    factories.EnrollmentFactory(participant=other_participant, measure=measure,
                                referred_on=days_ago(60))  # another office
    factories.EnrollmentFactory(participant=participant, measure=factories.MeasureFactory(),
                                referred_on=days_ago(90), started_on=days_ago(70))  # active

    rows = selectors.with_days_waited(
        selectors.waiting_list(measure=measure, user=case_worker)
    )

    assert [row.pk for row in rows] == [older.pk, newer.pk]
    assert [row.days_waited for row in rows] == [40, 5]


def test_waiting_list_of_provider_staff_holds_their_own_providers_measures_only(
    participant, other_participant, measure, other_measure, provider_staff, provider
):
    own = factories.EnrollmentFactory(participant=other_participant, measure=measure)
    factories.EnrollmentFactory(participant=participant, measure=other_measure)

    assert list(selectors.waiting_list(user=provider_staff)) == [own]
    assert list(selectors.waiting_list(provider=provider, user=provider_staff)) == [own]


def test_project_lead_gets_no_waiting_rows(waiting, project_lead):
    assert not selectors.waiting_list(user=project_lead).exists()


def test_waiting_figures_count_the_waiting_and_take_the_median_of_last_years_waits(
    measure, second_measure, administrator
):
    today = dt.date(2025, 6, 30)
    for _ in range(3):
        factories.EnrollmentFactory(measure=measure, referred_on=dt.date(2025, 6, 1))
    for referred, started in [
        (dt.date(2025, 1, 1), dt.date(2025, 1, 11)),  # 10 days
        (dt.date(2025, 2, 1), dt.date(2025, 2, 21)),  # 20 days
        (dt.date(2025, 3, 1), dt.date(2025, 4, 10)),  # 40 days
        (dt.date(2025, 3, 1), dt.date(2025, 3, 26)),  # 25 days
        (dt.date(2024, 1, 1), dt.date(2024, 6, 29)),  # started more than 365 days ago
    ]:
        factories.EnrollmentFactory(measure=measure, referred_on=referred, started_on=started)
    factories.EnrollmentFactory(measure=measure, referred_on=dt.date(2025, 1, 1),
                                ended_on=dt.date(2025, 1, 5), end_reason=EndReason.NOT_STARTED)

    stats = selectors.measure_waiting_stats(measures=[measure, second_measure],
                                            user=administrator, today=today)

    assert stats[measure.pk].waiting == 3
    assert stats[measure.pk].started == 4
    assert stats[measure.pk].median_wait_days == 22.5
    assert stats[measure.pk].median_wait_whole_days == 23
    assert stats[second_measure.pk] == selectors.WaitStats(waiting=0)
    assert stats[second_measure.pk].median_wait_whole_days is None


def test_waiting_figures_take_two_queries_whatever_the_number_of_measures(
    django_assert_num_queries, case_worker
):
    measures = factories.MeasureFactory.create_batch(5)
    for index, measure in enumerate(measures):
        for _ in range(1 if index < 2 else 5):
            factories.EnrollmentFactory(measure=measure, referred_on=days_ago(20))
            factories.EnrollmentFactory(measure=measure, referred_on=days_ago(20),
                                        started_on=days_ago(5))
    roles_of(case_worker)  # read once per request
    with django_assert_num_queries(2):
        stats = selectors.measure_waiting_stats(measures=measures[2:], user=case_worker)
    assert {s.median_wait_days for s in stats.values()} == {15}  # large enough to show
    small = measures[:2]
    with django_assert_num_queries(4):  # and which of them the case worker may see
        stats = selectors.measure_waiting_stats(measures=small, user=case_worker)
    assert {s.waiting_hidden for s in stats.values()} == {True}


def test_small_waiting_figures_leave_out_their_values_for_a_reader_who_may_not_see_them(
    measure, participant, case_worker
):
    """Nothing downstream can show a hidden figure: it is not there."""
    factories.EnrollmentFactory(measure=measure, referred_on=days_ago(20))
    factories.EnrollmentFactory(measure=measure, referred_on=days_ago(20),
                                started_on=days_ago(5))
    factories.EnrollmentFactory(participant=participant, measure=measure,
                                referred_on=days_ago(9))

    stats = selectors.measure_waiting_stats(measures=[measure], user=case_worker)[measure.pk]

    assert stats == selectors.WaitStats(waiting=None, median_wait_days=None, started=None,
                                        waiting_hidden=True, median_hidden=True)


def test_provider_staff_see_the_waiting_lists_of_their_own_providers_measures(
    measure, other_measure, provider_staff, case_worker
):
    assert selectors.measures_for_waiting_lists(user=provider_staff) == [measure]
    assert set(selectors.measures_for_waiting_lists(user=case_worker)) == {measure,
                                                                           other_measure}


def test_inactive_measure_is_listed_while_someone_still_waits(measure, second_measure,
                                                              case_worker):
    for inactive in (measure, second_measure):
        inactive.active = False
        inactive.save()
    factories.EnrollmentFactory(measure=measure)

    assert selectors.measures_for_waiting_lists(user=case_worker) == [measure]


def test_enrollments_for_participant_are_the_visible_ones_newest_first(
    participant, waiting, active, other_measure, provider_staff, case_worker
):
    elsewhere = factories.EnrollmentFactory(participant=participant, measure=other_measure,
                                            referred_on=days_ago(1))

    assert list(selectors.enrollments_for_participant(
        participant=participant, user=case_worker)) == [elsewhere, waiting, active]
    assert list(selectors.enrollments_for_participant(
        participant=participant, user=provider_staff)) == [waiting, active]
