from .access import AccessKind, AccessLogEntry
from .caseload import CaseloadPreference, SavedCaseloadFilter
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
    Language,
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
    "CaseloadPreference",
    "Channel",
    "Country",
    "Employer",
    "FollowUp",
    "FollowUpQuerySet",
    "Gender",
    "Goal",
    "GoalStatus",
    "Instrument",
    "InstrumentItem",
    "JobDevelopmentContact",
    "Language",
    "Office",
    "OutcomeKind",
    "OutcomeSpell",
    "Participant",
    "Plan",
    "PlanReview",
    "SavedCaseloadFilter",
    "StaffProfile",
    "date_in_range",
]
