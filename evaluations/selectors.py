from .models import Project


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
