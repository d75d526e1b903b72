"""Sessions end after SESSION_COOKIE_AGE idle seconds (30 minutes by default).

Django's SESSION_SAVE_EVERY_REQUEST would write the session on every request to push the
end back; this middleware writes it at most once a minute, so the end is at most a minute
early and a page costs no extra query.
"""

import time

TOUCH_KEY = "_idle_touched"
TOUCH_EVERY_SECONDS = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get(TOUCH_KEY, 0) >= TOUCH_EVERY_SECONDS:
                session[TOUCH_KEY] = now  # marks the session modified: saved with a new end
        return response


def start_idle_clock(sender, request, user, **kwargs):
    """A new session starts its idle time at login, so the first page writes nothing."""
    session = getattr(request, "session", None)
    if session is not None:
        session[TOUCH_KEY] = int(time.time())
