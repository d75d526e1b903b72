"""A change to case data marks its project, the projects above it and all projects stale."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from evaluations.models import SnapshotScope
from evaluations.snapshots.staleness import (
    ensure_scopes,
    mark_all_projects_stale,
    mark_projects_stale,
    with_ancestors,
)
from participants.models import Instrument, Participant
from tests import factories

pytestmark = pytest.mark.django_db

BUNDLE = Path(__file__).resolve().parents[2] / "data" / "bundle"


def stale_codes() -> set:
    return {scope.project.code if scope.project else "all"
            for scope in SnapshotScope.objects.stale().select_related("project")}


def refreshed_everything() -> None:
    """As after a good refresh of every scope: nothing is stale."""
    SnapshotScope.objects.update(refreshed_version=F("data_version"))


@pytest.fixture
def participant(tree):
    return factories.ParticipantFactory(project=tree["team"])


@pytest.fixture
def fresh(tree, participant, django_capture_on_commit_callbacks):
    """Every scope exists and is up to date, whatever the fixtures marked."""
    with django_capture_on_commit_callbacks(execute=True):
        pass
    ensure_scopes(p.pk for p in tree.values())
    refreshed_everything()
    assert stale_codes() == set()


ABOVE_THE_TEAM = {"VVV-TRD-A", "VVV-TRD", "VVV", "all"}


def test_saving_a_follow_up_marks_its_project_ancestors_and_all_projects(
    fresh, participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        factories.FollowUpFactory(participant=participant)
    assert len(callbacks) == 1
    assert stale_codes() == ABOVE_THE_TEAM  # not the unrelated PVA


def test_changing_and_deleting_a_follow_up_mark_stale_too(
    fresh, participant, django_capture_on_commit_callbacks
):
    follow_up = factories.FollowUpFactory(participant=participant)
    refreshed_everything()
    with django_capture_on_commit_callbacks(execute=True):
        follow_up.with_employer = True
        follow_up.save()
    assert stale_codes() == ABOVE_THE_TEAM

    refreshed_everything()
    with django_capture_on_commit_callbacks(execute=True):
        follow_up.delete()
    assert stale_codes() == ABOVE_THE_TEAM


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: factories.EnrollmentFactory(participant=p), id="enrollment"),
        pytest.param(lambda p: factories.OutcomeSpellFactory(participant=p), id="outcome-spell"),
        pytest.param(lambda p: p.save(), id="participant"),
    ],
)
def test_every_kind_of_case_data_marks_stale(fresh, participant, make,
                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make(participant)
    assert stale_codes() == ABOVE_THE_TEAM


def test_a_voice_answer_marks_stale_and_another_questionnaire_does_not(
    fresh, participant, django_capture_on_commit_callbacks
):
    other_item = factories.InstrumentItemFactory()
    with django_capture_on_commit_callbacks(execute=True):
        factories.AnswerFactory(participant=participant, item=other_item)
    assert stale_codes() == set()

    voice = Instrument.objects.get(code="voice")  # built in, created by a migration
    voice_item = factories.InstrumentItemFactory(instrument=voice)
    with django_capture_on_commit_callbacks(execute=True):
        factories.AnswerFactory(participant=participant, item=voice_item)
    assert stale_codes() == ABOVE_THE_TEAM


def test_moving_a_participant_marks_both_projects(
    fresh, tree, participant, django_capture_on_commit_callbacks
):
    loaded = Participant.objects.get(pk=participant.pk)
    loaded.project = tree["other"]
    with django_capture_on_commit_callbacks(execute=True):
        loaded.save()
    assert stale_codes() == ABOVE_THE_TEAM | {"PVA"}


def test_deleting_a_participant_with_case_data_marks_their_project(
    fresh, participant, django_capture_on_commit_callbacks
):
    factories.FollowUpFactory(participant=participant)
    factories.EnrollmentFactory(participant=participant)
    refreshed_everything()
    with django_capture_on_commit_callbacks(execute=True):
        participant.delete()
    assert stale_codes() == ABOVE_THE_TEAM


def test_a_change_that_is_rolled_back_marks_nothing(fresh, participant):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        factories.FollowUpFactory(participant=participant)
        raise Undo
    # On-commit callbacks of a rolled-back block are discarded, not run.
    assert stale_codes() == set()


def test_marking_is_left_until_the_change_is_committed(fresh, participant,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        factories.FollowUpFactory(participant=participant)
        assert stale_codes() == set()
    assert len(callbacks) == 1


def test_marking_a_new_project_creates_its_scope_and_that_of_all_projects():
    project = factories.ProjectFactory()
    mark_projects_stale({project.pk})
    assert stale_codes() == {project.code, "all"}
    mark_projects_stale({project.pk})
    assert SnapshotScope.objects.count() == 2  # no duplicates


def test_ancestors_are_found_at_every_depth(tree):
    assert with_ancestors({tree["team"].pk}) == {
        tree["team"].pk, tree["region"].pk, tree["programme"].pk
    }
    assert with_ancestors({tree["other"].pk}) == {tree["other"].pk}
    assert with_ancestors(set()) == set()


def test_an_import_marks_every_project_stale(fresh, tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        call_command("import_bundle", str(BUNDLE), stdout=io.StringIO())
    codes = stale_codes()
    assert {"all", "VVV", "VVV-TRD-UNG", "PVA", "INKR-DINO", "VVV-TRD-A"} <= codes
    assert SnapshotScope.objects.filter(project__isnull=False).count() == len(codes) - 1


def test_marking_an_already_stale_scope_again_changes_nothing(tree):
    """So importing the same bundle twice leaves the database as the first import did."""
    mark_all_projects_stale()
    first = list(SnapshotScope.objects.order_by("pk").values())
    assert {scope["data_version"] for scope in first} == {1}
    assert all(scope["stale_since"] for scope in first)
    mark_all_projects_stale()
    mark_projects_stale({tree["team"].pk})
    assert list(SnapshotScope.objects.order_by("pk").values()) == first


def test_a_scope_being_computed_is_marked_again(tree):
    """The run may have read the case data before this change: it must leave it stale."""
    mark_projects_stale({tree["other"].pk})
    SnapshotScope.objects.filter(project=tree["other"]).update(
        lease_token="a-run", lease_until=timezone.now()
    )
    mark_projects_stale({tree["other"].pk})
    assert SnapshotScope.objects.get(project=tree["other"]).data_version == 2
    assert SnapshotScope.objects.get(all_projects=True).data_version == 1  # not being computed


def test_a_scope_is_stale_until_a_refresh_reads_its_latest_version(tree):
    scope = factories.SnapshotScopeFactory(project=tree["other"], data_version=4,
                                           refreshed_version=3,
                                           stale_since=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
    assert scope.is_stale
    scope.refreshed_version = 4
    assert not scope.is_stale


def changed_from() -> set:
    return set(SnapshotScope.objects.filter(project__code__in=ABOVE_THE_TEAM)
               .values_list("changed_from", flat=True))


def test_a_change_marks_the_earliest_date_it_touches_before_and_after(
    fresh, participant, django_capture_on_commit_callbacks
):
    SnapshotScope.objects.update(changed_from=None)
    follow_up = factories.FollowUpFactory(participant=participant,
                                          occurred_on=dt.date(2025, 3, 10))
    with django_capture_on_commit_callbacks(execute=True):
        follow_up = type(follow_up).objects.get(pk=follow_up.pk)
        follow_up.occurred_on = dt.date(2025, 5, 2)
        follow_up.save()
    assert changed_from() == {dt.date(2025, 3, 10)}  # its old date: March changed too

    with django_capture_on_commit_callbacks(execute=True):
        factories.FollowUpFactory(participant=participant, occurred_on=dt.date(2025, 1, 7))
        factories.FollowUpFactory(participant=participant, occurred_on=dt.date(2025, 8, 1))
    assert changed_from() == {dt.date(2025, 1, 7)}  # only ever lowered
    assert SnapshotScope.objects.get(project__code="PVA").changed_from is None


def test_a_change_to_the_participant_touches_every_period(
    fresh, participant, django_capture_on_commit_callbacks
):
    SnapshotScope.objects.update(changed_from=None)
    with django_capture_on_commit_callbacks(execute=True):
        participant.gender = "male" if participant.gender != "male" else "female"
        participant.save()
    assert changed_from() == {dt.date(1900, 1, 1)}
