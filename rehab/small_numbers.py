"""The small numbers that could single someone out (INDICATORS.md, "Small numbers"): one
rule for every app that shows a count or a figure over people, so the indicators and the
waiting lists hide the same numbers."""

# Counts and unit counts from 1 to this are the small numbers that could single someone out.
SMALL_NUMBER_LIMIT = 4
SUPPRESSED_COUNT = "<5"


def is_small(units: int) -> bool:
    """Whether a count, or the number of units a figure rests on, is to be hidden. Zero is
    not: nobody can be singled out of nobody."""
    return 1 <= units <= SMALL_NUMBER_LIMIT
