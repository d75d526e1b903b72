"""Shared fixtures: a stand-in for the indicator computation, and a small project tree."""

import datetime as dt
from dataclasses import dataclass, field

import pytest

from evaluations.indicators import IndicatorQuery
from evaluations.snapshots import service
from tests import factories

TODAY = dt.date(2025, 6, 15)


@dataclass
class FakeResult:
    query: object

    def to_json(self) -> dict:
        q = self.query
        return {"from": q.date_from.isoformat(), "to": q.date_to.isoformat(),
                "project": q.project_code, "by": q.by, "total": {}, "rows": []}


@dataclass
class FakeCompute:
    """Stands in for compute_breakdowns: records each query (one per breakdown);
    ``fail_times`` makes the next calls raise, ``before`` runs first with the period's
    first query."""

    queries: list = field(default_factory=list)
    fail_times: int = 0
    before: object = None

    def __call__(self, date_from, date_to, project_code, breakdowns):
        queries = [IndicatorQuery(date_from, date_to, project_code, by) for by in breakdowns]
        if self.before is not None:
            self.before(queries[0])
        if self.fail_times:
            self.fail_times -= 1
            raise RuntimeError("the indicator computation broke")
        self.queries += queries
        return {query.by: FakeResult(query) for query in queries}

    def projects(self) -> set:
        return {query.project_code for query in self.queries}


@pytest.fixture
def fake_compute(monkeypatch):
    """Replaces the indicator computation in the snapshot service: these tests are about
    the machinery."""
    fake = FakeCompute()
    monkeypatch.setattr(service, "compute_breakdowns", fake)
    return fake


@pytest.fixture
def tree():
    """A programme with a sub-project and a sub-sub-project, and an unrelated project."""
    programme = factories.ProjectFactory(code="VVV")
    region = factories.ProjectFactory(code="VVV-TRD", parent=programme)
    team = factories.ProjectFactory(code="VVV-TRD-A", parent=region)
    other = factories.ProjectFactory(code="PVA")
    return {"programme": programme, "region": region, "team": team, "other": other}
