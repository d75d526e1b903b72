from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from rehab.roles import Role, has_role

from .. import selectors


def home(request: HttpRequest) -> HttpResponse:
    """Case workers start on their caseload, provider staff on the participants in their
    measures, project leads on the outcome dashboard, the data protection officer on the
    access log; everyone else sees whom they may see."""
    if has_role(request.user, Role.CASE_WORKER):
        return redirect("participants:caseload")
    if has_role(request.user, Role.PROVIDER_STAFF):
        return redirect("measures:provider_participants")
    if has_role(request.user, Role.PROJECT_LEAD):
        return redirect("evaluations:dashboard")
    if has_role(request.user, Role.DATA_PROTECTION_OFFICER):
        return redirect("participants:access_log")
    participants = selectors.participants_for_home(user=request.user)
    page = Paginator(participants, 50).get_page(request.GET.get("page"))
    return render(request, "participants/home.html", {"page": page})
