"""Reads of the participant's own voice: the answers over time (chart and table), the
reminders of a baseline or a final answer, and the questionnaire of participant mode.

The reminders follow the voice pairs of ../shared/INDICATORS.md: the *baseline* is a
response dated within 30 days either side of the programme start (the first start of an
enrollment), the *final* one a response after the baseline dated from 30 days before an
exit. A reminder is shown while an answer can still count: the baseline from the start
until 30 days after it (and while the participant waits for a first start, unless they
answered in the last 30 days), the final answer when an enrollment is planned to end
within 14 days either side of today, or ended in the last 14 days, or in the last 90
days when nothing runs any more (an exit: a final answer counts up to 90 days after it),
and nothing has been answered since 30 days before that end.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import get_language

from .models import Answer, Instrument, InstrumentItem, Participant

if TYPE_CHECKING:
    from django.contrib.auth.models import User

VOICE = "voice"
BASELINE_DAYS = 30
FINAL_BEFORE_END_DAYS = 30
FINAL_AROUND_END_DAYS = 14  # either side of a planned end
FINAL_AFTER_END_DAYS = 90


@dataclass(frozen=True)
class Reminder:
    kind: str  # "baseline" or "final"
    due_by: dt.date | None = None  # the last day an answer still counts as the baseline
    end: dt.date | None = None  # the enrollment's (planned) end, for a final answer
    measure: str = ""
    ended: bool = False


@dataclass
class InstrumentAnswers:
    """One instrument's answers of one participant: a row per date, a column per item."""

    instrument: Instrument
    name: str
    items: list[InstrumentItem]
    texts: list[str]
    rows: list[tuple[dt.date, list[int | None], float]] = field(default_factory=list)

    @property
    def dates(self) -> list[dt.date]:
        return [day for day, _scores, _mean in self.rows]

    @property
    def means(self) -> list[float]:
        return [mean for _day, _scores, mean in self.rows]

    def by_item(self) -> list[tuple[str, list[int | None]]]:
        """A row per question, a column per date: narrow enough for the page's side column
        while there are a few responses (a baseline, a final one)."""
        return [(text, [scores[i] for _day, scores, _mean in self.rows])
                for i, text in enumerate(self.texts)]

    def chart(self) -> dict:
        return {
            # As the table beside it writes them: 10.01.2025 in Norwegian and Danish.
            "labels": [date_format(day, "SHORT_DATE_FORMAT") for day, _scores, _mean in self.rows],
            "min": self.instrument.scale_min, "max": self.instrument.scale_max,
            "series": [{"label": text, "values": [scores[i] for _d, scores, _m in self.rows]}
                       for i, text in enumerate(self.texts)],
        }


def answers_for(*, participant: Participant, user: User) -> QuerySet[Answer]:
    """The answers this user may read (Answer.objects.visible_to: provider staff only those
    shared with them)."""
    return Answer.objects.visible_to(user).filter(participant=participant)


def answers_over_time(*, participant: Participant, user: User,
                      language: str | None = None) -> list[InstrumentAnswers]:
    """Each instrument the participant answered, oldest date first; item texts in the
    reader's language (or the instrument's English)."""
    language = language or get_language() or "en"
    answers = (answers_for(participant=participant, user=user)
               .select_related("item__instrument")
               .order_by("item__instrument__code", "answered_on", "item__position"))
    by_instrument: dict[int, dict] = {}
    for answer in answers:
        item, instrument = answer.item, answer.item.instrument
        entry = by_instrument.setdefault(instrument.pk, {"instrument": instrument,
                                                         "items": {}, "days": defaultdict(dict)})
        entry["items"][item.pk] = item
        entry["days"][answer.answered_on][item.pk] = answer.score
    result = []
    for entry in by_instrument.values():
        items = sorted(entry["items"].values(), key=lambda i: (i.position, i.code))
        block = InstrumentAnswers(instrument=entry["instrument"],
                                  name=entry["instrument"].name_in(language), items=items,
                                  texts=[item.text_in(language) for item in items])
        for day in sorted(entry["days"]):
            scores = [entry["days"][day].get(item.pk) for item in items]
            given = [s for s in scores if s is not None]
            block.rows.append((day, scores, sum(given) / len(given)))
        result.append(block)
    return result


def voice_reminders(*, participant: Participant, today: dt.date) -> list[Reminder]:
    """The reminders of the participant page (see the module's docstring)."""
    answered = sorted(set(
        Answer.objects.filter(participant=participant, item__instrument__code=VOICE,
                              answered_on__lte=today)
        .values_list("answered_on", flat=True)))
    enrollments = list(participant.enrollments.values(
        "started_on", "ended_on", "planned_end_on", "measure__name"))
    reminders = []
    starts = [e["started_on"] for e in enrollments
              if e["started_on"] is not None and e["started_on"] <= today]
    baseline = None
    if starts:
        first = min(starts)
        window = (first - dt.timedelta(days=BASELINE_DAYS),
                  first + dt.timedelta(days=BASELINE_DAYS))
        baseline = next((day for day in answered if window[0] <= day <= window[1]), None)
        if baseline is None and today <= window[1]:
            reminders.append(Reminder("baseline", due_by=window[1]))
    elif any(e["started_on"] is None and e["ended_on"] is None for e in enrollments):
        recent = today - dt.timedelta(days=BASELINE_DAYS)
        if not any(day >= recent for day in answered):
            reminders.append(Reminder("baseline"))
    final = _final_reminder(enrollments, answered, baseline, today)
    if final is not None:
        reminders.append(final)
    return reminders


def _final_reminder(enrollments, answered, baseline, today) -> Reminder | None:
    around = dt.timedelta(days=FINAL_AROUND_END_DAYS)
    running = any(e["started_on"] is not None and e["started_on"] <= today
                  and (e["ended_on"] is None or e["ended_on"] > today) for e in enrollments)
    after = around if running else dt.timedelta(days=FINAL_AFTER_END_DAYS)
    ends = []
    for e in enrollments:
        if e["started_on"] is None or e["started_on"] > today:
            continue
        if e["ended_on"] is not None and today - after <= e["ended_on"] <= today:
            ends.append((e["ended_on"], True, e["measure__name"]))
        elif (e["ended_on"] is None and e["planned_end_on"] is not None
              and today - around <= e["planned_end_on"] <= today + around):
            ends.append((e["planned_end_on"], False, e["measure__name"]))
    if not ends:
        return None
    end, ended, measure = max(ends)
    since = end - dt.timedelta(days=FINAL_BEFORE_END_DAYS)
    if any(day >= since and (baseline is None or day > baseline) for day in answered):
        return None
    return Reminder("final", end=end, measure=measure, ended=ended)


def startable_instruments() -> QuerySet[Instrument]:
    """Questionnaires with at least one question; the built-in one first."""
    return (Instrument.objects.filter(items__isnull=False).distinct()
            .order_by("-built_in", "code"))


def questionnaire(*, participant: Participant, instrument: Instrument,
                  answered_on: dt.date) -> list[tuple[InstrumentItem, int | None]]:
    """The items of participant mode, each with today's answer if one was given."""
    given = dict(Answer.objects.filter(participant=participant, item__instrument=instrument,
                                       answered_on=answered_on)
                 .values_list("item_id", "score"))
    return [(item, given.get(item.pk)) for item in instrument.items.order_by("position", "code")]
