"""manage.py refresh_snapshots: the same service, run now in this process."""

import io

import pytest
from django.core.management import CommandError, call_command

from evaluations.models import IndicatorSnapshot, SnapshotRun, SnapshotScope
from evaluations.snapshots.staleness import ensure_scopes, mark_projects_stale

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("refresh_snapshots", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_by_default_only_stale_scopes_are_refreshed(fake_compute, tree):
    ensure_scopes(project.pk for project in tree.values())
    mark_projects_stale({tree["region"].pk})

    output = run()

    assert {code or "all" for code in fake_compute.projects()} == {"VVV-TRD", "VVV", "all"}
    assert "VVV-TRD: succeeded" in output
    assert not SnapshotScope.objects.stale().exists()
    assert set(SnapshotRun.objects.values_list("trigger", flat=True)) == {"command"}


def test_nothing_stale_says_so(fake_compute, tree):
    assert "Nothing is stale" in run("--stale")
    assert fake_compute.queries == []


def test_all_refreshes_every_scope(fake_compute, tree):
    run("--all")
    assert {code or "all" for code in fake_compute.projects()} == {
        "VVV", "VVV-TRD", "VVV-TRD-A", "PVA", "all"
    }


def test_one_project_by_code(fake_compute, tree):
    run("--project", "PVA")
    assert fake_compute.projects() == {"PVA"}
    assert IndicatorSnapshot.objects.filter(project=tree["other"]).exists()


def test_an_unknown_project_is_an_error(tree):
    with pytest.raises(CommandError, match="No project with code NOPE"):
        run("--project", "NOPE")


def test_a_failed_scope_fails_the_command_after_the_others_ran(fake_compute, tree):
    def fail_for_pva(query):
        if query.project_code == "PVA":
            raise RuntimeError("PVA is broken")

    fake_compute.before = fail_for_pva
    with pytest.raises(CommandError, match="1 scope failed"):
        run("--all")
    assert {code or "all" for code in fake_compute.projects()} == {
        "VVV", "VVV-TRD", "VVV-TRD-A", "all"
    }
    assert SnapshotRun.objects.get(status="failed").scope.project == tree["other"]


def test_watch_refreshes_the_stale_scopes_each_round_until_interrupted(
    fake_compute, tree, monkeypatch
):
    ensure_scopes(project.pk for project in tree.values())
    mark_projects_stale({tree["region"].pk})
    rounds = []

    def sleep(seconds):
        rounds.append(seconds)
        if len(rounds) == 1:
            mark_projects_stale({tree["other"].pk})  # a change between two rounds
        else:
            raise KeyboardInterrupt

    monkeypatch.setattr("evaluations.management.commands.refresh_snapshots.time.sleep", sleep)

    output = run("--watch", "30")

    assert rounds == [30, 30]
    assert "VVV-TRD: succeeded" in output and "PVA: succeeded" in output
    assert not SnapshotScope.objects.stale().exists()


@pytest.mark.parametrize("args", [["--watch", "0"], ["--watch", "5", "--all"]])
def test_watch_takes_seconds_and_the_stale_scopes_only(args):
    with pytest.raises(CommandError):
        run(*args)


def test_the_outcome_of_each_scope_is_told_in_the_shells_language(fake_compute, tree,
                                                                   monkeypatch):
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")

    output = run("--all")

    assert "VVV-TRD: lyckades" in output
    assert "alla projekt: lyckades" in output
    assert "succeeded" not in output
