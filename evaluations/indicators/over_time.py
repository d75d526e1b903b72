"""Small-number suppression across time: a trend's months or quarters beside the totals
of the periods they make up.

A breakdown's rule (result.suppress) protects a hidden cell from being worked back as the
total minus the rows shown. A trend has the same sums running the other way: a year's
starts are its four quarters' starts, a quarter's are its three months', and the year is
shown too (on the dashboard's period menu, or as a report's headline). So a quarter shown
as "<5" beside three shown quarters and the year gives itself away. The rule here is the
breakdown's, the same function (result.suppress_linked), applied to every whole period
that the trend's periods make up exactly:

- primary: a cell resting on 1 to 4 units is hidden;
- where a whole's parts hide a small cell, one of its parts resting on 5 or more units is
  hidden too, the smallest (ties: the earliest), unless one already is;
- no whole may have exactly one hidden part, whatever hid it: a part hidden for one whole
  (a month for its quarter) could otherwise be worked back in another (the rolling 12
  months that hold that month but not the small one), and with it the small one.

Hiding only ever adds cells, so the passes end. Every view that shows a period's trend
cell gets the same answer, because the result depends on the stored periods alone, not
on which of them a page happens to show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from .result import Cell, suppress_linked

Span = tuple[dt.date, dt.date]


def suppress_over_time(parts: Mapping[Span, Mapping[str, Cell]],
                       wholes: Iterable[Span]) -> dict[Span, dict[str, Cell]]:
    """The cells of consecutive periods (``parts``, by their first and last day) as they
    may be shown beside the ``wholes``. A whole counts only where parts cover it exactly,
    day by day, with at least two of them; others say nothing about the parts."""
    return suppress_linked(parts, [members for whole in sorted(set(wholes))
                                   if (members := parts_making_up(whole, parts))])


def parts_making_up(whole: Span, parts: Iterable[Span]) -> list[Span]:
    """The parts inside ``whole``, in order, if they cover it day by day without a gap
    (at least two of them); else none."""
    start, end = whole
    inside = sorted(span for span in parts if start <= span[0] and span[1] <= end)
    if len(inside) < 2 or inside[0][0] != start or inside[-1][1] != end:
        return []
    for before, after in zip(inside, inside[1:], strict=False):
        if after[0] != before[1] + dt.timedelta(days=1):
            return []
    return inside
