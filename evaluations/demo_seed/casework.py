"""What the demo's case workers wrote and planned beside the bundle: plans and goals,
notes on contacts, the support phase's contacts, next planned contacts, languages."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db.models import Exists, Max, Min, OuterRef, Q

from evaluations import demo
from measures.models import Enrollment
from participants.models import (
    FollowUp,
    Goal,
    GoalStatus,
    OutcomeKind,
    OutcomeSpell,
    Participant,
    Plan,
    PlanReview,
)

from .texts import FOLLOW_UP_NOTES, GOALS, LANGUAGE_OF_COUNTRY, REVIEW_NOTES, SUPPORT_NOTES


def ensure_plans(*, anchor: dt.date) -> None:
    """A plan with one to three goals, and often a review, for about two thirds of the
    participants who have started a measure. Each choice is seeded by the participant's
    ref, so it does not depend on what the database already holds; goals and a review are
    added only to a plan that has none."""
    participants = (
        Participant.objects.filter(ref__startswith=demo.REF_PREFIX)
        .annotate(first_start=Min("enrollments__started_on"))
        .filter(first_start__isnull=False)
        .values_list("pk", "ref", "project__code", "primary_case_worker_id", "first_start")
    )
    goals, reviews = {}, {}
    for pk, ref, project_code, case_worker_id, first_start in participants:
        rng = random.Random(f"plan {ref}")
        if rng.random() >= 0.65:
            continue
        country = demo.country_of(project_code)
        goals[pk] = [_goal(rng, text, first_start, anchor=anchor)
                     for text in rng.sample(GOALS[country], rng.randint(1, 3))]
        reviewed_on = first_start + dt.timedelta(days=rng.randint(60, 300))
        if rng.random() < 0.6 and reviewed_on <= anchor and case_worker_id:
            reviews[pk] = PlanReview(reviewed_on=reviewed_on, reviewed_by_id=case_worker_id,
                                     note=rng.choice(REVIEW_NOTES[country]))
    plans = Plan.objects.filter(participant_id__in=goals)
    have_plan = set(plans.values_list("participant_id", flat=True))
    Plan.objects.bulk_create([Plan(participant_id=pk) for pk in goals if pk not in have_plan])
    plan_ids = dict(plans.values_list("participant_id", "pk"))
    with_goals = set(Goal.objects.filter(plan__in=plans).values_list("plan__participant_id",
                                                                     flat=True))
    with_review = set(PlanReview.objects.filter(plan__in=plans)
                      .values_list("plan__participant_id", flat=True))
    new_goals = []
    for pk, participant_goals in goals.items():
        if pk not in with_goals:
            for goal in participant_goals:
                goal.plan_id = plan_ids[pk]
                new_goals.append(goal)
    Goal.objects.bulk_create(new_goals)
    for pk, review in reviews.items():
        review.plan_id = plan_ids[pk]
    PlanReview.objects.bulk_create([r for pk, r in reviews.items() if pk not in with_review])


def _goal(rng: random.Random, text: str, first_start: dt.date, *, anchor: dt.date) -> Goal:
    target = first_start + dt.timedelta(days=rng.randint(90, 540))
    status = GoalStatus.OPEN
    if target <= anchor:
        status = rng.choices([GoalStatus.ACHIEVED, GoalStatus.NOT_ACHIEVED, GoalStatus.DROPPED,
                              GoalStatus.OPEN], [50, 20, 10, 20])[0]
    return Goal(text=text, target_date=target, status=status)


def ensure_follow_up_notes() -> None:
    """A short note on about a third of the imported contacts that have none; the choice
    is seeded by the contact's import key, so a second run picks the same ones."""
    contacts = FollowUp.objects.filter(
        participant__ref__startswith=demo.REF_PREFIX, note="", import_key__isnull=False
    ).values_list("pk", "import_key", "with_employer", "with_treatment",
                  "participant__project__code")
    by_note: dict[str, list[int]] = {}
    for pk, import_key, with_employer, with_treatment, project_code in contacts:
        rng = random.Random(f"note {import_key}")
        if rng.random() >= 0.35:
            continue
        general, employer, treatment = FOLLOW_UP_NOTES[demo.country_of(project_code)]
        if with_employer:
            note = employer
        elif with_treatment:
            note = treatment
        else:
            note = rng.choice(general)
        by_note.setdefault(note, []).append(pk)
    for note, pks in by_note.items():
        FollowUp.objects.filter(pk__in=pks).update(note=note)


def _current_work_spells(*, anchor: dt.date):
    """Demo participants' work spells that are current on the demo's "today"."""
    return OutcomeSpell.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=anchor),
        participant__ref__startswith=demo.REF_PREFIX, kind=OutcomeKind.WORK,
        started_on__lte=anchor,
    )


def _weekday(day: dt.date) -> dt.date:
    """The Friday before a Saturday or Sunday."""
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def ensure_support_follow_ups(*, anchor: dt.date) -> None:
    """Contacts through the support phase of those in work on the demo's "today": every one
    to three weeks in the first three months, then about monthly, often with the employer;
    for about three in ten of those in work for over six weeks the contacts stopped five
    weeks or more ago, so that the caseload shows them as needing contact. Only for
    participants who have no contacts but the imported ones. The demo login's participant
    longest in work is always one of those needing contact, so that their list shows it."""
    added = set(FollowUp.objects.filter(participant__ref__startswith=demo.REF_PREFIX,
                                        import_key__isnull=True)
                .values_list("participant_id", flat=True))
    phases: dict[int, tuple] = {}
    for row in (_current_work_spells(anchor=anchor).order_by("-started_on")
                .values_list("participant_id", "participant__ref", "participant__project__code",
                             "participant__primary_case_worker_id", "started_on", "employer_id")):
        phases[row[0]] = row  # the earliest current spell: the support phase began with it
    # The demo login's caseload shows the list too: the one of theirs longest in work.
    login = get_user_model().objects.get(username=demo.CASEWORKER).pk
    longest = min((row for row in phases.values() if row[3] == login), default=None,
                  key=lambda row: (row[4], row[1]))
    new = []
    for participant_id, ref, project_code, worker_id, started, employer_id in phases.values():
        if participant_id in added or worker_id is None:
            continue
        rng = random.Random(f"support {ref}")
        country = demo.country_of(project_code)
        lapsed = (anchor - started).days > 45 and (
            rng.random() < 0.3 or (longest is not None and participant_id == longest[0]))
        last = anchor - dt.timedelta(days=rng.randint(35, 80)) if lapsed else anchor
        days, day = set(), started + dt.timedelta(days=rng.randint(2, 10))
        # For about one in six the support began only after the first three months (what
        # the evaluations find missing most often); a generator of its own keeps the rest.
        late = random.Random(f"late support {ref}")
        if late.random() < 0.17:
            day = started + dt.timedelta(days=late.randint(95, 130))
        while day <= last:
            days.add(max(started, _weekday(day)))
            early = (day - started).days < 90
            day += dt.timedelta(days=rng.randint(7, 21) if early else rng.randint(18, 40))
        if not lapsed and not any((anchor - d).days <= 21 for d in days):
            days.add(max(started, _weekday(anchor - dt.timedelta(days=rng.randint(0, 20)))))
        for day in sorted(days):
            with_employer = employer_id is not None and rng.random() < 0.35
            note = ""
            if rng.random() < 0.6:
                note = (FOLLOW_UP_NOTES[country][1] if with_employer
                        else rng.choice(SUPPORT_NOTES[country]))
            new.append(FollowUp(
                participant_id=participant_id, occurred_on=day, case_worker_id=worker_id,
                channel="meeting" if with_employer else rng.choices(
                    demo.CHANNELS, demo.CHANNEL_WEIGHTS)[0],
                with_employer=with_employer, employer_id=employer_id if with_employer else None,
                note=note))
    FollowUp.objects.bulk_create(new)


def ensure_next_contacts(*, anchor: dt.date) -> None:
    """A next planned contact for about half of those still in a measure, on a waiting
    list or in work: most in the coming weeks, a few overdue (after their last contact,
    so that no contact has fulfilled them). Only where none is planned."""
    open_case = Q(Exists(Enrollment.objects.filter(participant=OuterRef("pk"),
                                                   ended_on__isnull=True))) | Q(
        pk__in=_current_work_spells(anchor=anchor).values("participant_id"))
    participants = (Participant.objects
                    .filter(open_case, ref__startswith=demo.REF_PREFIX,
                            next_contact_on__isnull=True)
                    .annotate(last_contact=Max("follow_ups__occurred_on"))
                    .values_list("pk", "ref", "last_contact"))
    by_day: dict[dt.date, list[int]] = {}
    for pk, ref, last_contact in participants:
        rng = random.Random(f"next contact {ref}")
        if rng.random() >= 0.5:
            continue
        day = anchor + dt.timedelta(days=rng.randint(1, 42))
        if rng.random() < 0.2:
            overdue = anchor - dt.timedelta(days=rng.randint(2, 21))
            if last_contact is None or overdue > last_contact:
                day = overdue
        if day.weekday() >= 5:
            day += dt.timedelta(days=7 - day.weekday())  # the Monday after
        by_day.setdefault(day, []).append(pk)
    for day, pks in by_day.items():
        Participant.objects.filter(pk__in=pks).update(next_contact_on=day)


def ensure_languages() -> None:
    """About two in three speak the office's language in participant mode, some with an
    immigrant background English; the rest keep the site's. Only where none is set."""
    by_language: dict[str, list[int]] = {}
    for pk, ref, project_code, immigrant in (
            Participant.objects.filter(ref__startswith=demo.REF_PREFIX, language="")
            .values_list("pk", "ref", "project__code", "immigrant_background")):
        rng = random.Random(f"language {ref}")
        if rng.random() >= 0.65:
            continue
        language = LANGUAGE_OF_COUNTRY[demo.country_of(project_code)]
        if rng.random() < (0.35 if immigrant else 0.03):
            language = "en"
        by_language.setdefault(language, []).append(pk)
    for language, pks in by_language.items():
        Participant.objects.filter(pk__in=pks).update(language=language)
