"""The programme summary: the ten figures the programmes report to their funders ("195
took part, 148 completed, 35 % of them in paid work or education; target 20 % work, 15 %
education"), in the order they report them, against the project's targets.

One place builds it from a result of the indicator engine (codes and definitions in
../shared/INDICATORS.md), whatever the result came from: the dashboard passes a stored
snapshot (``evaluations.selectors.programme_summary``), the reports a fresh computation
(``evaluations.reports.content``). So the dashboard and every report open with the same
figures, suppressed the same way.

Two of the figures are counts that INDICATORS.md does not list, worked out from the
unsuppressed result: early ends (the exits that are not completers: every exit category
is completed or early, EXCHANGE.md) and the completers in work or education (the numerator
of ``completers_work_or_education_rate``). Each is suppressed as a count is (1 to 4), and
nothing more: INDICATORS.md shows a share whose denominator is 5 or more, and the
dashboard and the reports show the exits, the completers and those shares beside the
summary, so hiding the other side of a split here (the completers when the early ends are
few) would hide nothing and only contradict them.

Targets: a project has a target share in work and one in education (``Project``); they
are judged on ``work_rate`` and ``education_rate``, the indicators they are defined on, and
shown with the completers in work or education.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import dashboards
from .indicators import IndicatorResult, suppress
from .indicators.definitions import INDICATORS_BY_CODE, Kind
from .indicators.result import Cell
from .models import Project

STATUS_SHOWN = ""
STATUS_SUPPRESSED = "suppressed"
STATUS_NONE = "none"

EARLY_ENDS = "early_ends"
COMPLETERS_IN_WORK_OR_EDUCATION = "completers_work_or_education"

# key, label, the values it shows (codes; the derived counts above included)
FIGURES = (
    ("participants", gettext_lazy("Took part"), ("participants",)),
    ("new_participants", gettext_lazy("Started in the period"), ("new_participants",)),
    ("completers", gettext_lazy("Completed"), ("completers",)),
    (EARLY_ENDS, gettext_lazy("Ended early"), (EARLY_ENDS,)),
    (COMPLETERS_IN_WORK_OR_EDUCATION, gettext_lazy("Completers in paid work or education"),
     (COMPLETERS_IN_WORK_OR_EDUCATION, "completers_work_or_education_rate")),
    ("onward_rate", gettext_lazy("Went on to work, studies or other support"),
     ("onward_rate",)),
    ("job_starts", gettext_lazy("Started a first job"), ("job_starts",)),
    ("retained_90d_rate", gettext_lazy("Still in the first job after 90 days"),
     ("retained_90d_rate",)),
    ("supported_after_job_rate", gettext_lazy("Followed up after the job began"),
     ("supported_after_job_rate",)),
    ("voice_change_mean", gettext_lazy("Change in their own view (1–5 scale)"),
     ("voice_change_mean",)),
)
# The definition a derived count links to: the indicator it is worked out from.
DEFINED_BY = {EARLY_ENDS: "dropout_rate",
              COMPLETERS_IN_WORK_OR_EDUCATION: "completers_work_or_education_rate"}
# Target field of Project -> the indicator it is judged on, and what it is a target for.
TARGETS = (
    ("target_work_rate", "work_rate", gettext_lazy("in work")),
    ("target_education_rate", "education_rate", gettext_lazy("in education")),
)
TARGETS_SHOWN_WITH = COMPLETERS_IN_WORK_OR_EDUCATION


@dataclass(frozen=True)
class Shown:
    """One value of the summary: the number (None when hidden or empty), how the dashboard
    shows it, and whether it is shown, hidden or there is none."""

    code: str
    kind: str
    value: int | float | None
    text: str
    status: str


@dataclass(frozen=True)
class Target:
    field: str  # the Project field
    code: str  # the indicator it is judged on
    label: str  # "in work"
    target: float
    actual: Shown

    @property
    def met(self) -> bool | None:
        """None when the indicator is hidden or has no value: it cannot be judged."""
        if self.actual.value is None:
            return None
        return self.actual.value >= self.target - 1e-12

    @property
    def target_text(self) -> str:
        return dashboards._percent(self.target)

    @property
    def status(self) -> str:
        if self.met is None:
            return _("cannot be judged")
        return _("met") if self.met else _("not met")


@dataclass(frozen=True)
class SummaryFigure:
    key: str
    label: str
    values: tuple[Shown, ...]
    definition_url: str
    targets: tuple[Target, ...] = ()

    @property
    def text(self) -> str:
        """"52" or, with a share beside the count, "52 (35.0 %)"."""
        first, *rest = self.values
        return first.text + "".join(f" ({value.text})" for value in rest)


@dataclass(frozen=True)
class ProgrammeSummary:
    figures: list[SummaryFigure]
    sentence: str
    targets: list[Target] = field(default_factory=list)

    def figure(self, key: str) -> SummaryFigure:
        return next(figure for figure in self.figures if figure.key == key)


def summary_of(raw_result: IndicatorResult, *, project: Project | None,
               raw: bool = False) -> ProgrammeSummary:
    """The summary of one unsuppressed result (its total), suppressed unless ``raw``."""
    cells = _cells(raw_result.total, raw=raw)
    targets = _targets(project, cells)
    figures = []
    for key, label, codes in FIGURES:
        figures.append(SummaryFigure(
            key=key, label=str(label),
            values=tuple(_shown(code, cells.get(code)) for code in codes),
            definition_url=dashboards.definition_url(DEFINED_BY.get(key, key)),
            targets=tuple(targets) if key == TARGETS_SHOWN_WITH else (),
        ))
    return ProgrammeSummary(figures=figures, sentence=_sentence(figures, targets),
                            targets=targets)


def _cells(total: dict[str, Cell], *, raw: bool) -> dict[str, Cell]:
    """The summary's cells: the result's own and the two derived counts, suppressed as
    every total is (``evaluations.indicators.suppress``) unless raw."""
    exits, completers = _count_cell(total.get("exits")), _count_cell(total.get("completers"))
    early = _count(exits.value - completers.value)
    rate = total.get("completers_work_or_education_rate") or Cell(None, 0)
    in_work = _count(0 if rate.value is None else round(rate.value * rate.units))
    cells = dict(total)
    cells.update({EARLY_ENDS: early, COMPLETERS_IN_WORK_OR_EDUCATION: in_work})
    if raw:
        return cells
    day = dt.date(2000, 1, 1)  # the dates play no part in suppression
    return dict(suppress(IndicatorResult(date_from=day, date_to=day, project_code=None,
                                         by=None, total=cells)).total)


def _count(value: int) -> Cell:
    value = max(int(value), 0)
    return Cell(value=value, units=value)


def _count_cell(cell: Cell | None) -> Cell:
    return _count(0 if cell is None or cell.value is None else cell.value)


def _shown(code: str, cell: Cell | None) -> Shown:
    kind = Kind.COUNT if code in DEFINED_BY else INDICATORS_BY_CODE[code].kind
    if cell is not None and cell.suppressed:
        status, value = STATUS_SUPPRESSED, None
    elif cell is None or cell.value is None:
        status, value = STATUS_NONE, None
    else:
        status, value = STATUS_SHOWN, cell.value
    return Shown(code=code, kind=kind, value=value, text=dashboards._text(kind, cell),
                 status=status)


def _targets(project: Project | None, cells: dict[str, Cell]) -> list[Target]:
    if project is None:
        return []
    targets = []
    for field_name, code, label in TARGETS:
        stored = getattr(project, field_name)
        if stored is not None:
            targets.append(Target(field=field_name, code=code, label=str(label),
                                  target=float(stored), actual=_shown(code, cells.get(code))))
    return targets


def _sentence(figures: list[SummaryFigure], targets: list[Target]) -> str:
    """The summary as the programmes write it, e.g. "195 took part, 60 of them new. 148
    completed; 35.0 % of them are in paid work or education. Targets, as shares of all who
    ended: 20.0 % in work (24.0 %, met), 15.0 % in education (11.0 %, not met)." Hidden
    counts read "<5"."""
    by_key = {figure.key: figure for figure in figures}
    share = by_key[COMPLETERS_IN_WORK_OR_EDUCATION].values[1]
    values = {
        "participants": by_key["participants"].values[0].text,
        "new": by_key["new_participants"].values[0].text,
        "completers": by_key["completers"].values[0].text,
        "share": share.text,
    }
    if share.value is None:
        text = _("%(participants)s took part, %(new)s of them new. %(completers)s completed; "
                 "the share of them in paid work or education is not shown.") % values
    else:
        text = _("%(participants)s took part, %(new)s of them new. %(completers)s completed; "
                 "%(share)s of them are in paid work or education.") % values
    if targets:
        parts = [_("%(target)s %(label)s (%(actual)s, %(status)s)") % {
            "target": target.target_text, "label": target.label,
            "actual": target.actual.text, "status": target.status} for target in targets]
        text += " " + _("Targets, as shares of all who ended: %(targets)s.") % {
            "targets": ", ".join(parts)}
    return text
