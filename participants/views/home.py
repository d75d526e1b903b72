from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from participants import selectors


def home(request: HttpRequest) -> HttpResponse:
    participants = selectors.participants_for_home(user=request.user)
    page = Paginator(participants, 50).get_page(request.GET.get("page"))
    return render(request, "participants/home.html", {"page": page})
