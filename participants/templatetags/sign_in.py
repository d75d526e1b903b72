"""Filters for the sign-in pages."""

import math

from django import template

register = template.Library()


@register.filter
def whole_minutes(duration) -> int:
    """A timedelta as minutes, rounded up: "try again in 30 minutes", never "in 0"."""
    return max(1, math.ceil(duration.total_seconds() / 60))
