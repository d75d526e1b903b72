"""Parsing one CSV row's cells into typed values, recording each broken rule as a Problem."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from participants.models import EARLIEST_DATE, LATEST_DATE

from .bundle import Problem

# ASCII digits only: \d also matches Arabic-Indic, full-width and other digits, which
# int() reads without a word.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
# Plain decimal notation: Decimal() also reads "1e1", "Infinity" and "١٫٥".
DECIMAL_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_username_validator = UnicodeUsernameValidator()


# A bundle repeats the same few thousand dates and usernames a million times; parsing
# each distinct one once keeps the import's time in the database, not in Python.
@lru_cache(maxsize=100_000)
def _parse_date(value: str) -> dt.date | None:
    if not ISO_DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@lru_cache(maxsize=100_000)
def _is_username(value: str) -> bool:
    try:
        _username_validator(value)
    except ValidationError:
        return False
    return True


class Cells:
    """The cells of one row; each accessor returns the parsed value, or None when the cell
    is empty or broken (a broken cell adds a Problem, so callers need not check twice)."""

    def __init__(self, *, file: str, line: int, row: dict[str, str], decimal_comma: bool,
                 problems: list[Problem]):
        self.file = file
        self.line = line
        self.row = row
        self.decimal_comma = decimal_comma
        self.problems = problems
        self.broken = False

    def error(self, column: str, message: str) -> None:
        self.broken = True
        self.problems.append(Problem(self.file, self.line, column, message))

    def raw(self, column: str) -> str:
        return self.row.get(column, "")

    def _required(self, column: str, required: bool) -> str | None:
        value = self.raw(column)
        if value == "":
            if required:
                self.error(column, _("a value is required"))
            return None
        return value

    def text(self, column: str, *, required: bool = False, max_length: int = 200) -> str:
        value = self._required(column, required)
        if value is None:
            return ""
        if len(value) > max_length:
            self.error(column, _("longer than %(max)d characters") % {"max": max_length})
        return value

    def username(self, column: str, *, required: bool = True) -> str | None:
        value = self._required(column, required)
        if value is None:
            return None
        if len(value) > 150:
            self.error(column, _("longer than %(max)d characters") % {"max": 150})
            return None
        if not _is_username(value):
            self.error(column, _("%(value)r is not a valid username") % {"value": value})
            return None
        return value

    def date(self, column: str, *, required: bool = False) -> dt.date | None:
        value = self._required(column, required)
        if value is None:
            return None
        parsed = _parse_date(value)
        if parsed is None:
            self.error(column, _("%(value)r is not a date of the form YYYY-MM-DD") % {
                "value": value})
            return None
        if not EARLIEST_DATE <= parsed <= LATEST_DATE:
            self.error(column, _("%(value)s is outside 1900-01-01 to 2100-12-31") % {
                "value": value})
            return None
        return parsed

    def boolean(self, column: str, *, required: bool = True) -> bool | None:
        value = self._required(column, required)
        if value is None:
            return None
        lowered = value.lower()
        if lowered not in ("true", "false"):
            self.error(column, _("%(value)r is not true or false") % {"value": value})
            return None
        return lowered == "true"

    def choice(self, column: str, choices, *, required: bool = True) -> str | None:
        value = self._required(column, required)
        if value is None:
            return None
        if value not in choices:
            self.error(column, _("%(value)r is not one of: %(choices)s") % {
                "value": value, "choices": ", ".join(choices)})
            return None
        return value

    def integer(self, column: str, *, required: bool = False, minimum: int | None = None,
                maximum: int | None = None) -> int | None:
        value = self._required(column, required)
        if value is None:
            return None
        if not WHOLE_NUMBER.fullmatch(value):
            self.error(column, _("%(value)r is not a whole number") % {"value": value})
            return None
        return self._in_range(column, int(value), minimum, maximum)

    def decimal(self, column: str, *, required: bool = False, minimum: Decimal | None = None,
                maximum: Decimal | None = None, exclusive_minimum: bool = False,
                places: int = 4) -> Decimal | None:
        value = self._required(column, required)
        if value is None:
            return None
        text = value.replace(",", ".") if self.decimal_comma else value
        try:
            if not DECIMAL_NUMBER.fullmatch(text):
                raise InvalidOperation
            number = Decimal(text)
        except InvalidOperation:
            self.error(column, _("%(value)r is not a number") % {"value": value})
            return None
        if exclusive_minimum and minimum is not None and number <= minimum:
            self.error(column, _("%(value)s must be above %(min)s") % {
                "value": value, "min": minimum})
            return None
        # Trailing zeros say nothing: a spreadsheet that shows two decimals writes 37,50.
        if number != number.to_integral_value() and -number.normalize().as_tuple().exponent \
                > places:
            self.error(column, _("%(value)s has more than %(places)d decimals") % {
                "value": value, "places": places})
            return None
        # Past the exclusive check, number > minimum, so passing minimum on only names it
        # in the message ("outside 0 to 168", not "outside None to 168").
        return self._in_range(column, number, minimum, maximum)

    def _in_range(self, column, number, minimum, maximum):
        if (minimum is not None and number < minimum) or (
            maximum is not None and number > maximum
        ):
            self.error(column, _("%(value)s is outside %(min)s to %(max)s") % {
                "value": self.raw(column), "min": minimum, "max": maximum})
            return None
        return number
