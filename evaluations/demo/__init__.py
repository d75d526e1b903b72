"""A fictional demo bundle (EXCHANGE.md format): three Nordic programmes and a few years
of invented case histories, for trying the application and for screenshots.

Everything is made up. The providers' organisation numbers have deliberately wrong check
digits, so none can be a real company's; the employers' (``demo_employers``, not part of
the bundle: seed_demo registers them) must pass the register's checks, so they are drawn
from series the registers do not issue. National identity numbers must pass each country's rules
(the import checks them), so they are drawn at random: one may by chance be somebody's
real number, but nothing beside it is about that person. The generator is deterministic:
every date hangs on the anchor day and every choice on one seeded random.Random, so each run
writes the same files and importing them again changes nothing.
"""

from .bundle import FILE_COLUMNS, demo_bundle, write_demo_bundle
from .data import (
    CASE_WORKERS,
    CASEWORKER,
    CHANNEL_WEIGHTS,
    CHANNELS,
    COMPLETING,
    COUNTRY_OF_PROGRAMME,
    DURATION,
    EARLY,
    EMPLOYERS,
    END_REASONS,
    END_WEIGHTS,
    LEGAL_FORMS,
    MEASURES,
    MUNICIPALITY_OF_AREA,
    NAMES,
    OFFICES,
    PARTICIPANTS_PER_PROJECT,
    PROJECTS,
    PROVIDERS,
    REF_PREFIX,
    REFERENCE_DAY,
    SEED,
    SUMMARY_PROPORTIONS,
    SUMMARY_TOLERANCE,
    UNISEX,
    VOICE_ITEMS,
    Proportions,
    anchor_for,
    country_of,
    country_of_area,
    project_start,
)
from .employers import demo_employers

__all__ = [
    "CASEWORKER",
    "CASE_WORKERS",
    "CHANNELS",
    "CHANNEL_WEIGHTS",
    "COMPLETING",
    "COUNTRY_OF_PROGRAMME",
    "DURATION",
    "EARLY",
    "EMPLOYERS",
    "END_REASONS",
    "END_WEIGHTS",
    "FILE_COLUMNS",
    "LEGAL_FORMS",
    "MEASURES",
    "MUNICIPALITY_OF_AREA",
    "NAMES",
    "OFFICES",
    "PARTICIPANTS_PER_PROJECT",
    "PROJECTS",
    "PROVIDERS",
    "Proportions",
    "REFERENCE_DAY",
    "REF_PREFIX",
    "SEED",
    "SUMMARY_PROPORTIONS",
    "SUMMARY_TOLERANCE",
    "UNISEX",
    "VOICE_ITEMS",
    "anchor_for",
    "country_of",
    "country_of_area",
    "demo_bundle",
    "demo_employers",
    "project_start",
    "write_demo_bundle",
]
