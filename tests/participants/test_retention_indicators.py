"""Retention keeps the statistics: the indicators of every example query are the same
before and after the participants who have left are anonymised."""

import datetime as dt
import json
from pathlib import Path

import pytest

from evaluations.indicators import IndicatorQuery, compute
from participants import retention
from participants.models import Participant

pytestmark = pytest.mark.django_db

EXPECTED = sorted((Path(__file__).resolve().parents[1] / "data" / "expected").glob("*.json"))
FAR_FUTURE = dt.date(2040, 1, 1)


def documents():
    found = {}
    for path in EXPECTED:
        query = json.loads(path.read_text(encoding="utf-8"))
        found[path.stem] = compute(IndicatorQuery(
            date_from=dt.date.fromisoformat(query["from"]),
            date_to=dt.date.fromisoformat(query["to"]),
            project_code=query["project"], by=query["by"])).document(raw=True)
    return found


def test_the_indicators_are_the_same_before_and_after_anonymisation(example):
    before = documents()
    due = retention.due_for_anonymisation(FAR_FUTURE).count()
    assert due > 100  # the example's people who have left, as seen from 2040

    assert retention.anonymise_due_participants(FAR_FUTURE) == due

    assert documents() == before
    assert Participant.objects.filter(anonymised_at__isnull=False).count() == due


