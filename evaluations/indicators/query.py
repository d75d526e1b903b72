"""What a computation is asked: the period, the project and the breakdown."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from participants.models import EARLIEST_DATE, LATEST_DATE

from .definitions import DIMENSIONS


class IndicatorQueryError(ValueError):
    """A query that cannot be answered; the message is translated and fit to show."""


@dataclass(frozen=True)
class IndicatorQuery:
    date_from: date
    date_to: date
    project_code: str | None = None
    by: str | None = None

    def __post_init__(self):
        if not isinstance(self.date_from, date) or not isinstance(self.date_to, date):
            raise IndicatorQueryError(_("The period needs a start date and an end date."))
        # Case data are dated within these (EXCHANGE.md, CHECK constraints); a period
        # beyond them holds nothing, and its date arithmetic would leave Python's dates.
        if not (EARLIEST_DATE <= self.date_from and self.date_to <= LATEST_DATE):
            raise IndicatorQueryError(
                _("The period must lie between %(earliest)s and %(latest)s.")
                % {"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()}
            )
        if self.date_from > self.date_to:
            raise IndicatorQueryError(
                _("The period starts (%(from)s) after it ends (%(to)s).")
                % {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}
            )
        if self.by is not None and self.by not in DIMENSIONS:
            raise IndicatorQueryError(
                _("Unknown breakdown “%(by)s”; choose one of: %(choices)s.")
                % {"by": self.by, "choices": ", ".join(DIMENSIONS)}
            )
