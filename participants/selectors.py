from django.db.models import QuerySet

from .models import Participant


def participants_for_home(*, user) -> QuerySet[Participant]:
    """The participants shown on a user's start page: all those they may see."""
    return (
        Participant.objects.visible_to(user)
        .select_related("project", "office", "primary_case_worker")
        .order_by("family_name", "given_name", "ref")
    )
