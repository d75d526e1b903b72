"""The few places where PostgreSQL and SQLite spell date arithmetic and ordering differently.

Everything else in the indicator SQL is portable. Dates are DATE in PostgreSQL and ISO text
in SQLite; both compare correctly as they are."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    vendor: str

    @property
    def is_postgresql(self) -> bool:
        return self.vendor == "postgresql"

    def planner_settings(self, in_parts: bool = False) -> dict[str, str]:
        """Settings for the one analytic statement (PostgreSQL only, restored after it).

        The planner cannot see the row counts of materialised CTEs and guesses a handful;
        it then picks nested loops over CTE scans, which with a million participants run
        for hours. Hash and merge joins are right for every join of this statement. JIT
        compilation of its many expressions costs more than it saves. When the statement
        runs in parts (parallel.py) the parts already keep the cores busy: PostgreSQL's
        own parallel workers would only compete with them (10 % slower at a million)."""
        if not self.is_postgresql:
            return {}
        settings = {"enable_nestloop": "off", "jit": "off", "work_mem": "64MB"}
        if in_parts:
            settings["max_parallel_workers_per_gather"] = "0"
        return settings

    def date_param(self, name: str) -> str:
        """A date parameter usable in arithmetic and CASE results (typed in PostgreSQL)."""
        if self.is_postgresql:
            return f"CAST(%({name})s AS DATE)"
        return f"%({name})s"

    def add_days(self, date_sql: str, days: int) -> str:
        if self.is_postgresql:
            return f"({date_sql} + {int(days)})"
        return f"date({date_sql}, '{int(days):+d} days')"

    def days_between(self, start_sql: str, end_sql: str) -> str:
        """Whole days from start to end: the same day is 0."""
        if self.is_postgresql:
            return f"({end_sql} - {start_sql})"
        return f"CAST(julianday({end_sql}) - julianday({start_sql}) AS INTEGER)"

    def year(self, date_sql: str) -> str:
        if self.is_postgresql:
            return f"CAST(EXTRACT(YEAR FROM {date_sql}) AS INTEGER)"
        return f"CAST(strftime('%%Y', {date_sql}) AS INTEGER)"

    def month(self, date_sql: str) -> str:
        if self.is_postgresql:
            return f"CAST(EXTRACT(MONTH FROM {date_sql}) AS INTEGER)"
        return f"CAST(strftime('%%m', {date_sql}) AS INTEGER)"

    def quarter_index(self, date_sql: str) -> str:
        """Calendar quarters numbered consecutively, so the 2nd quarter after is index + 2."""
        return f"({self.year(date_sql)} * 4 + ({self.month(date_sql)} - 1) / 3)"

    def by_code_point(self, text_sql: str) -> str:
        """Text ordered by code point: PostgreSQL's default collation may follow a locale."""
        if self.is_postgresql:
            return f'{text_sql} COLLATE "C"'
        return text_sql
