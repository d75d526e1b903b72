"""The awkward rules of INDICATORS.md, one behaviour per test."""

import pytest

from evaluations.indicators import IndicatorQueryError
from measures.models import EndReason, MeasureType, Setting
from tests import factories

from .conftest import enrol, figures, follow_up, row_values, spell, value, voice

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- as of T


def test_everything_dated_after_t_has_not_happened_yet(participant):
    enrol(participant, "E1", "2024-01-10", "2024-02-01", "2024-08-01")  # ends after T
    other = factories.ParticipantFactory()
    enrol(other, "E2", "2024-06-01", "2024-07-15")  # starts after T: still waiting
    enrol(other, "E3", "2024-07-05")  # referred after T: does not exist

    result = figures("2024-01-01", "2024-06-30")

    assert value(result, "active") == 1
    assert value(result, "exits") == 0
    assert value(result, "waiting") == 1
    assert value(result, "starts") == 1
    assert value(result, "referrals") == 2


def test_a_withdrawal_after_t_leaves_the_referral_waiting(participant):
    enrol(participant, "E1", "2024-05-01", ended="2024-07-01")

    assert value(figures("2024-01-01", "2024-06-30"), "waiting") == 1
    assert value(figures("2024-01-01", "2024-07-31"), "waiting") == 0


def test_a_spell_starting_after_t_does_not_exist(participant):
    enrol(participant, "E1", "2024-01-01", "2024-01-10", "2024-03-01")
    spell(participant, "2024-05-01")

    before = figures("2024-01-01", "2024-04-30")
    on_the_day = figures("2024-01-01", "2024-05-01")

    assert (value(before, "work_rate"), value(before, "job_starts")) == (0.0, 0)
    assert (value(on_the_day, "work_rate"), value(on_the_day, "job_starts")) == (1.0, 1)


def test_a_spell_ending_after_t_is_ongoing_for_the_first_job(participant):
    enrol(participant, "E1", "2024-01-01", "2024-01-10")
    spell(participant, "2024-02-01", "2024-02-10")
    spell(participant, "2024-02-01", "2024-06-15")  # the latest end of that day counts

    assert value(figures("2024-01-01", "2024-06-01"), "retained_90d_rate") == 1.0
    assert value(figures("2024-01-01", "2024-06-30"), "retained_90d_rate") == 1.0


def test_a_participant_still_waiting_for_another_measure_has_not_exited(participant):
    enrol(participant, "E1", "2024-01-01", "2024-01-10", "2024-03-01")
    enrol(participant, "E2", "2024-02-20")

    result = figures("2024-01-01", "2024-12-31")

    assert value(result, "exits") == 0
    assert value(result, "waiting") == 1


# ---------------------------------------------------------------- tie-breaks


def test_the_exit_enrollment_is_the_latest_end_then_start_then_greater_ref(participant):
    course = factories.MeasureFactory(measure_type=MeasureType.COURSE)
    training = factories.MeasureFactory(measure_type=MeasureType.WORK_TRAINING)
    practice = factories.MeasureFactory(measure_type=MeasureType.WORK_PRACTICE)
    enrol(participant, "E-B", "2024-01-01", "2024-02-01", "2024-06-01",
          EndReason.DROPPED_OUT, measure=course)
    enrol(participant, "E-A", "2024-01-01", "2024-03-01", "2024-06-01",
          EndReason.COMPLETED, measure=training)
    enrol(participant, "E-0", "2024-01-01", "2024-01-05", "2024-05-01", measure=practice)
    twin = factories.ParticipantFactory()
    enrol(twin, "T-1", "2024-01-01", "2024-03-01", "2024-06-01", EndReason.COMPLETED,
          measure=course)
    enrol(twin, "T-2", "2024-01-01", "2024-03-01", "2024-06-01", EndReason.HEALTH,
          measure=practice)

    result = figures("2024-01-01", "2024-12-31", by="measure_type")

    # E-A started later than E-B; T-2 is the greater ref of two equal ones
    assert row_values(result, "exits") == {"course": 0, "work_practice": 1, "work_training": 1}
    assert row_values(result, "completed_rate") == {
        "course": None, "work_practice": 0.0, "work_training": 1.0}


def test_the_first_enrollment_takes_the_smaller_ref(participant):
    course = factories.MeasureFactory(measure_type=MeasureType.COURSE)
    training = factories.MeasureFactory(measure_type=MeasureType.WORK_TRAINING)
    enrol(participant, "E-10", "2024-01-01", "2024-02-01", measure=course)
    enrol(participant, "E-09", "2024-01-01", "2024-02-01", measure=training)

    result = figures("2024-01-01", "2024-12-31", by="measure_type")

    assert row_values(result, "new_participants") == {"course": 0, "work_training": 1}
    # every other rule takes the greater ref: the latest active enrollment is E-10
    assert row_values(result, "active") == {"course": 1, "work_training": 0}


def test_refs_compare_by_code_point_not_by_locale(participant):
    upper = factories.MeasureFactory(measure_type=MeasureType.COURSE)
    lower = factories.MeasureFactory(measure_type=MeasureType.WORK_TRAINING)
    enrol(participant, "a-1", "2024-01-01", "2024-02-01", measure=lower)
    enrol(participant, "B-1", "2024-01-01", "2024-02-01", measure=upper)

    result = figures("2024-01-01", "2024-12-31", by="measure_type")

    # "B" (66) comes before "a" (97): the first is B-1, the latest active a-1
    assert row_values(result, "new_participants") == {"course": 1, "work_training": 0}
    assert row_values(result, "active") == {"course": 0, "work_training": 1}


def test_the_attributions_hold_for_the_largest_measure_ids_and_latest_dates(participant):
    """The attribution enrollment is found by packing its sort key and its measure into
    one integer (facts.participant_fact): the extremes must not overflow or mix."""
    course = factories.MeasureFactory(pk=2**31 - 1, measure_type=MeasureType.COURSE)
    training = factories.MeasureFactory(pk=2**31 - 2, measure_type=MeasureType.WORK_TRAINING)
    enrol(participant, "E-2", "2099-01-01", "2099-02-01", "2100-12-31", EndReason.HEALTH,
          measure=training)
    enrol(participant, "E-1", "2099-01-01", "2099-01-15", "2100-12-30", measure=course)

    result = figures("2100-01-01", "2100-12-31", by="measure_type")

    # E-2 ended last (a health reason): the exit is attributed to it, not completed.
    assert row_values(result, "exits") == {"work_training": 1}
    assert row_values(result, "completed_rate") == {"work_training": 0.0}
    assert value(result, "exits") == 1


def test_the_job_enrollment_is_the_latest_started_on_or_before_the_job(participant):
    course = factories.MeasureFactory(measure_type=MeasureType.COURSE)
    training = factories.MeasureFactory(measure_type=MeasureType.WORK_TRAINING)
    practice = factories.MeasureFactory(measure_type=MeasureType.WORK_PRACTICE)
    enrol(participant, "E1", "2024-01-01", "2024-01-10", "2024-02-01", measure=course)
    enrol(participant, "E2", "2024-01-01", "2024-02-10", "2024-03-01", measure=training)
    enrol(participant, "E3", "2024-01-01", "2024-05-01", measure=practice)
    spell(participant, "2024-04-01")

    result = figures("2024-01-01", "2024-12-31", by="measure_type")

    assert row_values(result, "job_starts")["work_training"] == 1
    assert row_values(result, "job_starts")["work_practice"] == 0


# ---------------------------------------------------------------- outcome window


def test_work_that_began_before_the_programme_counts_in_the_window_only(participant):
    spell(participant, "2023-06-01")  # ongoing, began before the programme
    enrol(participant, "E1", "2024-01-01", "2024-01-10", "2024-03-01")

    result = figures("2024-01-01", "2024-12-31")

    assert value(result, "work_rate") == 1.0
    assert value(result, "days_to_work_median") is None  # no spell starts in the window
    assert value(result, "job_starts") == 0  # the first job must start in the programme


def test_the_outcome_window_ends_180_days_after_exit(participant):
    enrol(participant, "E1", "2024-01-01", "2024-01-10", "2024-03-01")
    spell(participant, "2024-08-29")  # 181 days after the exit
    other = factories.ParticipantFactory()
    enrol(other, "E2", "2024-01-01", "2024-01-10", "2024-03-01")
    spell(other, "2024-08-28", kind="education")  # 180 days after the exit

    result = figures("2024-01-01", "2024-12-31")

    assert value(result, "work_rate") == 0.0
    assert value(result, "education_rate") == 0.5
    assert value(result, "work_or_education_rate") == 0.5


def test_the_outcome_window_stops_at_t(participant):
    enrol(participant, "E1", "2024-01-01", "2024-01-10", "2024-03-01")
    spell(participant, "2024-04-02")

    assert value(figures("2024-01-01", "2024-04-01"), "work_rate") == 0.0
    assert value(figures("2024-01-01", "2024-04-02"), "work_rate") == 1.0


def test_days_to_work_counts_whole_days_from_programme_start(participant):
    enrol(participant, "E1", "2024-01-01", "2024-01-10", "2024-03-01")
    spell(participant, "2024-01-10", "2024-01-20")
    spell(participant, "2024-02-01")

    assert value(figures("2024-01-01", "2024-12-31"), "days_to_work_median") == 0.0


# ---------------------------------------------------------------- quarters


def test_the_second_quarter_after_a_q1_exit_is_q3_and_must_have_ended(participant):
    enrol(participant, "E1", "2024-01-01", "2024-01-10", "2024-03-31")
    spell(participant, "2024-09-30", "2024-10-05")

    not_yet = figures("2024-01-01", "2024-09-29")
    ended = figures("2024-01-01", "2024-09-30")

    assert value(not_yet, "q2_cohort") == 0
    assert value(not_yet, "employed_q2_rate") is None
    assert value(ended, "q2_cohort") == 1
    assert value(ended, "employed_q2_rate") == 1.0


def test_the_fourth_quarter_after_a_q1_exit_is_q1_of_the_next_year(participant):
    enrol(participant, "E1", "2024-01-01", "2024-01-10", "2024-02-15")
    spell(participant, "2024-04-01", "2024-12-31")

    result = figures("2024-01-01", "2025-03-31")

    assert value(result, "q4_cohort") == 1
    assert value(result, "employed_q4_rate") == 0.0
    assert value(figures("2024-01-01", "2025-03-30"), "q4_cohort") == 0


def test_quarters_after_a_q4_exit_run_into_the_next_year(participant):
    enrol(participant, "E1", "2024-01-01", "2024-01-10", "2024-11-15")
    spell(participant, "2025-06-30", "2025-07-10")

    result = figures("2024-01-01", "2025-06-30")

    assert value(result, "q2_cohort") == 1
    assert value(result, "employed_q2_rate") == 1.0


# ---------------------------------------------------------------- continuity, follow-ups


def test_continuity_is_one_case_worker_whether_or_not_the_primary_one(participant):
    primary, stand_in, other = (factories.UserFactory() for _ in range(3))
    participant.primary_case_worker = primary
    participant.save()
    enrol(participant, "E1", "2024-01-01", "2024-02-01", "2024-06-01")
    follow_up(participant, "2024-02-01", stand_in)
    follow_up(participant, "2024-06-01", stand_in)
    follow_up(participant, "2024-06-02", other)  # after the exit: not in the range
    two_workers = factories.ParticipantFactory()
    enrol(two_workers, "E2", "2024-01-01", "2024-02-01", "2024-06-01")
    follow_up(two_workers, "2024-03-01", stand_in)
    follow_up(two_workers, "2024-04-01", other)
    never_followed = factories.ParticipantFactory()
    enrol(never_followed, "E3", "2024-01-01", "2024-02-01", "2024-06-01")

    result = figures("2024-01-01", "2024-12-31")

    assert value(result, "continuity_rate") == 0.5
    assert result.total["continuity_rate"].units == 2


def test_followed_up_in_the_last_30_days_includes_t_minus_29(participant):
    enrol(participant, "E1", "2024-01-01", "2024-01-10")
    follow_up(participant, "2024-06-01")

    assert value(figures("2024-01-01", "2024-06-30"), "followed_up_30d_rate") == 1.0
    assert value(figures("2024-01-01", "2024-07-01"), "followed_up_30d_rate") == 0.0


def test_long_stayers_have_no_outcome_since_programme_start(participant):
    enrol(participant, "E1", "2022-01-01", "2022-01-10")
    spell(participant, "2021-01-01")  # before the programme: does not count
    with_job = factories.ParticipantFactory()
    enrol(with_job, "E2", "2022-01-01", "2022-01-10")
    spell(with_job, "2023-01-01", "2023-02-01", kind="education")

    # programme_start <= T - 730 days: two years to the day
    assert value(figures("2024-01-01", "2024-01-10"), "long_stayers") == 1
    assert value(figures("2024-01-01", "2024-01-09"), "long_stayers") == 0


def test_a_job_counts_as_supported_with_a_follow_up_in_its_first_91_days(participant):
    enrol(participant, "E1", "2024-01-01", "2024-01-10")
    spell(participant, "2024-02-01")
    follow_up(participant, "2024-05-01")  # job_start + 90 days
    late = factories.ParticipantFactory()
    enrol(late, "E2", "2024-01-01", "2024-01-10")
    spell(late, "2024-02-01")
    follow_up(late, "2024-05-02")

    result = figures("2024-01-01", "2024-12-31")

    assert value(result, "supported_after_job_rate") == 0.5
    assert value(result, "retained_90d_rate") == 1.0


def test_among_first_jobs_on_one_day_an_ongoing_one_counts(participant):
    enrol(participant, "E1", "2024-01-01", "2024-01-10")
    spell(participant, "2024-02-01", "2024-02-10")
    spell(participant, "2024-02-01")

    assert value(figures("2024-01-01", "2024-12-31"), "retained_90d_rate") == 1.0


# ---------------------------------------------------------------- voice


def test_voice_pairs_use_the_mean_of_the_items_answered(participant):
    enrol(participant, "E1", "2024-01-01", "2024-02-01", "2024-06-01")
    voice(participant, "2024-01-05", joy=2, heard=4)  # baseline 3.0
    voice(participant, "2024-02-20", joy=5)  # later baseline candidate: the earliest wins
    voice(participant, "2024-08-01", joy=4, heard=5, mastery=3)  # final 4.0
    voice(participant, "2024-08-31", joy=1)  # after exit + 90 days: not the final

    result = figures("2024-01-01", "2024-12-31")

    assert value(result, "voice_pairs") == 1
    assert value(result, "voice_change_mean") == pytest.approx(1.0)
    assert value(result, "voice_improved_rate") == 1.0


def test_a_final_response_must_come_after_the_baseline_and_by_t(participant):
    enrol(participant, "E1", "2024-01-01", "2024-02-01", "2024-02-20")
    voice(participant, "2024-02-15", joy=3)  # both baseline and in the final range
    same_day_only = figures("2024-01-01", "2024-12-31")
    voice(participant, "2024-03-01", joy=3)

    assert value(same_day_only, "voice_pairs") == 0
    assert value(figures("2024-01-01", "2024-02-29"), "voice_pairs") == 0
    assert value(figures("2024-01-01", "2024-03-01"), "voice_pairs") == 1
    assert value(figures("2024-01-01", "2024-03-01"), "voice_improved_rate") == 0.0


def test_a_baseline_more_than_30_days_from_programme_start_does_not_count(participant):
    enrol(participant, "E1", "2024-01-01", "2024-02-01", "2024-06-01")
    voice(participant, "2024-03-03", joy=2)
    voice(participant, "2024-06-10", joy=4)

    assert value(figures("2024-01-01", "2024-12-31"), "voice_pairs") == 0


# ---------------------------------------------------------------- breakdowns


def test_follow_up_shares_are_null_in_every_row_of_the_measure_breakdowns(participant):
    enrol(participant, "E1", "2024-01-01", "2024-02-01",
          measure=factories.MeasureFactory(setting=Setting.CLASSROOM))
    follow_up(participant, "2024-03-01", with_employer=True)
    only_followed_up = factories.ParticipantFactory()
    follow_up(only_followed_up, "2024-03-01")

    result = figures("2024-01-01", "2024-12-31", by="setting")

    assert value(result, "employer_contact_share") == 0.5
    assert [row.group for row in result.rows] == ["classroom"]
    assert row_values(result, "employer_contact_share") == {"classroom": None}
    by_gender = figures("2024-01-01", "2024-12-31", by="gender")
    assert sum(row.values["employer_contact_share"].units for row in by_gender.rows) == 2


def test_age_bands_take_referral_date_for_enrollments_and_programme_start_otherwise():
    person = factories.ParticipantFactory(birth_year=1999)
    enrol(person, "E1", "2023-12-20", "2024-01-05")
    follow_up(person, "2029-01-01")

    result = figures("2023-01-01", "2029-12-31", by="age_band")

    assert row_values(result, "referrals") == {"25-29": 0, "<25": 1, "30-34": 0}
    assert row_values(result, "new_participants") == {"25-29": 1, "<25": 0, "30-34": 0}
    assert row_values(result, "employer_contact_share") == {"25-29": None, "<25": None,
                                                            "30-34": 0.0}


def test_age_band_edges():
    for birth_year in (2000, 1999, 1990, 1989, 1975, 1974):
        person = factories.ParticipantFactory(birth_year=birth_year)
        enrol(person, f"E{birth_year}", "2024-03-01")

    result = figures("2024-01-01", "2024-12-31", by="age_band")

    assert row_values(result, "referrals") == {
        "<25": 1, "25-29": 1, "30-34": 1, "35-49": 2, "50+": 1}


def test_rows_are_sorted_by_code_point_and_total_is_the_query_without_breakdown():
    lower = factories.OfficeFactory(code="a-office")
    upper = factories.OfficeFactory(code="B-office")
    for index, office in enumerate((lower, upper, upper)):
        enrol(factories.ParticipantFactory(office=office), f"E{index}", "2024-03-01")

    by_office = figures("2024-01-01", "2024-12-31", by="office")
    plain = figures("2024-01-01", "2024-12-31")

    assert [row.group for row in by_office.rows] == ["B-office", "a-office"]
    assert by_office.total == plain.total
    assert by_office.rows[0].values["referrals"].value == 2


def test_a_project_includes_its_sub_projects_and_rows_show_the_own_project():
    top = factories.ProjectFactory(code="TOP")
    middle = factories.ProjectFactory(code="TOP-MID", parent=top)
    bottom = factories.ProjectFactory(code="TOP-MID-LOW", parent=middle)
    outside = factories.ProjectFactory(code="ELSEWHERE")
    for index, project in enumerate((top, bottom, outside)):
        enrol(factories.ParticipantFactory(project=project), f"E{index}", "2024-03-01")

    result = figures("2024-01-01", "2024-12-31", project="TOP", by="project")

    assert value(result, "referrals") == 2
    assert row_values(result, "referrals") == {"TOP": 1, "TOP-MID-LOW": 1}


def test_an_unknown_project_is_a_query_error(db):
    with pytest.raises(IndicatorQueryError):
        figures("2024-01-01", "2024-12-31", project="NOPE")


# ---------------------------------------------------------------- numbers


def test_medians_and_the_90th_percentile_interpolate_linearly():
    for index, started in enumerate(("2024-03-01", "2024-03-11", "2024-03-21", "2024-03-31")):
        enrol(factories.ParticipantFactory(), f"E{index}", "2024-03-01", started)

    result = figures("2024-01-01", "2024-12-31")

    assert value(result, "wait_days_median") == 15.0
    assert value(result, "wait_days_p90") == pytest.approx(27.0)
    assert value(result, "wait_days_mean") == 15.0
    assert result.total["wait_days_p90"].units == 4


def test_an_empty_period_gives_zero_counts_and_null_rates(db):
    result = figures("2024-01-01", "2024-12-31", by="gender")

    assert result.rows == ()
    for code, cell in result.total.items():
        assert cell.units == 0
        if code in {"referrals", "exits", "q2_cohort", "participants"}:
            assert cell.value == 0 and isinstance(cell.value, int)
    assert value(result, "work_rate") is None
    assert value(result, "wait_days_median") is None


def test_measures_per_exit_counts_every_started_enrollment_as_of_t(participant):
    enrol(participant, "E1", "2022-01-01", "2022-01-10", "2022-03-01")
    enrol(participant, "E2", "2022-01-01", ended="2022-02-01")  # withdrawn: never started
    enrol(participant, "E3", "2024-01-01", "2024-01-10", "2024-03-01")

    result = figures("2024-01-01", "2024-12-31")

    assert value(result, "measures_per_exit") == 2.0
    assert value(result, "participants") == 1
