"""The outcome dashboard: read from stored snapshots, suppressed, with targets, trend,
breakdown and a definition link for every figure."""

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations.indicators import INDICATORS, IndicatorResult
from evaluations.indicators.definitions import Kind
from evaluations.indicators.result import Cell, Row
from evaluations.models import IndicatorRequest, IndicatorSnapshot, PeriodKind
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("evaluations:dashboard")
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def cells(**overrides) -> dict[str, Cell]:
    """Every indicator with a plain value resting on 40 units, unless overridden by
    ``code=(value, units)``."""
    values = {}
    for indicator in INDICATORS:
        value = {Kind.COUNT: 40, Kind.RATE: 0.25, Kind.MEAN: 1.5, Kind.DAYS: 21.0}[
            indicator.kind]
        values[indicator.code] = Cell(value=value, units=40)
    for code, (value, units) in overrides.items():
        values[code] = Cell(value=value, units=units)
    return values


def store(project, kind, period, by=None, total=None, rows=()):
    result = IndicatorResult(
        date_from=period[0], date_to=period[1], project_code=project.code if project else None,
        by=by, total=total or cells(), rows=tuple(rows),
    )
    return IndicatorSnapshot.objects.create(
        project=project, period_kind=kind, date_from=period[0], date_to=period[1],
        dimension=by or "", result=result.to_json(), computed_at=timezone.now(),
    )


@pytest.fixture
def programme():
    return factories.ProjectFactory(code="VVV", name="Vilje viser vei",
                                    target_work_rate=Decimal("0.20"),
                                    target_education_rate=Decimal("0.15"))


@pytest.fixture
def figures(programme):
    store(programme, PeriodKind.YEAR, YEAR, total=cells(
        work_rate=(0.3125, 32), education_rate=(0.09375, 32), exits=(32, 32),
        waiting=(3, 3), waiting_age_median=(41.0, 3)))
    store(programme, PeriodKind.YEAR, YEAR, by="gender", total=cells(), rows=[
        Row("female", cells(work_or_education_rate=(0.5, 20), exits=(20, 20))),
        Row("male", cells(work_or_education_rate=(0.4, 9), exits=(9, 9))),
        Row("other", cells(work_or_education_rate=(1.0, 3), exits=(3, 3))),
    ])
    for month in range(1, 13):
        start = dt.date(2025, month, 1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        store(programme, PeriodKind.MONTH, (start, end),
              total=cells(work_or_education_rate=(month / 20, 10 + month)))
    return programme


def region(text: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}".*?(?=<section|</main>)', text, re.S)
    assert match, element_id
    return match.group(0)


def test_project_lead_sees_headline_figures_with_targets(log_in, project_lead, figures):
    response = log_in(project_lead).get(URL, {"project": "VVV"})

    assert response.status_code == 200
    headline = region(response.text, "headline")
    assert "31.2 %" in headline  # work
    assert "target 20.0 % · met" in headline
    assert "9.4 %" in headline  # education
    assert "target 15.0 % · not met" in headline
    assert "&lt;5" in headline  # waiting: 3
    assert "41.0" not in headline  # the median wait of three people is not shown


def test_every_figure_links_to_its_definition(log_in, project_lead, figures):
    response = log_in(project_lead).get(URL, {"project": "VVV"})

    definitions = reverse("evaluations:indicator_definitions")
    for code in ["work_rate", "education_rate", "dropout_rate", "exits", "waiting",
                 "wait_days_median", "continuity_rate", "followed_up_30d_rate"]:
        assert f'href="{definitions}#{code}"' in response.text


def test_breakdown_table_suppresses_small_groups_and_the_next_smallest(
    log_in, project_lead, figures
):
    response = log_in(project_lead).get(URL, {"project": "VVV", "by": "gender"})

    table = region(response.text, "breakdown-table")
    female, male, other = (re.search(rf"<th scope=\"row\">{name}</th>(.*?)</tr>", table,
                                     re.S).group(1) for name in ["Female", "Male", "Other"])
    assert "50.0 %" in female
    assert "&lt;5" in other and "100.0 %" not in other
    assert "40.0 %" not in male  # the next smallest cell is hidden too
    data = json.loads(re.search(r'id="dashboard-data"[^>]*>(.*?)</script>',
                                response.text, re.S).group(1))
    assert data["breakdown"]["values"] == [50.0, None, None]


def test_chart_data_carry_no_unit_counts_of_hidden_cells(log_in, project_lead, figures):
    response = log_in(project_lead).get(URL, {"project": "VVV", "by": "gender"})

    data = re.search(r'id="dashboard-data"[^>]*>(.*?)</script>', response.text, re.S).group(1)
    assert "units" not in data


def test_trend_shows_the_months_up_to_the_chosen_period_as_chart_and_table(
    log_in, project_lead, figures
):
    response = log_in(project_lead).get(URL, {"project": "VVV", "trend": "month"})

    data = json.loads(re.search(r'id="dashboard-data"[^>]*>(.*?)</script>',
                                response.text, re.S).group(1))
    assert data["trend"]["labels"] == [f"2025-{m:02d}" for m in range(1, 13)]
    series = {s["code"]: s["values"] for s in data["trend"]["series"]}
    assert series["work_or_education_rate"][0] == 5.0
    assert 'id="trend-table"' in response.text
    assert "vendor/chart.umd.min.js" in response.text  # served by the application


def test_the_page_says_when_no_figures_are_computed(log_in, project_lead, programme):
    response = log_in(project_lead).get(URL, {"project": "VVV"})

    assert response.status_code == 200
    assert 'id="no-figures"' in response.text
    assert "chart.umd" not in response.text


def test_an_unknown_choice_falls_back_to_the_defaults(log_in, project_lead, figures):
    response = log_in(project_lead).get(URL, {"project": "NOPE", "period": "x", "by": "y"})

    assert response.status_code == 200
    assert "All projects" in response.text


@pytest.mark.parametrize("persona", ["case_worker", "provider_staff"])
def test_case_workers_and_provider_staff_get_no_dashboard(request, log_in, persona):
    assert log_in(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_administrator_sees_the_dashboard(log_in, administrator, figures):
    assert log_in(administrator).get(URL, {"project": "VVV"}).status_code == 200


def test_dashboard_reads_a_bounded_number_of_queries(
    log_in, project_lead, figures, django_assert_max_num_queries
):
    client = log_in(project_lead)
    with django_assert_max_num_queries(15):
        assert client.get(URL, {"project": "VVV", "by": "gender"}).status_code == 200


# Recomputing, and periods of one's own ------------------------------------------------


def test_project_lead_asks_for_a_recomputation_and_the_snapshots_are_written(
    log_in, project_lead, programme, django_capture_on_commit_callbacks
):
    factories.EnrollmentFactory(participant__project=programme,
                                referred_on=dt.date(2025, 3, 1))
    client = log_in(project_lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluations:dashboard_refresh"),
                               {"project": "VVV", "by": "gender"})

    assert response.status_code == 302
    assert response.url == URL + "?project=VVV&by=gender"
    assert IndicatorSnapshot.objects.filter(project=programme).exists()
    page = client.get(URL, {"project": "VVV"})
    assert "Up to date with the case data." in page.text


def test_a_custom_period_is_computed_in_the_background_and_shown_when_ready(
    log_in, project_lead, programme, django_capture_on_commit_callbacks
):
    factories.EnrollmentFactory(participant__project=programme,
                                referred_on=dt.date(2025, 3, 1))
    client = log_in(project_lead)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("evaluations:custom_period_create"), {
            "project": "VVV", "by": "gender", "date_from": "2025-02-01",
            "date_to": "2025-04-30"})
    custom = IndicatorRequest.objects.get()
    assert response.url == reverse("evaluations:custom_period", args=[custom.pk])

    waiting = client.get(response.url)
    assert 'id="custom-progress"' in waiting.text
    assert 'hx-trigger="every 2s"' in waiting.text
    polled = client.get(response.url, HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and "Waiting to be computed" in polled.text

    for callback in callbacks:
        callback()
    custom.refresh_from_db()
    assert custom.status == IndicatorRequest.Status.DONE

    done = client.get(response.url, HTTP_HX_REQUEST="true")
    assert done.status_code == 286 and done["HX-Refresh"] == "true"
    page = client.get(response.url)
    assert 'id="headline"' in page.text
    assert 'id="breakdown-table"' in page.text
    assert "Referrals" in page.text


def test_asking_for_the_same_custom_period_twice_joins_the_first_request(
    log_in, project_lead, programme
):
    client = log_in(project_lead)
    data = {"project": "VVV", "date_from": "2025-02-01", "date_to": "2025-04-30"}

    first = client.post(reverse("evaluations:custom_period_create"), data)
    second = client.post(reverse("evaluations:custom_period_create"), data)

    assert first.url == second.url
    assert IndicatorRequest.objects.count() == 1


def test_a_custom_period_ending_before_it_starts_is_refused_with_a_message(
    log_in, project_lead, programme
):
    response = log_in(project_lead).post(
        reverse("evaluations:custom_period_create"),
        {"project": "VVV", "date_from": "2025-04-30", "date_to": "2025-02-01"}, follow=True)

    assert "The end of the period cannot be before its start." in response.text
    assert not IndicatorRequest.objects.exists()


def test_a_refused_custom_period_keeps_what_was_typed_with_each_error_at_its_field(
    log_in, project_lead, figures
):
    """The dates typed stay in the form, opened, with each message beside its field: a
    redirect lost them and listed "This field is required." without saying which."""
    response = log_in(project_lead).post(
        reverse("evaluations:custom_period_create"),
        {"project": "VVV", "by": "gender", "date_from": "2025-04-30", "date_to": ""})

    assert response.status_code == 200
    fold = re.search(r'<details id="custom-period"[^>]*>.*?</details>', response.text, re.S)
    assert fold and " open" in fold.group(0).split(">")[0]
    assert 'value="2025-04-30"' in fold.group(0)
    to_field = re.search(r'id="div_id_date_to".*?</div>\s*</div>', fold.group(0), re.S).group(0)
    assert "This field is required." in to_field
    assert "This field is required." not in fold.group(0).replace(to_field, "")
    assert 'name="project" value="VVV"' in fold.group(0)
    assert "Vilje viser vei, with its sub-projects" in response.text  # still VVV's page
    assert not IndicatorRequest.objects.exists()


def test_a_custom_period_outside_the_allowed_years_says_so_in_the_form(
    log_in, project_lead, figures
):
    response = log_in(project_lead).post(
        reverse("evaluations:custom_period_create"),
        {"project": "VVV", "date_from": "1850-01-01", "date_to": "2025-01-31"})

    fold = re.search(r'<details id="custom-period"[^>]*>.*?</details>', response.text, re.S)
    assert "The period must lie between 1900-01-01 and 2100-12-31." in fold.group(0)
    assert 'value="1850-01-01"' in fold.group(0)
    assert not IndicatorRequest.objects.exists()


def test_a_failed_custom_period_says_so(log_in, project_lead, programme):
    custom = IndicatorRequest.objects.create(
        project=programme, date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 1, 31),
        status=IndicatorRequest.Status.FAILED, finished_at=timezone.now(), error="boom")

    response = log_in(project_lead).get(reverse("evaluations:custom_period", args=[custom.pk]))

    assert 'id="custom-failed"' in response.text
    assert "boom" not in response.text


def test_old_custom_periods_are_pruned(programme):
    from evaluations.custom_periods import prune_old_requests

    old = IndicatorRequest.objects.create(project=programme, date_from=dt.date(2025, 1, 1),
                                          date_to=dt.date(2025, 1, 31))
    IndicatorRequest.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - dt.timedelta(days=8))
    recent = IndicatorRequest.objects.create(project=programme, date_from=dt.date(2025, 1, 1),
                                             date_to=dt.date(2025, 2, 28))

    assert prune_old_requests() == 1
    assert list(IndicatorRequest.objects.all()) == [recent]


@pytest.mark.parametrize("name", ["dashboard_refresh", "custom_period_create"])
def test_case_workers_cannot_ask_for_figures(log_in, case_worker, name):
    response = log_in(case_worker).post(reverse(f"evaluations:{name}"),
                                        {"date_from": "2025-01-01", "date_to": "2025-01-31"})

    assert response.status_code == 403
    assert not IndicatorRequest.objects.exists()


def test_custom_period_requests_keep_their_rules_in_the_database():
    """indicator_request_done_has_result, indicator_request_period_is_ordered,
    indicator_request_status_valid."""
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorRequest.objects.create(date_from=dt.date(2025, 1, 1),
                                        date_to=dt.date(2025, 1, 31),
                                        status=IndicatorRequest.Status.DONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorRequest.objects.create(date_from=dt.date(2025, 2, 1),
                                        date_to=dt.date(2025, 1, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorRequest.objects.create(date_from=dt.date(2025, 1, 1),
                                        date_to=dt.date(2025, 1, 31), status="lost")


def test_a_small_quarter_of_the_trend_hides_another_of_its_year(log_in, project_lead,
                                                                  programme):
    """Else the year on the period menu minus the three quarters shown would give it
    away. Quarters of 2024 outside the view still take part: 2024 shows nothing hidden."""
    store(programme, PeriodKind.YEAR, YEAR)
    quarter_exits = {1: 12, 2: 3, 3: 7, 4: 9}
    for quarter, exits in quarter_exits.items():
        start = dt.date(2025, 3 * quarter - 2, 1)
        end = (dt.date(2025, 3 * quarter, 28) + dt.timedelta(days=4)).replace(day=1) \
            - dt.timedelta(days=1)
        store(programme, PeriodKind.QUARTER, (start, end),
              total=cells(exits=(exits, exits), dropout_rate=(0.5, exits)))
    for quarter in (1, 2, 3, 4):
        start = dt.date(2024, 3 * quarter - 2, 1)
        end = (dt.date(2024, 3 * quarter, 28) + dt.timedelta(days=4)).replace(day=1) \
            - dt.timedelta(days=1)
        store(programme, PeriodKind.QUARTER, (start, end))
    store(programme, PeriodKind.YEAR, (dt.date(2024, 1, 1), dt.date(2024, 12, 31)))

    response = log_in(project_lead).get(URL, {"project": "VVV", "trend": "quarter",
                                              "period": "year:2025-01-01:2025-12-31"})

    data = json.loads(re.search(r'id="dashboard-data"[^>]*>(.*?)</script>',
                                response.text, re.S).group(1))
    dropout = next(s["values"] for s in data["trend"]["series"] if s["code"] == "dropout_rate")
    assert dropout == [25.0, 25.0, 25.0, 25.0, 50.0, None, None, 50.0]
    table = region(response.text, "trend-table")
    # The second quarter's 3 exits and the third's 7, marked alike so that neither
    # stands out as the small one.
    assert table.count("&lt;5") == 2


def test_a_custom_period_still_to_come_is_refused(log_in, project_lead, figures):
    """Figures as of a day in the future would count planned starts and ends as facts."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = log_in(project_lead).post(
        reverse("evaluations:custom_period_create"),
        {"project": "VVV", "date_from": tomorrow.isoformat(),
         "date_to": (tomorrow + dt.timedelta(days=30)).isoformat()})

    fold = re.search(r'<details id="custom-period"[^>]*>.*?</details>', response.text, re.S)
    assert "The period has not begun yet" in fold.group(0)
    assert not IndicatorRequest.objects.exists()


def test_a_custom_period_not_ended_yet_is_computed_up_to_today(log_in, project_lead,
                                                               programme):
    today = timezone.localdate()
    response = log_in(project_lead).post(
        reverse("evaluations:custom_period_create"),
        {"project": "VVV", "date_from": (today - dt.timedelta(days=40)).isoformat(),
         "date_to": (today + dt.timedelta(days=300)).isoformat()})

    custom = IndicatorRequest.objects.get()
    assert response.url == reverse("evaluations:custom_period", args=[custom.pk])
    assert custom.date_to == today


def test_a_custom_period_of_a_project_no_longer_there_is_refused(log_in, project_lead,
                                                                figures):
    """It was computed for all projects, without a word on the form."""
    response = log_in(project_lead).post(
        reverse("evaluations:custom_period_create"),
        {"project": "GONE", "date_from": "2025-01-01", "date_to": "2025-03-31"})

    fold = re.search(r'<details id="custom-period"[^>]*>.*?</details>', response.text, re.S)
    assert "That project no longer exists" in fold.group(0)
    assert not IndicatorRequest.objects.exists()


def test_a_recomputation_of_a_project_no_longer_there_computes_nothing(
    log_in, project_lead, programme, django_capture_on_commit_callbacks
):
    factories.EnrollmentFactory(participant__project=programme,
                                referred_on=dt.date(2025, 3, 1))
    client = log_in(project_lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluations:dashboard_refresh"), {"project": "GONE"},
                               follow=True)

    assert "That project no longer exists" in response.text
    assert not IndicatorSnapshot.objects.exists()
