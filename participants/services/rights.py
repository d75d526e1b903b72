"""The one check every write to a case file starts with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from ..models import Participant

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def require_editable(*, participant_id: int, user: User) -> None:
    """PermissionDenied unless the user may change this participant's case file."""
    if not Participant.objects.editable_by(user).filter(pk=participant_id).exists():
        raise PermissionDenied
