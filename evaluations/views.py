from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors


def project_list(request: HttpRequest) -> HttpResponse:
    template = (
        "evaluations/partials/_project_list.html"
        if request.htmx
        else "evaluations/project_list.html"
    )
    return render(request, template, {"tree": selectors.project_tree(user=request.user)})
