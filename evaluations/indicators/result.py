"""The computed figures, their unit counts, small-number suppression and the JSON forms."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from rehab.small_numbers import SMALL_NUMBER_LIMIT, SUPPRESSED_COUNT, is_small

from .definitions import INDICATORS, INDICATORS_BY_CODE

__all__ = ["SMALL_NUMBER_LIMIT", "SUPPRESSED_COUNT", "Cell", "IndicatorResult", "Row",
           "is_small", "suppress"]


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
    rows = [Row(row.group, {code: _primary(cell) for code, cell in row.values.items()})
            for row in result.rows]
    for code in result.total:
        _suppress_next_smallest(rows, code)
    return replace(result, total=total, rows=tuple(rows))


def _primary(cell: Cell) -> Cell:
    if cell.suppressed or is_small(cell.units):
        return _hidden(cell)
    return cell


def _hidden(cell: Cell) -> Cell:
    return Cell(value=None, units=cell.units, suppressed=True)


def _suppress_next_smallest(rows: list[Row], code: str) -> None:
    cells = [row.values.get(code) for row in rows]
    if not any(cell is not None and is_small(cell.units) for cell in cells):
        return
    # Chosen by unit counts alone (kept in hidden cells), so suppressing twice hides no more.
    candidates = [
        (cell.units, row.group, index)
        for index, (row, cell) in enumerate(zip(rows, cells, strict=True))
        if cell is not None and cell.units > SMALL_NUMBER_LIMIT
    ]
    if not candidates:
        return
    _units, _group, index = min(candidates)
    rows[index].values[code] = _hidden(rows[index].values[code])
