from .access import AccessKind, AccessLogEntry
from .casework import (
    Channel,
    FollowUp,
    FollowUpQuerySet,
    Goal,
    GoalStatus,
    OutcomeKind,
    OutcomeSpell,
    Plan,
    PlanReview,
)
from .employers import Employer, JobDevelopmentContact
from .people import (
    EARLIEST_DATE,
    LATEST_DATE,
    CaseWorkerAssignment,
    Country,
    Gender,
    Office,
    Participant,
    StaffProfile,
    date_in_range,
)
from .voice import Answer, Instrument, InstrumentItem

__all__ = [
    "EARLIEST_DATE",
    "LATEST_DATE",
    "AccessKind",
    "AccessLogEntry",
    "Answer",
    "CaseWorkerAssignment",
    "Employer",
    "Channel",
    "Country",
    "FollowUp",
    "FollowUpQuerySet",
    "Gender",
    "Goal",
    "GoalStatus",
    "Instrument",
    "InstrumentItem",
    "JobDevelopmentContact",
    "Office",
    "OutcomeKind",
    "OutcomeSpell",
    "Participant",
    "Plan",
    "PlanReview",
    "StaffProfile",
    "date_in_range",
]
