"""All notes of a participant on one printable page, for those who may read the case
file; anyone else gets a 404. Opening it is logged as a read of the case file."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from participants import access_log
from participants import case_file_selectors as selectors
from participants.models import AccessKind, Participant


@require_GET
def participant_notes(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_object_or_404(
        Participant.objects.case_file_visible_to(request.user).select_related("office"), pk=pk)
    access_log.record_read(user=request.user, participant=participant,
                           what=AccessKind.CASE_FILE, request=request)
    notes = selectors.notes_for(participant=participant, user=request.user)
    return render(request, "participants/participant_notes.html",
                  {"participant": participant, "notes": notes, "printed_at": timezone.now()})
