from django.core.exceptions import PermissionDenied

from . import dashboards
from .indicators import IndicatorResult
from .models import Project, may_see_dashboards
from .summary import ProgrammeSummary, summary_of


def project_in_tree(code: str, tree: list[tuple[Project, int]]) -> Project | None:
    """The project of that code among those of ``project_tree`` (the user's); None for an
    empty code or one not among them."""
    return next((project for project, _depth in tree if project.code == code), None)


def project_tree(*, user) -> list[tuple[Project, int]]:
    """Projects the user may see, each with its depth, parents before their sub-projects."""
    projects = list(Project.objects.visible_to(user))
    children: dict[int | None, list[Project]] = {}
    for project in projects:
        children.setdefault(project.parent_id, []).append(project)
    ordered: list[tuple[Project, int]] = []

    def walk(parent_id, depth):
        for project in sorted(children.get(parent_id, []), key=lambda p: p.code):
            ordered.append((project, depth))
            walk(project.pk, depth + 1)

    walk(None, 0)
    return ordered


def programme_summary(*, project: Project | None, period: dashboards.Period,
                      user) -> ProgrammeSummary | None:
    """The programme summary of a project (sub-projects included) or of all projects for
    one standard period, read from its stored snapshot and suppressed; None while no
    snapshot of the period is stored. Those who may not see the dashboards get
    PermissionDenied."""
    if not may_see_dashboards(user):
        raise PermissionDenied
    snapshot = dashboards.snapshot_for(project, period)
    if snapshot is None:
        return None
    return summary_of(IndicatorResult.from_json(snapshot.result), project=project)
