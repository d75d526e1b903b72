"""seed_demo: a realistic fictional demo, one login per role, and nothing new on a re-run."""

import datetime as dt
import hashlib
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import F, Max, Min
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from evaluations import demo, demo_seed
from evaluations.indicators import IndicatorQuery, compute
from evaluations.models import Project
from evaluations.summary import summary_of
from measures.models import EndReason, Enrollment, MeasureType
from participants.caseload_focus import in_support_phase
from participants.employer_selectors import job_development_weeks
from participants.models import (
    Answer,
    Employer,
    FollowUp,
    JobDevelopmentContact,
    OutcomeKind,
    OutcomeSpell,
    Participant,
)
from participants.organisation_numbers import normalize_organisation_number
from participants.selectors import caseload_counts
from rehab.roles import Role, roles_of
from tests import factories

pytestmark = pytest.mark.django_db

LOGINS = {
    "caseworker": Role.CASE_WORKER,
    "provider": Role.PROVIDER_STAFF,
    "lead": Role.PROJECT_LEAD,
    "admin": Role.ADMINISTRATOR,
    "privacy": Role.DATA_PROTECTION_OFFICER,
}


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    """username -> password, read from the login table the command prints."""
    passwords = {}
    for line in output.splitlines():
        words = line.split()
        if len(words) >= 3 and words[-2] in LOGINS:
            passwords[words[-2]] = words[-1]
    return passwords


def database_snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a digest of all values of every model. The updated_at stamps are left
    out: the bundle import renews them on each import even when no value changes."""
    snapshot = {}
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields
                  if not getattr(f, "auto_now", False)]
        rows = list(model.objects.order_by("pk").values_list(*fields))
        snapshot[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return snapshot


def depth(project: Project) -> int:
    return 0 if project.parent is None else 1 + depth(project.parent)


def test_generator_gives_the_same_bundle_every_time():
    assert demo.demo_bundle() == demo.demo_bundle()


def test_demo_covers_programmes_measure_types_end_reasons_and_waiting():
    seed_demo()

    top = Project.objects.filter(parent=None)
    assert set(top.values_list("code", flat=True)) == {"VVV", "PVA", "INKR"}
    projects = list(Project.objects.select_related("parent__parent__parent"))
    for programme in top:
        family = [p for p in projects if p.code.startswith(f"{programme.code}-")]
        assert max(depth(p) for p in family) == 2, programme.code
    assert Participant.objects.count() >= 250
    enrollments = Enrollment.objects.all()
    assert set(enrollments.values_list("measure__measure_type", flat=True)) == set(
        MeasureType.values)
    assert set(enrollments.exclude(end_reason="").values_list("end_reason", flat=True)) == set(
        EndReason.values)
    assert enrollments.waiting().exists()
    assert enrollments.active().exists()


def test_demo_logins_have_their_roles_and_sign_in_with_the_printed_passwords(client):
    passwords = printed_passwords(seed_demo())

    assert set(passwords) == set(LOGINS)
    for username, role in LOGINS.items():
        user = get_user_model().objects.get(username=username)
        assert role in roles_of(user)
        assert client.login(request=HttpRequest(), username=username,
                            password=passwords[username]), username
    assert get_user_model().objects.get(username="admin").is_staff
    provider = get_user_model().objects.get(username="provider")
    assert Enrollment.objects.visible_to(provider).count() >= 50


def test_case_worker_lands_on_their_caseload_of_demo_participants(client):
    passwords = printed_passwords(seed_demo())
    case_worker = get_user_model().objects.get(username="caseworker")
    own = Participant.objects.filter(primary_case_worker=case_worker).order_by(
        "family_name", "given_name", "ref")
    assert own.count() >= 20

    client.login(request=HttpRequest(), username="caseworker", password=passwords["caseworker"])
    response = client.get("/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("participants:caseload")
    assert response.context["page"].paginator.count >= own.count()
    assert own.first().ref in response.content.decode()


def test_provider_login_lands_on_the_participants_in_its_measures_and_lead_leads_them(client):
    passwords = printed_passwords(seed_demo())

    client.login(request=HttpRequest(), username="provider", password=passwords["provider"])
    response = client.get("/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("measures:provider_participants")
    assert response.context["page"].paginator.count > 0
    lead = get_user_model().objects.get(username="lead")
    assert set(lead.led_projects.values_list("code", flat=True)) == {"VVV", "PVA", "INKR"}
    assert Participant.objects.visible_to(lead).count() == Participant.objects.count()


def test_second_run_changes_nothing():
    first_output = seed_demo()
    before = database_snapshot()

    second_output = seed_demo()

    assert database_snapshot() == before
    assert second_output == first_output


def test_a_run_weeks_later_keeps_the_first_runs_dates(monkeypatch):
    first_output = seed_demo()
    before = database_snapshot()
    later = timezone.localdate() + dt.timedelta(days=45)
    monkeypatch.setattr(demo_seed.timezone, "localdate", lambda: later)

    second_output = seed_demo()

    assert database_snapshot() == before
    assert second_output == first_output


def test_the_demo_is_dated_up_to_the_week_before_it_is_seeded():
    today = timezone.localdate()
    seed_demo()

    anchor = demo_seed.demo_anchor()
    assert today - dt.timedelta(days=7) <= anchor < today
    assert anchor.weekday() == demo.REFERENCE_DAY.weekday()
    latest = FollowUp.objects.filter(participant__ref__startswith=demo.REF_PREFIX).aggregate(
        latest=Max("occurred_on"))["latest"]
    assert anchor - dt.timedelta(days=7) <= latest <= anchor


@pytest.mark.parametrize(("today", "anchor"), [
    (dt.date(2026, 7, 1), dt.date(2026, 6, 30)),  # the reference day is a Tuesday
    (dt.date(2026, 7, 7), dt.date(2026, 6, 30)),
    (dt.date(2026, 7, 8), dt.date(2026, 7, 7)),
    (dt.date(2026, 12, 5), dt.date(2026, 12, 1)),
    (dt.date(2026, 6, 30), dt.date(2026, 6, 23)),  # never today itself
])
def test_the_anchor_is_the_reference_day_moved_whole_weeks_to_before_today(today, anchor):
    assert demo.anchor_for(today) == anchor


def test_refuses_a_database_with_participants_outside_the_demo():
    factories.ParticipantFactory(ref="R-REAL-1")

    with pytest.raises(CommandError):
        seed_demo()
    assert not Participant.objects.filter(ref__startswith=demo.REF_PREFIX).exists()


@pytest.mark.parametrize("code", sorted(demo.SUMMARY_PROPORTIONS))
def test_each_programmes_summary_has_the_proportions_of_the_programme_it_is_modelled_on(code):
    """Over the programme's whole run, within demo.SUMMARY_TOLERANCE (5 points): the share
    of those who ended who completed, and the share of completers in paid work or
    education; På vej til arbejde also about 195 who took part (±5 %)."""
    seed_demo()
    project = Project.objects.get(code=code)
    result = compute(IndicatorQuery(date_from=project.starts_on,
                                    date_to=demo_seed.demo_anchor(),
                                    project_code=code))
    summary = summary_of(result, project=project)
    wanted = demo.SUMMARY_PROPORTIONS[code]

    completers = summary.figure("completers").values[0].value
    early_ends = summary.figure("early_ends").values[0].value
    count, share = summary.figure("completers_work_or_education").values
    assert completers / (completers + early_ends) == pytest.approx(
        wanted.completed, abs=demo.SUMMARY_TOLERANCE)
    assert share.value == pytest.approx(wanted.completers_in_work_or_education,
                                        abs=demo.SUMMARY_TOLERANCE)
    assert count.value == round(share.value * completers)
    assert completers >= 25  # enough that the shares are shown, not suppressed
    if code == "PVA":
        assert summary.figure("participants").values[0].value == pytest.approx(195, rel=0.05)
        assert [(t.code, t.target) for t in summary.targets] == [
            ("work_rate", 0.20), ("education_rate", 0.15)]


def test_demo_employers_have_valid_invented_numbers_and_most_work_spells_name_one():
    seed_demo()

    employers = Employer.objects.all()
    for country in ("NO", "DK", "SE"):
        assert employers.filter(country=country).count() >= 12, country
    for employer in employers:
        number = employer.organisation_number
        assert normalize_organisation_number(number, employer.country) == number
        # From series the registers do not issue: never a real company's number.
        assert {"NO": number[0] not in "89", "DK": number.startswith("99"),
                "SE": number[0] == "4"}[employer.country], number
        assert employer.contact_name
        assert employer.contact_email.endswith(".example")
    spells = OutcomeSpell.objects.filter(kind=OutcomeKind.WORK,
                                         participant__ref__startswith=demo.REF_PREFIX)
    named = spells.filter(employer__isnull=False).select_related("employer",
                                                                 "participant__project")
    assert named.count() >= 0.7 * spells.count()
    assert all(spell.employer.country == demo.country_of(spell.participant.project.code)
               for spell in named)
    follow_ups = FollowUp.objects.filter(employer__isnull=False)
    assert follow_ups.count() >= 50
    assert not follow_ups.filter(with_employer=False).exists()


def test_demo_team_view_has_job_development_in_the_last_eight_weeks():
    seed_demo()
    case_worker = get_user_model().objects.get(username="caseworker")

    today = timezone.localdate()  # what the team view shows today

    table = job_development_weeks(user=case_worker, today=today)

    own = next(row for row in table.rows if row.case_worker == case_worker)
    assert own.total >= 8
    assert sum(1 for week in zip(*(row.counts for row in table.rows), strict=True)
               if sum(week)) >= 6
    assert JobDevelopmentContact.objects.filter(occurred_on__gte=today).count() == 0


def test_demo_caseload_has_the_support_phase_some_needing_contact_and_planned_contacts():
    seed_demo()
    case_worker = get_user_model().objects.get(username="caseworker")

    today = timezone.localdate()  # what the caseload shows today

    counts = caseload_counts(user=case_worker, no_contact_days=30, today=today)

    assert counts.support >= 2
    assert 1 <= counts.support_no_contact < counts.support
    recently = today - dt.timedelta(days=90)
    assert Participant.objects.filter(
        in_support_phase(today=today), outcome_spells__kind=OutcomeKind.WORK,
        outcome_spells__started_on__gte=recently).exists()
    planned = Participant.objects.filter(next_contact_on__isnull=False)
    overdue = planned.filter(next_contact_on__lt=today)
    assert planned.count() >= 30
    assert 1 <= overdue.count() < planned.count() / 3
    # No contact has taken place on or after an overdue plan (it would have fulfilled it).
    assert not overdue.filter(follow_ups__occurred_on__gte=F("next_contact_on")).exists()


def test_demo_participants_answered_their_own_voice_at_the_start_and_near_the_end():
    seed_demo()

    dates = (Answer.objects.filter(item__instrument__code="voice")
             .values("participant").annotate(first=Min("answered_on"), last=Max("answered_on")))
    assert sum(1 for row in dates if (row["last"] - row["first"]).days >= 30) >= 100
    languages = Counter(Participant.objects.exclude(language="").values_list(
        "project__code", "language"))
    assert sum(languages.values()) >= 100
    native = {"NO": "nb", "DK": "da", "SE": "sv"}
    assert sum(n for (code, language), n in languages.items()
               if language == native[demo.country_of(code)]) > 0.7 * sum(languages.values())
    assert any(language == "en" for _code, language in languages)
