"""The participant page's single timeline, assembled from every app that has events.

participants cannot import measures (measures imports participants), so apps register a
*source* here from their AppConfig.ready(): a function that returns the events about one
participant that a given user may see. The participant page asks every source and shows
the events newest first. A source must issue a bounded number of queries (no query per
event), and must apply the same visible_to(user) rules as everything else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class TimelineEvent:
    """One thing that happened, as the timeline shows it."""

    on: dt.date
    kind: str  # a stable code: "follow_up", "referral", "enrollment_started", ...
    title: str | Promise  # already translated (or lazy), e.g. "Follow-up: phone"
    detail: str = ""  # one line of plain text, optional
    actor: str = ""  # who did it, as a display name
    # Orders events of the same day: later-recorded first.
    recorded_at: dt.datetime | None = None
    badges: tuple[str, ...] = field(default_factory=tuple)
    # The detail is a note someone wrote (a follow-up's note, a review, a report): the
    # participant's notes view prints these events.
    note: bool = False


TimelineSource = Callable[..., Iterable[TimelineEvent]]
_sources: list[TimelineSource] = []


def register_source(source: TimelineSource) -> TimelineSource:
    """Register ``source(*, participant, user) -> Iterable[TimelineEvent]``; idempotent."""
    if source not in _sources:
        _sources.append(source)
    return source


def events_for(*, participant, user) -> list[TimelineEvent]:
    events = [event for source in _sources for event in source(participant=participant, user=user)]
    minimum = dt.datetime.min.replace(tzinfo=dt.UTC)
    events.sort(key=lambda e: (e.on, e.recorded_at or minimum), reverse=True)
    return events
