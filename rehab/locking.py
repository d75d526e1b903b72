"""One lock shared by the services that must not do the same thing twice for one person."""

from django.contrib.auth import get_user_model


def one_request_at_a_time_for(user) -> None:
    """Locks the user's row until the open transaction ends. Two requests of the same
    person sent at once (a double click) then run one after the other, and the second
    finds what the first made instead of making it again. Other people are not held up."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).exists()
