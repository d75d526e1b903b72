"""The indicators and breakdown dimensions of INDICATORS.md, in the order it lists them."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Kind:
    COUNT = "count"
    RATE = "rate"
    MEAN = "mean"
    DAYS = "days"


class Unit:
    """The unit of attribution: which enrollment's measure a measure breakdown uses."""

    ENROLLMENT = "enrollment"
    FIRST_ENROLLMENT = "first_enrollment"
    LATEST_ACTIVE_ENROLLMENT = "latest_active_enrollment"
    EXIT_ENROLLMENT = "exit_enrollment"
    LATEST_OVERLAPPING_ENROLLMENT = "latest_overlapping_enrollment"
    JOB_ENROLLMENT = "job_enrollment"
    NONE = "none"


@dataclass(frozen=True)
class Indicator:
    code: str
    kind: str
    unit: str
    label: Promise

    @property
    def is_count(self) -> bool:
        return self.kind == Kind.COUNT


def _indicator(code, kind, unit, label):
    return Indicator(code=code, kind=kind, unit=unit, label=label)


INDICATORS = (
    _indicator("referrals", Kind.COUNT, Unit.ENROLLMENT, _("Referrals")),
    _indicator("starts", Kind.COUNT, Unit.ENROLLMENT, _("Starts")),
    _indicator("new_participants", Kind.COUNT, Unit.FIRST_ENROLLMENT, _("New participants")),
    _indicator("active", Kind.COUNT, Unit.LATEST_ACTIVE_ENROLLMENT, _("Active at the end")),
    _indicator("waiting", Kind.COUNT, Unit.ENROLLMENT, _("Waiting at the end")),
    _indicator("waiting_age_median", Kind.DAYS, Unit.ENROLLMENT,
               _("Days waited so far (median)")),
    _indicator("wait_days_mean", Kind.DAYS, Unit.ENROLLMENT,
               _("Days from referral to start (mean)")),
    _indicator("wait_days_median", Kind.DAYS, Unit.ENROLLMENT,
               _("Days from referral to start (median)")),
    _indicator("wait_days_p90", Kind.DAYS, Unit.ENROLLMENT,
               _("Days from referral to start (90th percentile)")),
    _indicator("exits", Kind.COUNT, Unit.EXIT_ENROLLMENT, _("Exits")),
    _indicator("completed_rate", Kind.RATE, Unit.EXIT_ENROLLMENT, _("Share completed")),
    _indicator("dropout_rate", Kind.RATE, Unit.EXIT_ENROLLMENT, _("Share ended early")),
    _indicator("work_rate", Kind.RATE, Unit.EXIT_ENROLLMENT, _("Share in work")),
    _indicator("education_rate", Kind.RATE, Unit.EXIT_ENROLLMENT, _("Share in education")),
    _indicator("work_or_education_rate", Kind.RATE, Unit.EXIT_ENROLLMENT,
               _("Share in work or education")),
    _indicator("days_to_work_median", Kind.DAYS, Unit.EXIT_ENROLLMENT,
               _("Days from programme start to work (median)")),
    _indicator("q2_cohort", Kind.COUNT, Unit.EXIT_ENROLLMENT,
               _("Exits followed to the 2nd quarter after")),
    _indicator("employed_q2_rate", Kind.RATE, Unit.EXIT_ENROLLMENT,
               _("Share in work in the 2nd quarter after exit")),
    _indicator("q4_cohort", Kind.COUNT, Unit.EXIT_ENROLLMENT,
               _("Exits followed to the 4th quarter after")),
    _indicator("employed_q4_rate", Kind.RATE, Unit.EXIT_ENROLLMENT,
               _("Share in work in the 4th quarter after exit")),
    _indicator("measures_per_exit", Kind.MEAN, Unit.EXIT_ENROLLMENT,
               _("Measures per exit (mean)")),
    _indicator("continuity_rate", Kind.RATE, Unit.EXIT_ENROLLMENT,
               _("Share followed up by one case worker")),
    _indicator("followed_up_30d_rate", Kind.RATE, Unit.LATEST_ACTIVE_ENROLLMENT,
               _("Share of active followed up in the last 30 days")),
    _indicator("long_stayers", Kind.COUNT, Unit.LATEST_ACTIVE_ENROLLMENT,
               _("Active two years or more without work or education")),
    _indicator("employer_contact_share", Kind.RATE, Unit.NONE,
               _("Share of follow-ups with the employer")),
    _indicator("treatment_contact_share", Kind.RATE, Unit.NONE,
               _("Share of follow-ups with the treatment service")),
    _indicator("participants", Kind.COUNT, Unit.LATEST_OVERLAPPING_ENROLLMENT,
               _("Participants in the period")),
    _indicator("completers", Kind.COUNT, Unit.EXIT_ENROLLMENT, _("Completers")),
    _indicator("completers_work_or_education_rate", Kind.RATE, Unit.EXIT_ENROLLMENT,
               _("Share of completers in work or education")),
    _indicator("onward_rate", Kind.RATE, Unit.EXIT_ENROLLMENT,
               _("Share going on to work, studies or other support")),
    _indicator("job_starts", Kind.COUNT, Unit.JOB_ENROLLMENT, _("First jobs started")),
    _indicator("retained_90d_rate", Kind.RATE, Unit.JOB_ENROLLMENT,
               _("Share still in the first job after 90 days")),
    _indicator("supported_after_job_rate", Kind.RATE, Unit.JOB_ENROLLMENT,
               _("Share followed up in the first 90 days of the job")),
    _indicator("voice_pairs", Kind.COUNT, Unit.EXIT_ENROLLMENT,
               _("Exits with a voice answer at start and end")),
    _indicator("voice_change_mean", Kind.MEAN, Unit.EXIT_ENROLLMENT,
               _("Change in own view (mean)")),
    _indicator("voice_improved_rate", Kind.RATE, Unit.EXIT_ENROLLMENT,
               _("Share whose own view improved")),
)

INDICATORS_BY_CODE = {indicator.code: indicator for indicator in INDICATORS}

DIMENSIONS = (
    "project",
    "provider",
    "measure_type",
    "setting",
    "gender",
    "immigrant_background",
    "office",
    "age_band",
)

# Breakdowns by the measure of each indicator's unit of attribution.
MEASURE_DIMENSIONS = frozenset({"provider", "measure_type", "setting"})

DIMENSION_LABELS = {
    "project": _("Project"),
    "provider": _("Provider"),
    "measure_type": _("Type of measure"),
    "setting": _("Setting"),
    "gender": _("Gender"),
    "immigrant_background": _("Immigrant background"),
    "office": _("Office"),
    "age_band": _("Age band"),
}



def dimension_label(dimension: str) -> str:
    """A breakdown as people read it ("Gender", not "gender"); the code if unknown."""
    return str(DIMENSION_LABELS.get(dimension, dimension))


AGE_BANDS = ("<25", "25-29", "30-34", "35-49", "50+")
