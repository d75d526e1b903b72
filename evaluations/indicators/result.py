"""The computed figures, their unit counts, small-number suppression and the JSON forms."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TypeVar

from rehab.small_numbers import SMALL_NUMBER_LIMIT, SUPPRESSED_COUNT, is_small

from .definitions import INDICATORS, INDICATORS_BY_CODE

__all__ = ["SMALL_NUMBER_LIMIT", "SUPPRESSED_COUNT", "Cell", "IndicatorResult", "Row",
           "is_small", "suppress", "suppress_linked"]

K = TypeVar("K")


@dataclass(frozen=True)
class Cell:
    """One figure: its value, how many units it rests on, and whether it is to be hidden.

    `units` is the count itself for counts and the denominator for rates, means, medians
    and percentiles; it decides suppression."""

    value: int | float | None
    units: int
    suppressed: bool = False

    def to_json(self) -> dict:
        return {"value": self.value, "units": self.units, "suppressed": self.suppressed}

    @classmethod
    def from_json(cls, data: dict) -> Cell:
        return cls(value=data["value"], units=data["units"],
                   suppressed=data.get("suppressed", False))


@dataclass(frozen=True)
class Row:
    group: str
    values: dict[str, Cell]


@dataclass(frozen=True)
class IndicatorResult:
    date_from: date
    date_to: date
    project_code: str | None
    by: str | None
    total: dict[str, Cell]
    rows: tuple[Row, ...] = field(default_factory=tuple)

    def document(self, raw: bool) -> dict:
        """The JSON document of INDICATORS.md "Command-line form"; suppressed unless raw."""
        shown = self if raw else suppress(self)
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "project": self.project_code,
            "by": self.by,
            "total": _document_values(shown.total),
            "rows": [{"group": row.group, "values": _document_values(row.values)}
                     for row in shown.rows],
        }

    def to_json(self) -> dict:
        """A lossless JSON-serialisable form, for storing (see from_json)."""
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "project": self.project_code,
            "by": self.by,
            "total": {code: cell.to_json() for code, cell in self.total.items()},
            "rows": [
                {"group": row.group,
                 "values": {code: cell.to_json() for code, cell in row.values.items()}}
                for row in self.rows
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> IndicatorResult:
        return cls(
            date_from=date.fromisoformat(data["from"]),
            date_to=date.fromisoformat(data["to"]),
            project_code=data.get("project"),
            by=data["by"],
            total={code: Cell.from_json(cell) for code, cell in data["total"].items()},
            rows=tuple(
                Row(group=row["group"],
                    values={code: Cell.from_json(cell) for code, cell in row["values"].items()})
                for row in data["rows"]
            ),
        )


def _document_values(cells: dict[str, Cell]) -> dict:
    return {code: _shown_value(code, cells[code]) for code in _codes_in_order(cells)}


def _codes_in_order(cells: dict[str, Cell]) -> list[str]:
    return [indicator.code for indicator in INDICATORS if indicator.code in cells]


def _shown_value(code: str, cell: Cell):
    if not cell.suppressed:
        return cell.value
    return SUPPRESSED_COUNT if INDICATORS_BY_CODE[code].is_count else None


def suppress(result: IndicatorResult) -> IndicatorResult:
    """The result as it may be shown to anyone but an administrator.

    Primary: a cell resting on 1 to 4 units (a count of 1–4, or a rate, mean, median or
    percentile with 1–4 units in its denominator) is suppressed. Secondary, for each
    indicator of a breakdown separately: where any row's cell is suppressed by the primary
    rule, the smallest cell resting on 5 or more units (ties: the first group by code) is
    suppressed too, so the hidden value cannot be worked back from the total; this holds
    however many cells the primary rule hid (two hidden 1s would otherwise show from a
    total). A zero is no protection, so it is never the one chosen. The total is
    suppressed only when it is itself small. Suppressed cells lose their value (they keep
    their unit count), so nothing downstream can show it; suppressing again changes
    nothing."""
    total = {code: _primary(cell) for code, cell in result.total.items()}
    shown = suppress_linked({row.group: row.values for row in result.rows},
                            [[row.group for row in result.rows]])
    rows = tuple(Row(row.group, shown[row.group]) for row in result.rows)
    return replace(result, total=total, rows=rows)


def suppress_linked(parts: Mapping[K, Mapping[str, Cell]],
                    relations: Iterable[Sequence[K]]) -> dict[K, dict[str, Cell]]:
    """The cells of ``parts`` (each a set of indicator cells, by key) as they may be shown
    beside the wholes they add up to: each relation lists the parts of one whole (the
    groups of a breakdown; the months of a quarter, over_time.py).

    Primary as in ``suppress``. Then, for each indicator and relation, until nothing
    changes: where its parts hide a small cell, one of them resting on 5 or more units is
    hidden too, the smallest (ties: the first key), unless one already is; and no relation
    is left with exactly one hidden part, whatever hid it (a part hidden for one whole
    could otherwise be worked back in another, and with it the small one). Hiding only
    adds cells, so the passes end."""
    relations = [list(members) for members in relations]
    hidden = {(key, code) for key, cells in parts.items() for code, cell in cells.items()
              if cell.suppressed or is_small(cell.units)}
    for code in sorted({code for cells in parts.values() for code in cells}):
        changed = True
        while changed:
            changed = False
            for members in relations:
                changed |= _hide_one_more(code, parts, members, hidden)
    return {key: {code: _hidden(cell) if (key, code) in hidden else cell
                  for code, cell in cells.items()}
            for key, cells in parts.items()}


def _hide_one_more(code: str, parts: Mapping, members: list, hidden: set) -> bool:
    """Hide one more part of the relation where the rule asks for it; whether it did."""
    cells = [(key, parts[key][code]) for key in members if code in parts[key]]
    hidden_here = [cell for key, cell in cells if (key, code) in hidden]
    if not hidden_here:
        return False
    small = any(is_small(cell.units) or cell.suppressed for cell in hidden_here)
    protected = any(cell.units > SMALL_NUMBER_LIMIT for cell in hidden_here)
    if len(hidden_here) > 1 and (protected or not small):
        return False
    # Chosen by unit counts alone (kept in hidden cells), so suppressing twice hides no
    # more; a zero is no protection, so never chosen.
    candidates = [(cell.units, key) for key, cell in cells
                  if (key, code) not in hidden and cell.units > SMALL_NUMBER_LIMIT]
    if not candidates:
        return False
    hidden.add((min(candidates)[1], code))
    return True


def _primary(cell: Cell) -> Cell:
    if cell.suppressed or is_small(cell.units):
        return _hidden(cell)
    return cell


def _hidden(cell: Cell) -> Cell:
    return Cell(value=None, units=cell.units, suppressed=True)
