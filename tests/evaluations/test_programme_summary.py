"""The programme summary: the ten figures in the programmes' order, suppressed as every
figure is (counts of 1 to 4, shares over 1 to 4 people), against the project's targets,
read from the stored snapshot; and the dashboard opening with it."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from evaluations import dashboards, selectors
from evaluations.indicators import INDICATORS, IndicatorResult
from evaluations.indicators.definitions import Kind
from evaluations.indicators.result import Cell
from evaluations.models import IndicatorRequest, IndicatorSnapshot, PeriodKind
from evaluations.summary import summary_of
from tests import factories

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
PERIOD = dashboards.Period(PeriodKind.YEAR, *YEAR)
ORDER = ["participants", "new_participants", "completers", "early_ends",
         "completers_work_or_education", "onward_rate", "job_starts", "retained_90d_rate",
         "supported_after_job_rate", "voice_change_mean"]


def result(**overrides) -> IndicatorResult:
    """195 took part, 60 new, 190 exits of whom 148 completed (35 % of them, 52, in work or
    education), unless overridden by ``code=(value, units)``."""
    values = {}
    for indicator in INDICATORS:
        value = {Kind.COUNT: 40, Kind.RATE: 0.25, Kind.MEAN: 0.6, Kind.DAYS: 21.0}[
            indicator.kind]
        values[indicator.code] = Cell(value=value, units=40)
    plain = {
        "participants": (195, 195), "new_participants": (60, 60), "exits": (190, 190),
        "completers": (148, 148), "completers_work_or_education_rate": (52 / 148, 148),
        "onward_rate": (0.5, 190), "job_starts": (41, 41), "retained_90d_rate": (0.8, 30),
        "supported_after_job_rate": (0.7, 30), "voice_change_mean": (0.62, 50),
        "work_rate": (0.24, 190), "education_rate": (0.11, 190),
    }
    for code, (value, units) in {**plain, **overrides}.items():
        values[code] = Cell(value=value, units=units)
    return IndicatorResult(date_from=YEAR[0], date_to=YEAR[1], project_code=None, by=None,
                           total=values)


@pytest.fixture
def programme():
    return factories.ProjectFactory(code="PVA", name="På vej til arbejde",
                                    target_work_rate=Decimal("0.20"),
                                    target_education_rate=Decimal("0.15"))


def shown(summary, key):
    return [(value.value, value.text, value.status) for value in summary.figure(key).values]


def test_the_summary_has_the_ten_figures_in_the_programmes_order(programme):
    summary = summary_of(result(), project=programme)

    assert [figure.key for figure in summary.figures] == ORDER
    assert shown(summary, "participants") == [(195, "195", "")]
    assert shown(summary, "completers") == [(148, "148", "")]
    assert shown(summary, "early_ends") == [(42, "42", "")]  # 190 exits - 148 completers
    assert shown(summary, "completers_work_or_education") == [
        (52, "52", ""), (pytest.approx(52 / 148), "35.1 %", "")]
    assert summary.figure("completers_work_or_education").text == "52 (35.1 %)"
    assert shown(summary, "voice_change_mean") == [(0.62, "0.6", "")]


def test_the_sentence_says_it_as_the_programmes_report_it(programme):
    summary = summary_of(result(), project=programme)

    assert summary.sentence == (
        "195 took part, 60 of them new. 148 completed; 35.1 % of them are in paid work or "
        "education. Targets, as shares of all who ended: 20.0 % in work (24.0 %, met), "
        "15.0 % in education (11.0 %, not met).")


def test_targets_are_met_not_met_or_cannot_be_judged(programme):
    summary = summary_of(result(education_rate=(0.5, 3)), project=programme)

    work, education = summary.figure("completers_work_or_education").targets
    assert (work.code, work.target, work.met, work.status) == ("work_rate", 0.2, True, "met")
    # an education share resting on three exits is hidden, so it cannot be judged
    assert (education.code, education.met, education.status) == (
        "education_rate", None, "cannot be judged")
    assert [f.targets for f in summary.figures if f.key != "completers_work_or_education"] \
        == [()] * 9


def test_a_project_without_targets_and_all_projects_have_none():
    without = factories.ProjectFactory(code="VVV")

    assert summary_of(result(), project=without).targets == []
    assert summary_of(result(), project=None).targets == []
    assert "Targets" not in summary_of(result(), project=None).sentence


def test_small_counts_are_shown_as_fewer_than_five_and_their_shares_hidden(programme):
    summary = summary_of(result(job_starts=(3, 3), retained_90d_rate=(1.0, 3),
                                voice_change_mean=(1.2, 4)), project=programme)

    assert shown(summary, "job_starts") == [(None, "<5", "suppressed")]
    assert shown(summary, "retained_90d_rate") == [(None, "–", "suppressed")]
    assert shown(summary, "voice_change_mean") == [(None, "–", "suppressed")]


def test_few_early_ends_are_hidden_and_the_completers_still_shown(programme):
    """The exits, the completers and the share ended early are shown beside the summary
    (headline figures, report sections) as INDICATORS.md has them, so the summary hides
    the small count only, never the other side of the split."""
    summary = summary_of(result(exits=(150, 150)), project=programme)  # 2 early ends

    assert shown(summary, "early_ends") == [(None, "<5", "suppressed")]
    assert shown(summary, "completers") == [(148, "148", "")]
    assert [value.status for value in summary.figure("completers_work_or_education").values] \
        == ["", ""]
    assert "148 completed" in summary.sentence


def test_few_completers_in_work_hide_the_count_and_not_its_share(programme):
    few_in_work = summary_of(result(completers_work_or_education_rate=(3 / 148, 148)),
                             project=programme)
    few_without = summary_of(result(completers_work_or_education_rate=(146 / 148, 148)),
                             project=programme)

    # A share over 148 completers is shown, as INDICATORS.md shows it in every report.
    assert shown(few_in_work, "completers_work_or_education") == [
        (None, "<5", "suppressed"), (3 / 148, "2.0 %", "")]
    assert [v.status for v in few_without.figure("completers_work_or_education").values] == \
        ["", ""]
    assert shown(few_without, "completers") == [(148, "148", "")]


def test_a_share_over_fewer_than_five_completers_is_hidden(programme):
    summary = summary_of(result(completers=(4, 4), exits=(10, 10),
                                completers_work_or_education_rate=(0.5, 4)),
                         project=programme)

    assert shown(summary, "completers") == [(None, "<5", "suppressed")]
    assert [v.status for v in summary.figure("completers_work_or_education").values] == \
        ["suppressed", "suppressed"]
    assert "share of them in paid work or education is not shown" in summary.sentence


def test_no_early_ends_hide_nothing(programme):
    summary = summary_of(result(exits=(148, 148)), project=programme)

    assert shown(summary, "early_ends") == [(0, "0", "")]
    assert shown(summary, "completers") == [(148, "148", "")]


def test_a_raw_summary_hides_nothing(programme):
    summary = summary_of(result(exits=(150, 150), job_starts=(3, 3)), project=programme,
                         raw=True)

    assert shown(summary, "early_ends") == [(2, "2", "")]
    assert shown(summary, "completers") == [(148, "148", "")]
    assert shown(summary, "job_starts") == [(3, "3", "")]


def store(project, total: IndicatorResult):
    return IndicatorSnapshot.objects.create(
        project=project, period_kind=PeriodKind.YEAR, date_from=YEAR[0], date_to=YEAR[1],
        dimension="", result=total.to_json(), computed_at=timezone.now())


def test_the_selector_reads_the_stored_snapshot(project_lead, programme):
    store(programme, result())

    summary = selectors.programme_summary(project=programme, period=PERIOD, user=project_lead)

    assert shown(summary, "participants") == [(195, "195", "")]
    assert summary.targets[0].met is True


def test_the_selector_carries_the_suppression_of_the_stored_figures(project_lead, programme):
    store(programme, result(exits=(150, 150), new_participants=(2, 2)))

    summary = selectors.programme_summary(project=programme, period=PERIOD, user=project_lead)

    assert shown(summary, "new_participants") == [(None, "<5", "suppressed")]
    assert shown(summary, "early_ends") == [(None, "<5", "suppressed")]


def test_the_selector_gives_none_without_a_snapshot(project_lead, programme):
    assert selectors.programme_summary(project=programme, period=PERIOD,
                                       user=project_lead) is None


def test_a_case_worker_may_not_read_the_summary(case_worker, programme):
    store(programme, result())

    with pytest.raises(PermissionDenied):
        selectors.programme_summary(project=programme, period=PERIOD, user=case_worker)


URL = reverse("evaluations:dashboard")


def test_the_dashboard_opens_with_the_summary(log_in, project_lead, programme):
    store(programme, result(job_starts=(3, 3)))

    response = log_in(project_lead).get(URL, {"project": "PVA"})

    assert response.status_code == 200
    text = response.content.decode()
    assert text.index('id="programme-summary"') < text.index('id="headline"')
    assert "195 took part, 60 of them new. 148 completed; 35.1 % of them are in paid work " \
        "or education." in text
    table = re.search(r'id="programme-summary-table".*?</table>', text, re.S).group(0)
    assert '<th scope="col">' in table and '<th scope="row"' in table
    rows = re.findall(r'<tr id="summary-([a-z_0-9]+)">(.*?)</tr>', table, re.S)
    assert [key for key, _row in rows] == ORDER
    cells = dict(rows)
    assert "52 (35.1 %)" in cells["completers_work_or_education"]
    assert "20.0 % in work (now 24.0 %)" in cells["completers_work_or_education"]
    assert "not met" in cells["completers_work_or_education"]  # said, not only coloured
    assert "&lt;5" in cells["job_starts"]
    definitions = reverse("evaluations:indicator_definitions")
    assert f'href="{definitions}#dropout_rate"' in cells["early_ends"]


def test_the_dashboard_without_figures_has_no_summary(log_in, project_lead, programme):
    response = log_in(project_lead).get(URL, {"project": "PVA"})

    assert 'id="programme-summary"' not in response.content.decode()


def test_a_custom_period_opens_with_its_summary(log_in, project_lead, programme):
    custom = IndicatorRequest.objects.create(
        project=programme, date_from=YEAR[0], date_to=YEAR[1],
        status=IndicatorRequest.Status.DONE, finished_at=timezone.now(),
        result=result(job_starts=(2, 2)).to_json())

    response = log_in(project_lead).get(reverse("evaluations:custom_period", args=[custom.pk]))

    text = response.content.decode()
    assert text.index('id="programme-summary"') < text.index('id="headline"')
    assert "195 took part, 60 of them new." in text
    row = re.search(r'<tr id="summary-job_starts">(.*?)</tr>', text, re.S).group(1)
    assert "&lt;5" in row
