"""compute(query): the indicators of INDICATORS.md for one query, computed in SQL.

One SQL statement: the fact CTEs of facts.py, then per family of indicators one aggregate
branch for the total and, with a breakdown, one grouped by the breakdown, joined with
UNION ALL into rows of the same width. Only those few aggregate rows reach Python, which
divides them into rates and means and interpolates the percentiles."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import OperationalError, connections, transaction
from django.utils.translation import gettext as _

from evaluations.models import Project, descendant_ids
from measures.models import Measure
from participants.models import EARLIEST_DATE, Office
from providers.models import Provider
from rehab.db_routers import read_alias

from . import facts, parallel
from .definitions import AGE_BANDS, INDICATORS, MEASURE_DIMENSIONS, Unit
from .dialect import Dialect
from .query import IndicatorQuery, IndicatorQueryError
from .result import Cell, IndicatorResult, Row

logger = logging.getLogger(__name__)

MEDIAN = (1, 2)
P90 = (9, 10)


@dataclass(frozen=True)
class SumBranch:
    """Counts and sums over one family's units."""

    name: str
    units: str
    aggregates: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PercentileBranch:
    """Percentiles of one column over one family's units (NULLs are not units)."""

    name: str
    units: str
    column: str
    fractions: tuple[tuple[int, int], ...]


def _count_of(column):
    return (column, f"SUM(u.{column})")


BRANCHES = (
    SumBranch("enrollment", "enrollment_units", (
        _count_of("is_referral"), _count_of("is_start"), _count_of("is_waiting"),
        ("wait_days_sum", "SUM(u.wait_days)"),
    )),
    PercentileBranch("waiting_age", "enrollment_units", "waiting_age", (MEDIAN,)),
    PercentileBranch("wait_days", "enrollment_units", "wait_days", (MEDIAN, P90)),
    SumBranch("first", "first_units", (("units", "COUNT(*)"),)),
    SumBranch("active", "active_units", (
        ("units", "COUNT(*)"), _count_of("followed_up_recently"), _count_of("long_stayer"),
    )),
    SumBranch("exit", "exit_units", (
        ("units", "COUNT(*)"),
        _count_of("completed"), _count_of("ended_early"), _count_of("went_onward"),
        _count_of("in_work"), _count_of("in_education"), _count_of("in_work_or_education"),
        ("completers_in_work_or_education", "SUM(u.completed * u.in_work_or_education)"),
        _count_of("in_q2_cohort"), ("employed_q2", "SUM(u.in_q2_cohort * u.employed_q2)"),
        _count_of("in_q4_cohort"), ("employed_q4", "SUM(u.in_q4_cohort * u.employed_q4)"),
        ("started_sum", "SUM(u.started_count)"),
        _count_of("followed_up"), _count_of("one_case_worker"),
        # In fixed point: a sum of floating-point numbers depends on the order the rows
        # come in, which changes with the plan and the parts; a decimal sum does not.
        _count_of("voice_pair"),
        ("voice_change_sum", "SUM(CAST(u.voice_change AS NUMERIC(20, 12)))"),
        _count_of("voice_improved"),
    )),
    PercentileBranch("days_to_work", "exit_units", "days_to_work", (MEDIAN,)),
    SumBranch("overlap", "overlap_units", (("units", "COUNT(*)"),)),
    SumBranch("job", "job_units", (
        ("units", "COUNT(*)"), _count_of("in_job_cohort"),
        ("retained", "SUM(u.in_job_cohort * u.retained)"),
        ("supported", "SUM(u.in_job_cohort * u.supported)"),
    )),
    SumBranch("follow_up", "follow_up_units", (
        ("units", "COUNT(*)"), _count_of("with_employer"), _count_of("with_treatment"),
    )),
)

# Follow-ups are attributed to no enrollment: they have no measure to break down by.
UNATTRIBUTED_BRANCHES = frozenset({"follow_up"})

WIDTH = max(
    len(branch.aggregates) if isinstance(branch, SumBranch) else 1 + 2 * len(branch.fractions)
    for branch in BRANCHES
)


def compute(query: IndicatorQuery) -> IndicatorResult:
    """The raw figures of the query; an unknown project raises IndicatorQueryError."""
    return compute_breakdowns(query.date_from, query.date_to, query.project_code,
                              (query.by,))[query.by]


def compute_breakdowns(date_from: date, date_to: date, project_code: str | None,
                       breakdowns: tuple[str | None, ...]) -> dict[str | None, IndicatorResult]:
    """The figures of one period by each of ``breakdowns`` (None: no breakdown), from one
    statement: the facts are derived once and only the grouping differs, so the snapshot
    job's nine results of a period cost little more than one."""
    queries = {by: IndicatorQuery(date_from, date_to, project_code, by) for by in breakdowns}
    project_ids = _project_ids(project_code)
    alias = read_alias()  # the replica, when the caller reads from it
    dialect = Dialect(connections[alias].vendor)
    dimensions = tuple(by for by in queries if by is not None)
    parts = parallel.parts_for(alias)
    fetched = None
    if parts > 1:
        sql, params = _statement(date_from, date_to, project_ids, dimensions, dialect,
                                 in_parts=True)
        try:
            fetched = parallel.fetch_in_parts(
                alias, sql, params, parts,
                prepare=lambda cursor: _set_planner(cursor,
                                                    dialect.planner_settings(in_parts=True)))
        except OperationalError:
            # No connection to spare (max_connections) or one lost: slower, but an answer.
            logger.warning("indicators in %d parts failed; computing them whole", parts,
                           exc_info=True)
    if fetched is None:
        sql, params = _statement(date_from, date_to, project_ids, dimensions, dialect)
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            previous = _set_planner(cursor, dialect.planner_settings())
            cursor.execute(sql, params)
            fetched = [cursor.fetchall()]
            _set_planner(cursor, previous)
    aggregates = _aggregates_by_group(fetched)
    total = _total_cells(aggregates.get((None, None), {}))
    return {
        by: IndicatorResult(
            date_from=date_from, date_to=date_to, project_code=project_code, by=by,
            total=total,
            rows=_rows({group: branches for (dimension, group), branches in aggregates.items()
                        if dimension == by and group is not None}, by) if by else (),
        )
        for by in queries
    }


def _set_planner(cursor, settings: dict[str, str]) -> dict[str, str]:
    """Set these for the current transaction only; return the values they replace."""
    previous = {}
    for name, setting in settings.items():
        cursor.execute("SELECT current_setting(%s), set_config(%s, %s, true)",
                       [name, name, setting])
        previous[name] = cursor.fetchone()[0]
    return previous


def project_by_code(project_code: str | None) -> Project | None:
    """The project of a query (None for all projects); IndicatorQueryError if unknown."""
    if project_code is None:
        return None
    project = Project.objects.filter(code=project_code).first()
    if project is None:
        raise IndicatorQueryError(_("Unknown project “%(code)s”.") % {"code": project_code})
    return project


def _project_ids(project_code: str | None) -> list[int] | None:
    project = project_by_code(project_code)
    return None if project is None else sorted(descendant_ids(project.pk))


# ---------------------------------------------------------------- the statement


def _statement(date_from: date, date_to: date, project_ids, dimensions: tuple[str, ...],
               d: Dialect, in_parts: bool = False) -> tuple[str, dict]:
    """The statement and its parameters. ``in_parts``: it reads only the participants of
    one part, ids from ``%(part_from)s`` to ``%(part_to)s`` (parallel.py); every other
    table is reached through them."""
    params = _date_params(date_from, date_to)
    conditions = []
    if project_ids is not None:
        names = [f"project_{index}" for index in range(len(project_ids))]
        params.update(zip(names, project_ids, strict=True))
        conditions.append("p.project_id IN (%s)" % ", ".join(f"%({n})s" for n in names))
    if in_parts:
        conditions.append(facts.in_part("p.id"))
    project_filter = ("WHERE " + " AND ".join(conditions)) if conditions else ""
    group_columns, joins = _participant_groups(dimensions)
    whole_programme = project_ids is None
    ctes = ",".join([
        facts.scope_cte(group_columns, joins, project_filter),
        facts.enrollment_ctes(d, whole_programme=whole_programme, in_parts=in_parts),
        facts.enrollment_units_cte(d),
        facts.first_units_cte(),
        facts.overlap_units_cte(),
        facts.follow_up_units_cte(whole_programme=whole_programme, in_parts=in_parts),
        facts.active_units_cte(
            last_30_days_in_period=date_to - timedelta(days=29) >= date_from),
        facts.exit_units_cte(d, in_parts=in_parts),
        facts.job_units_cte(d),
    ])
    selects = []
    for branch in BRANCHES:
        selects.append(_branch_sql(branch, None, d))
        for by in dimensions:
            if not (by in MEASURE_DIMENSIONS and branch.name in UNATTRIBUTED_BRANCHES):
                selects.append(_branch_sql(branch, by, d))
    return "WITH " + ctes + "\n" + "\nUNION ALL\n".join(selects), params


def _date_params(date_from: date, date_to: date) -> dict:
    return {
        "f": date_from,
        "t": date_to,
        "epoch": EARLIEST_DATE,  # the day an enrollment's end is counted from
        "t_minus_29": date_to - timedelta(days=29),
        "t_minus_90": date_to - timedelta(days=90),
        "t_minus_730": date_to - timedelta(days=730),
        "quarter_after_t": _quarter_index(date_to + timedelta(days=1)),
    }


def _quarter_index(day: date) -> int:
    return day.year * 4 + (day.month - 1) // 3


PARTICIPANT_GROUPS = {
    # dimension: (the group's expression, the join it needs)
    "project": ("pr.code", f"JOIN {facts.PROJECT} pr ON pr.id = p.project_id"),
    "office": ("o.code", f"JOIN {Office._meta.db_table} o ON o.id = p.office_id"),
    "gender": ("p.gender", ""),
    "immigrant_background": (
        "CASE WHEN p.immigrant_background THEN 'true' ELSE 'false' END", ""),
}


def _participant_groups(dimensions: tuple[str, ...]) -> tuple[str, str]:
    """The scope's columns for the breakdowns that depend on the participant alone, one
    ``group_<dimension>`` column each, and the joins they need."""
    columns = "".join(f", {PARTICIPANT_GROUPS[by][0]} AS group_{by}"
                      for by in dimensions if by in PARTICIPANT_GROUPS)
    joins = " ".join(PARTICIPANT_GROUPS[by][1] for by in dimensions if by in PARTICIPANT_GROUPS)
    return columns, joins


def _grouped_source(units: str, by: str, d: Dialect) -> tuple[str, str]:
    """FROM clause and group expression of a family's units under a breakdown."""
    if by in MEASURE_DIMENSIONS:
        # the measure of the unit's attribution enrollment, carried in the units
        source = f"{units} u JOIN {Measure._meta.db_table} m ON m.id = u.measure_id"
        if by == "provider":
            source += f" JOIN {Provider._meta.db_table} pv ON pv.id = m.provider_id"
            return source, "pv.code"
        return source, f"m.{by}"
    source = f"{units} u JOIN scope s ON s.participant_id = u.participant_id"
    if by == "age_band":
        return source, _age_band(f"{d.year('u.age_on')} - s.birth_year")
    return source, f"s.group_{by}"


def _age_band(age_sql: str) -> str:
    return (f"CASE WHEN {age_sql} < 25 THEN '{AGE_BANDS[0]}'"
            f" WHEN {age_sql} < 30 THEN '{AGE_BANDS[1]}'"
            f" WHEN {age_sql} < 35 THEN '{AGE_BANDS[2]}'"
            f" WHEN {age_sql} < 50 THEN '{AGE_BANDS[3]}'"
            f" ELSE '{AGE_BANDS[4]}' END")


def _branch_sql(branch, by: str | None, d: Dialect) -> str:
    if by is None:
        source, group = f"{branch.units} u", None
    else:
        source, group = _grouped_source(branch.units, by, d)
    if isinstance(branch, SumBranch):
        return _sum_branch_sql(branch, by, source, group)
    return _percentile_branch_sql(branch, by, source, group)


def _padded(columns: list[str]) -> str:
    # Typed NULLs: PostgreSQL resolves UNION column types pairwise, and NULL alone is text.
    padding = ["CAST(NULL AS DOUBLE PRECISION)"] * (WIDTH - len(columns))
    return ", ".join(columns + padding)


def _group_column(group: str | None) -> str:
    return "CAST(NULL AS VARCHAR(200))" if group is None else f"CAST({group} AS VARCHAR(200))"


def _dimension_column(by: str | None) -> str:
    # a fixed dimension name (DIMENSIONS), never user input
    return "CAST(NULL AS VARCHAR(40))" if by is None else f"CAST('{by}' AS VARCHAR(40))"


def _sum_branch_sql(branch: SumBranch, by: str | None, source: str, group: str | None) -> str:
    columns = [expression for _name, expression in branch.aggregates]
    sql = (f"SELECT '{branch.name}' AS branch, {_dimension_column(by)} AS dim, "
           f"{_group_column(group)} AS grp, "
           f"{_padded(columns)} FROM {source}")
    return sql if group is None else f"{sql} GROUP BY {group}"


def _percentile_branch_sql(branch: PercentileBranch, by: str | None, source: str,
                           group: str | None) -> str:
    """The distribution of the column: one row per value with its count (the values are
    whole days, so there are few). Distributions of parts merge exactly; the percentile
    is interpolated in Python (_percentiles)."""
    groups = f"{group}, u.{branch.column}" if group is not None else f"u.{branch.column}"
    return (f"SELECT '{branch.name}' AS branch, {_dimension_column(by)} AS dim, "
            f"{_group_column(group)} AS grp, "
            f"{_padded([f'u.{branch.column}', 'COUNT(*)'])} "
            f"FROM {source} WHERE u.{branch.column} IS NOT NULL GROUP BY {groups}")


# ---------------------------------------------------------------- from aggregates to cells


def _aggregates_by_group(fetched_parts: list[list]) -> dict:
    """{(dimension, group) (None, None for the total): {branch name: {column: value}}},
    the parts' sums added up and their distributions merged into percentiles."""
    branches = {branch.name: branch for branch in BRANCHES}
    sums: dict = {}
    distributions: dict = {}
    for fetched in fetched_parts:
        for branch_name, dimension, group, *values in fetched:
            branch = branches[branch_name]
            key = (dimension, group)
            if isinstance(branch, SumBranch):
                columns = sums.setdefault(key, {}).setdefault(branch_name, {})
                for (name, _expression), value in zip(branch.aggregates, values, strict=False):
                    if value is not None:
                        columns[name] = columns.get(name, 0) + value
            else:
                value, count = values[0], int(values[1])
                histogram = distributions.setdefault(key, {}).setdefault(branch_name, {})
                histogram[value] = histogram.get(value, 0) + count
    for key, by_branch in distributions.items():
        for branch_name, histogram in by_branch.items():
            sums.setdefault(key, {})[branch_name] = _percentiles(branches[branch_name],
                                                                 histogram)
    return sums


def _percentiles(branch: PercentileBranch, histogram: dict) -> dict:
    """n and, per fraction, the values at the two ranks around (n - 1) * p (1-based), as
    percentile_cont interpolates between them (_Figures.percentile)."""
    values = sorted(histogram)
    n = sum(histogram.values())
    found = {"n": n}

    def value_at(rank: int):
        seen = 0
        for value in values:
            seen += histogram[value]
            if seen >= rank:
                return value
        return None

    for numerator, denominator in branch.fractions:
        lower_rank = ((n - 1) * numerator) // denominator + 1
        found[f"low_{numerator}_{denominator}"] = value_at(lower_rank)
        found[f"high_{numerator}_{denominator}"] = value_at(lower_rank + 1)
    return found


class _Figures:
    """Reads one group's aggregates; missing branches are empty sets."""

    def __init__(self, branches: dict):
        self.branches = branches

    def number(self, branch: str, column: str):
        return self.branches.get(branch, {}).get(column)

    def integer(self, branch: str, column: str) -> int:
        value = self.number(branch, column)
        return 0 if value is None else int(value)

    def count(self, branch: str, column: str) -> Cell:
        value = self.integer(branch, column)
        return Cell(value, value)

    def share(self, branch: str, numerator: str, denominator: str) -> Cell:
        units = self.integer(branch, denominator)
        if units == 0:
            return Cell(None, 0)
        return Cell(self.integer(branch, numerator) / units, units)

    def mean(self, branch: str, total: str, denominator: str) -> Cell:
        units = self.integer(branch, denominator)
        if units == 0:
            return Cell(None, 0)
        return Cell(float(self.number(branch, total)) / units, units)

    def percentile(self, branch: str, fraction: tuple[int, int]) -> Cell:
        units = self.integer(branch, "n")
        if units == 0:
            return Cell(None, 0)
        numerator, denominator = fraction
        low = float(self.number(branch, f"low_{numerator}_{denominator}"))
        high = self.number(branch, f"high_{numerator}_{denominator}")
        weight = ((units - 1) * numerator % denominator) / denominator
        if weight == 0:
            return Cell(low, units)
        return Cell(low + weight * (float(high) - low), units)


def _indicator_cells(f: _Figures) -> dict[str, Cell]:
    return {
        "referrals": f.count("enrollment", "is_referral"),
        "starts": f.count("enrollment", "is_start"),
        "new_participants": f.count("first", "units"),
        "active": f.count("active", "units"),
        "waiting": f.count("enrollment", "is_waiting"),
        "waiting_age_median": f.percentile("waiting_age", MEDIAN),
        "wait_days_mean": f.mean("enrollment", "wait_days_sum", "is_start"),
        "wait_days_median": f.percentile("wait_days", MEDIAN),
        "wait_days_p90": f.percentile("wait_days", P90),
        "exits": f.count("exit", "units"),
        "completed_rate": f.share("exit", "completed", "units"),
        "dropout_rate": f.share("exit", "ended_early", "units"),
        "work_rate": f.share("exit", "in_work", "units"),
        "education_rate": f.share("exit", "in_education", "units"),
        "work_or_education_rate": f.share("exit", "in_work_or_education", "units"),
        "days_to_work_median": f.percentile("days_to_work", MEDIAN),
        "q2_cohort": f.count("exit", "in_q2_cohort"),
        "employed_q2_rate": f.share("exit", "employed_q2", "in_q2_cohort"),
        "q4_cohort": f.count("exit", "in_q4_cohort"),
        "employed_q4_rate": f.share("exit", "employed_q4", "in_q4_cohort"),
        "measures_per_exit": f.mean("exit", "started_sum", "units"),
        "continuity_rate": f.share("exit", "one_case_worker", "followed_up"),
        "followed_up_30d_rate": f.share("active", "followed_up_recently", "units"),
        "long_stayers": f.count("active", "long_stayer"),
        "employer_contact_share": f.share("follow_up", "with_employer", "units"),
        "treatment_contact_share": f.share("follow_up", "with_treatment", "units"),
        "participants": f.count("overlap", "units"),
        "completers": f.count("exit", "completed"),
        "completers_work_or_education_rate": f.share(
            "exit", "completers_in_work_or_education", "completed"),
        "onward_rate": f.share("exit", "went_onward", "units"),
        "job_starts": f.count("job", "units"),
        "retained_90d_rate": f.share("job", "retained", "in_job_cohort"),
        "supported_after_job_rate": f.share("job", "supported", "in_job_cohort"),
        "voice_pairs": f.count("exit", "voice_pair"),
        "voice_change_mean": f.mean("exit", "voice_change_sum", "voice_pair"),
        "voice_improved_rate": f.share("exit", "voice_improved", "voice_pair"),
    }


def _total_cells(branches: dict) -> dict[str, Cell]:
    cells = _indicator_cells(_Figures(branches))
    return {indicator.code: cells[indicator.code] for indicator in INDICATORS}


def _group_cells(branches: dict, by: str) -> dict[str, Cell]:
    cells = _total_cells(branches)
    if by in MEASURE_DIMENSIONS:
        for indicator in INDICATORS:
            if indicator.unit == Unit.NONE:
                cells[indicator.code] = Cell(None, 0)
    return cells


def _rows(aggregates: dict, by: str) -> tuple[Row, ...]:
    """The rows of one breakdown; ``aggregates`` maps its groups to their branches."""
    rows = []
    for group in sorted(aggregates):
        cells = _group_cells(aggregates[group], by)
        if any(cell.units > 0 for cell in cells.values()):
            rows.append(Row(group=group, values=cells))
    return tuple(rows)
