"""The access log search: administrators and the data protection officer."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from participants import access_log
from participants.forms.access_log import AccessLogFilterForm

ENTRIES_PER_PAGE = 50


@require_GET
def access_log_search(request: HttpRequest) -> HttpResponse:
    if not access_log.may_search_access_log(request.user):
        raise Http404
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = access_log.search(
        user=request.user, participant_ref=filters.get("participant", ""),
        username=filters.get("username", ""), what=filters.get("what", ""),
        date_from=filters.get("date_from"), date_to=filters.get("date_to"))
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "participants/access_log.html", {"form": form, "page": page})
