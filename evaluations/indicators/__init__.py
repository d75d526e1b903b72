"""Outcome indicators of INDICATORS.md, computed in the database."""

from .compute import compute, compute_breakdowns, project_by_code
from .definitions import DIMENSIONS, INDICATORS, Indicator
from .query import IndicatorQuery, IndicatorQueryError
from .result import Cell, IndicatorResult, Row, suppress

__all__ = [
    "DIMENSIONS",
    "INDICATORS",
    "Cell",
    "Indicator",
    "IndicatorQuery",
    "IndicatorQueryError",
    "IndicatorResult",
    "Row",
    "compute",
    "compute_breakdowns",
    "project_by_code",
    "suppress",
]
