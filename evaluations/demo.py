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

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from stdnum import luhn
from stdnum.dk import cvr
from stdnum.no import orgnr as no_orgnr

from evaluations.exchange import schema
from participants.identity import normalize_national_id

# The histories are drawn as of this day and then moved forward by whole weeks to the day
# before the demo is first seeded (``anchor_for``): the same histories on every run, as
# fresh as the day they were seeded, weekdays kept, nothing dated in the future.
REFERENCE_DAY = dt.date(2026, 6, 30)
SEED = 20260630
REF_PREFIX = "DEMO-"
# På vej til arbejde has about 200 participants, so that its summary over the whole
# programme reads like the published one (about 195 started, see SUMMARY_PROPORTIONS).
PARTICIPANTS_PER_PROJECT = {
    "VVV-OSL": 40, "VVV-TRD": 50, "VVV-TRD-UNG": 30, "PVA-KBH": 90, "PVA-AAR": 65,
    "PVA-AAR-UNG": 45, "INKR-GBG": 25, "INKR-GBG-UNG": 15, "INKR-MLM": 30, "INKR-UPP": 20,
}
COUNTRY_OF_PROGRAMME = {"VVV": "NO", "PVA": "DK", "INKR": "SE"}

# code, name, parent_code, starts_on, ends_on, target_work_rate, target_education_rate
PROJECTS = [
    ("VVV", "Vilje viser vei", "", "2022-01-01", "", "0.20", "0.15"),
    ("VVV-OSL", "Vilje viser vei Oslo", "VVV", "2022-01-01", "", "", ""),
    ("VVV-TRD", "Vilje viser vei Trondheim", "VVV", "2022-03-01", "", "", ""),
    ("VVV-TRD-UNG", "Vilje viser vei Trondheim – unge voksne", "VVV-TRD", "2023-01-01", "",
     "0.15", "0.25"),
    # The targets of the real programme: 20 % into work, 15 % into education (A.P. Møller
    # Fonden's page on Næstved Kommune's "På vej til arbejde", apmollerfonde.dk).
    ("PVA", "På vej til arbejde", "", "2022-04-01", "2027-03-31", "0.20", "0.15"),
    ("PVA-KBH", "På vej til arbejde København", "PVA", "2022-04-01", "", "", ""),
    ("PVA-AAR", "På vej til arbejde Aarhus", "PVA", "2022-09-01", "", "", ""),
    ("PVA-AAR-UNG", "På vej til arbejde Aarhus – unge under 30", "PVA-AAR", "2023-08-01", "",
     "0.15", "0.30"),
    ("INKR", "Inkluderande rehabilitering", "", "2021-09-01", "2027-12-31", "0.15", "0.15"),
    ("INKR-GBG", "Inkluderande rehabilitering Göteborg", "INKR", "2021-09-01", "", "", ""),
    ("INKR-GBG-UNG", "Inkluderande rehabilitering Göteborg – unga vuxna", "INKR-GBG",
     "2023-02-01", "", "", ""),
    ("INKR-MLM", "Inkluderande rehabilitering Malmö", "INKR", "2022-01-01", "", "", ""),
    ("INKR-UPP", "Inkluderande rehabilitering Uppsala", "INKR", "2022-06-01", "", "", ""),
]

# code, name, organisation_number, municipality
PROVIDERS = [
    ("FJORDLYS", "Fjordlys Arbeid AS", "921734562", "Oslo"),
    ("NIDELV", "Nidelv Kompetanse AS", "918455307", "Trondheim"),
    ("LADEMOEN", "Lademoen Verksted AS", "923106748", "Trondheim"),
    ("HAVNELYS", "Havnelys Beskæftigelse ApS", "38461927", "København"),
    ("AADALEN", "Ådalen Jobværksted", "41975306", "Aarhus"),
    ("ALVSTRAND", "Älvstrand Arbetsträning AB", "5592837462", "Göteborg"),
    ("SUNDET", "Sundets Stöd och Matchning AB", "5590418326", "Malmö"),
    ("FYRISVIND", "Fyrisvind Arbetslivscenter", "5567302914", "Uppsala"),
]

# code, name, measure_type, provider_code, setting, capacity; the code's middle part is the
# area whose participants are referred to it.
MEASURES = [
    ("VVV-OSL-AVK", "Arbeidsevnevurdering og kartlegging", "assessment", "FJORDLYS",
     "individual", 25),
    ("VVV-OSL-APR", "Arbeidspraksis i ordinær virksomhet", "work_practice", "FJORDLYS",
     "ordinary_workplace", 30),
    ("VVV-OSL-IPS", "IPS – individuell jobbstøtte Oslo", "supported_employment", "FJORDLYS",
     "ordinary_workplace", 40),
    ("VVV-TRD-AVK", "Kartlegging og avklaring", "assessment", "NIDELV", "individual", 20),
    ("VVV-TRD-ATR", "Arbeidstrening på verkstedet", "work_training", "LADEMOEN",
     "sheltered_workplace", 24),
    ("VVV-TRD-KURS", "Jobbklubb og CV-verksted", "course", "NIDELV", "classroom", 16),
    ("VVV-TRD-IPS", "IPS – individuell jobbstøtte Trondheim", "supported_employment", "NIDELV",
     "ordinary_workplace", 35),
    ("VVV-TRD-UTD", "Tilbake til skolebenken", "education_support", "NIDELV", "individual", 15),
    ("VVV-TRD-DPS", "Samarbeid med DPS", "treatment_coordination", "LADEMOEN", "individual",
     None),
    ("PVA-KBH-AFK", "Afklaringsforløb", "assessment", "HAVNELYS", "individual", 20),
    ("PVA-KBH-VPR", "Virksomhedspraktik", "work_practice", "HAVNELYS", "ordinary_workplace", 30),
    ("PVA-KBH-KUR", "Mestringskursus", "course", "HAVNELYS", "classroom", 12),
    ("PVA-KBH-IPS", "IPS – job med støtte København", "supported_employment", "HAVNELYS",
     "ordinary_workplace", 30),
    ("PVA-AAR-VTR", "Værkstedstræning", "work_training", "AADALEN", "sheltered_workplace", 18),
    ("PVA-AAR-MEN", "Uddannelsesmentor", "education_support", "AADALEN", "individual", 20),
    ("PVA-AAR-IPS", "IPS – job med støtte Aarhus", "supported_employment", "AADALEN",
     "ordinary_workplace", 25),
    ("INKR-GBG-KAR", "Kartläggning och arbetsförmågebedömning", "assessment", "ALVSTRAND",
     "individual", 20),
    ("INKR-GBG-ATR", "Arbetsträning i verkstad", "work_training", "ALVSTRAND",
     "sheltered_workplace", 15),
    ("INKR-GBG-STU", "Stöd till studier", "education_support", "ALVSTRAND", "individual", 15),
    ("INKR-GBG-IPS", "IPS Göteborg", "supported_employment", "ALVSTRAND", "ordinary_workplace",
     25),
    ("INKR-MLM-PRA", "Arbetspraktik", "work_practice", "SUNDET", "ordinary_workplace", 25),
    ("INKR-MLM-IPS", "IPS Malmö", "supported_employment", "SUNDET", "ordinary_workplace", 25),
    ("INKR-UPP-AKT", "Aktivitetshuset", "other", "FYRISVIND", "sheltered_workplace", 30),
    ("INKR-UPP-KUR", "Studiemotiverande kurs", "course", "FYRISVIND", "classroom", 20),
    ("INKR-UPP-SAM", "Samordnad vård och stöd", "treatment_coordination", "FYRISVIND",
     "individual", None),
]

# code -> (name, area, share of the area's participants)
OFFICES = {
    "NAV-OSL-GRUNERLOKKA": ("NAV Grünerløkka", "OSL", 3),
    "NAV-OSL-STOVNER": ("NAV Stovner", "OSL", 2),
    "NAV-TRD-HEIMDAL": ("NAV Heimdal", "TRD", 5),
    "NAV-TRD-LERKENDAL": ("NAV Lerkendal", "TRD", 2),
    "JC-KBH": ("Jobcenter København", "KBH", 1),
    "JC-AARHUS": ("Jobcenter Aarhus", "AAR", 1),
    "AF-GBG-HISINGEN": ("Arbetsförmedlingen Göteborg Hisingen", "GBG", 1),
    "AF-MALMO": ("Arbetsförmedlingen Malmö", "MLM", 1),
    "AF-UPPSALA": ("Arbetsförmedlingen Uppsala", "UPP", 1),
}
CASEWORKER = "caseworker"  # the demo login of the case-worker role
# username -> (first name, last name, office, share of the office's caseload)
CASE_WORKERS = {
    CASEWORKER: ("Kari", "Nordmann", "NAV-TRD-HEIMDAL", 6),
    "demo.veileder": ("Silje", "Haugen", "NAV-TRD-HEIMDAL", 2),
    "nav.heimdal1": ("Ola", "Berg", "NAV-TRD-HEIMDAL", 2),
    "nav.lerkendal1": ("Marte", "Lie", "NAV-TRD-LERKENDAL", 1),
    "nav.lerkendal2": ("Jonas", "Aune", "NAV-TRD-LERKENDAL", 1),
    "nav.oslo1": ("Hanne", "Strand", "NAV-OSL-GRUNERLOKKA", 1),
    "nav.oslo2": ("Eirik", "Moen", "NAV-OSL-GRUNERLOKKA", 1),
    "nav.oslo3": ("Fatima", "Rahimi", "NAV-OSL-STOVNER", 1),
    "demo.sagsbehandler": ("Mette", "Kjær", "JC-KBH", 1),
    "jc.kbh1": ("Lars", "Holm", "JC-KBH", 1),
    "jc.aarhus1": ("Anders", "Vestergaard", "JC-AARHUS", 1),
    "jc.aarhus2": ("Camilla", "Bech", "JC-AARHUS", 1),
    "demo.handlaggare": ("Anna", "Lindqvist", "AF-GBG-HISINGEN", 1),
    "af.gbg1": ("Erik", "Sjöberg", "AF-GBG-HISINGEN", 1),
    "af.malmo1": ("Johan", "Nyström", "AF-MALMO", 1),
    "af.malmo2": ("Leila", "Karimi", "AF-MALMO", 1),
    "af.uppsala1": ("Karin", "Holmgren", "AF-UPPSALA", 1),
}

# The employer register: invented workplaces of each area, with a contact person.
# area -> [(name, contact's given name, contact's family name)]
EMPLOYERS = {
    "OSL": [("Akerselva Bakeri AS", "Ingrid", "Solheim"),
            ("Løkka Lager og Logistikk AS", "Per", "Myhre"),
            ("Groruddalen Bilpleie AS", "Vegard", "Lunde"),
            ("Tøyen Renhold og Service AS", "Hilde", "Brekke"),
            ("Kafé Blåklokke AS", "Maren", "Dahl"),
            ("Furuset Hage og Anlegg AS", "Knut", "Fjeld"),
            ("Bjølsen Trykk og Kopi AS", "Tone", "Aasen")],
    "TRD": [("Nidaros Matsentral AS", "Sindre", "Bakke"),
            ("Heimdal Bygg og Vedlikehold AS", "Øystein", "Nygård"),
            ("Lerkendal Dagligvare AS", "Astrid", "Berg"),
            ("Tiller Lagerhotell AS", "Jørgen", "Sæther"),
            ("Bakklandet Kaffebar AS", "Synnøve", "Moe"),
            ("Saupstad Vaskeri AS", "Eli", "Olsen"),
            ("Trøndersk Gjenbruk SA", "Håkon", "Larsen")],
    "KBH": [("Nørrebro Cykelværksted ApS", "Mads", "Sørensen"),
            ("Amager Lager og Logistik A/S", "Søren", "Rasmussen"),
            ("Café Solsort ApS", "Freja", "Madsen"),
            ("Valby Rengøring ApS", "Birgitte", "Mortensen"),
            ("Vesterbro Boghandel ApS", "Signe", "Christensen"),
            ("Sydhavnens Genbrugsværksted", "Line", "Østergaard"),
            ("Bispebjerg Gartneri ApS", "Niels", "Pedersen")],
    "AAR": [("Havnekantinen Aarhus ApS", "Jens", "Andersen"),
            ("Trøjborg Bageri ApS", "Karen", "Nielsen"),
            ("Brabrand Autoservice ApS", "Kasper", "Jørgensen"),
            ("Viby Varelager A/S", "Rasmus", "Larsen"),
            ("Gellerup Grønt ApS", "Louise", "Hansen"),
            ("Risskov Malerfirma ApS", "Thomas", "Jensen"),
            ("Åbyhøj Vaskeri ApS", "Julie", "Madsen")],
    "GBG": [("Hisingens Bageri AB", "Elin", "Karlsson"),
            ("Lundby Lager och Logistik AB", "Oskar", "Nilsson"),
            ("Kvillebäckens Café AB", "Frida", "Eriksson"),
            ("Biskopsgårdens Fastighetsservice AB", "Mattias", "Persson"),
            ("Älvens Cykelverkstad AB", "Sofia", "Larsson")],
    "MLM": [("Möllans Kafé och Bageri AB", "Malin", "Lindgren"),
            ("Hyllie Städ AB", "Gustav", "Olsson"),
            ("Sofielunds Återbruk ekonomisk förening", "Ebba", "Åberg"),
            ("Limhamns Trädgård AB", "Nils", "Ek"),
            ("Hamnlagret i Malmö AB", "Viktor", "Björklund")],
    "UPP": [("Fyrisåns Bokhandel AB", "Johanna", "Andersson"),
            ("Gottsunda Bilvård AB", "Olof", "Johansson"),
            ("Uppsala Kök och Catering AB", "Åsa", "Nilsson"),
            ("Årsta Lagerservice AB", "Björn", "Karlsson")],
}
LEGAL_FORMS = {"as", "sa", "aps", "a/s", "ab"}
MUNICIPALITY_OF_AREA = {"OSL": "Oslo", "TRD": "Trondheim", "KBH": "København", "AAR": "Aarhus",
                        "GBG": "Göteborg", "MLM": "Malmö", "UPP": "Uppsala"}

NAMES = {
    "NO": {
        "female": "Ingrid Kari Nora Emma Sara Ida Marte Hilde Tone Silje Ragnhild Maren Tuva "
                  "Astrid Eli Linn Synnøve Åse".split(),
        "male": "Ola Per Lars Jon Knut Magnus Henrik Even Sindre Øystein Tor Jørgen Are "
                "Vegard Håkon Eirik Steinar Bjørn".split(),
        "family": "Hansen Johansen Olsen Larsen Berg Haugen Dahl Lie Moe Strand Bakke Sæther "
                  "Aasen Solheim Myhre Ødegård Lunde Brekke Fjeld Nygård".split(),
    },
    "DK": {
        "female": "Mette Anne Sofie Ida Camilla Louise Freja Signe Maja Line Karen Birgitte "
                  "Astrid Julie".split(),
        "male": "Lars Søren Mads Rasmus Anders Jens Niels Mikkel Frederik Emil Jakob Bo "
                "Kasper Thomas".split(),
        "family": "Jensen Nielsen Hansen Pedersen Andersen Christensen Larsen Sørensen "
                  "Rasmussen Jørgensen Madsen Kjær Holm Bech Mortensen Østergaard".split(),
    },
    "SE": {
        "female": "Anna Karin Maria Sara Emma Elin Linnéa Johanna Frida Sofia Malin Ebba "
                  "Åsa Ingela".split(),
        "male": "Erik Johan Lars Anders Karl Per Oskar Viktor Gustav Nils Mattias Björn "
                "Olof Jonas".split(),
        "family": "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson "
                  "Lindqvist Sjöberg Holmgren Nyström Åberg Lindgren Ek Björklund".split(),
    },
    "other": {
        "female": "Amina Fatima Leila Maryam Hodan Aisha Nour Agnieszka Tigist Zahra Yasmin "
                  "Rahel".split(),
        "male": "Ahmed Mohammed Ali Yusuf Omar Tesfay Piotr Hassan Karim Dawit Reza "
                "Mustafa".split(),
        "family": "Hassan Ali Mohamud Abdi Haile Nowak Karimi Rahimi Yilmaz Tesfaye Ahmadi "
                  "Kowalski Osman Jama".split(),
    },
}
UNISEX = "Kim Robin Alex Sam Eli Noa Luca Charlie".split()

DURATION = {  # days in the measure: shortest, longest
    "assessment": (28, 100), "work_practice": (60, 200), "work_training": (90, 240),
    "course": (30, 90), "supported_employment": (120, 450), "education_support": (90, 330),
    "treatment_coordination": (120, 420), "other": (60, 365),
}
EARLY = ("dropped_out", "health", "moved", "other")
COMPLETING = ("got_job", "started_education", "other_support")
# Weights of the end reasons in the order: completed, got_job, started_education,
# other_support, dropped_out, health, moved, other.
END_REASONS = ("completed", *COMPLETING, *EARLY)
END_WEIGHTS = {
    "step": (78, 4, 1, 3, 6, 5, 1, 2),
    "supported_employment": (10, 45, 8, 8, 12, 10, 3, 4),
    "education_support": (15, 8, 45, 6, 10, 9, 3, 4),
    "last": (35, 15, 8, 12, 13, 10, 3, 4),
    "side": (50, 0, 0, 20, 12, 12, 3, 3),
}

@dataclass(frozen=True)
class Proportions:
    """What a programme's summary over its whole run should show, within
    SUMMARY_TOLERANCE (tests/test_seed_demo.py computes it): the share of those who ended
    who completed, and the share of completers in paid work or education. ``early`` and
    ``outcome`` scale the weights of the early end reasons and of the outcomes (ending
    for a job or for education, work found later) to get there."""

    completed: float
    completers_in_work_or_education: float
    early: float
    outcome: float


SUMMARY_TOLERANCE = 0.05
SUMMARY_PROPORTIONS = {
    # "På vej til arbejde" (Næstved Kommune and Psykiatrien Region Sjælland, 2017-2021,
    # evaluated by VIVE: sn.dk, "Individuel indsats på tværs hjælper psykisk sårbare"):
    # about 195 started and 148 completed (76 %), and 35 % of the completers had paid
    # hours or were in education (the figures as issue 9 of this project quotes them).
    # That programme had ended; the demo's is under way, so the 76 % is of those who ended.
    "PVA": Proportions(completed=0.76, completers_in_work_or_education=0.35,
                       early=0.65, outcome=0.2),
    # No published figures were found for a programme of these names (a search of stored
    # public pages for "Vilje viser vei" and "Inkluderande rehabilitering"): plausible
    # proportions instead, the IPS-heavy NAV programme above the Danish figure, the
    # Swedish coordination associations' participants (further from work) below it.
    "VVV": Proportions(completed=0.72, completers_in_work_or_education=0.45,
                       early=0.75, outcome=0.6),
    "INKR": Proportions(completed=0.62, completers_in_work_or_education=0.32,
                        early=1.0, outcome=0.25),
}
CHANNELS = ("meeting", "phone", "video", "message", "home_visit")
CHANNEL_WEIGHTS = (45, 25, 10, 13, 7)
VOICE_ITEMS = ("joy", "self_belief", "mastery", "structure", "heard")
FILE_COLUMNS = {spec.name: spec.columns for spec in schema.FILES}


def country_of(project_code: str) -> str:
    return COUNTRY_OF_PROGRAMME[project_code.split("-")[0]]


def country_of_area(area: str) -> str:
    return country_of(next(code for code in PARTICIPANTS_PER_PROJECT if f"-{area}" in code))


def demo_employers() -> dict[str, list[dict[str, str]]]:
    """area -> the area's employers as values of ``employer_create``. The e-mail addresses
    are under the reserved .example domain and no phone numbers are given, so nobody real
    can be reached through the demo."""
    # A stream of its own, so that the bundle's draws (and its proportions) stay as they are.
    rng = random.Random(f"employers {SEED}")
    employers, numbers = {}, set()
    for area, rows in EMPLOYERS.items():
        country = country_of_area(area)
        employers[area] = []
        for name, given, family in rows:
            number = _invented_organisation_number(rng, country)
            while number in numbers:
                number = _invented_organisation_number(rng, country)
            numbers.add(number)
            domain = "-".join(word for word in _ascii(name.lower()).split()
                              if word not in LEGAL_FORMS)
            employers[area].append({
                "name": name, "country": country, "organisation_number": number,
                "municipality": MUNICIPALITY_OF_AREA[area],
                "contact_name": f"{given} {family}",
                "contact_email": f"{_ascii(f'{given}.{family}'.lower())}@{domain}.example",
            })
    return employers


def _invented_organisation_number(rng: random.Random, country: str) -> str:
    """A number that passes python-stdnum's checks but that the register does not issue:
    Norwegian organisation numbers always begin with 8 or 9 (Brønnøysundregistrene), so
    these begin with 1; Swedish ones never have the group number 4, so these have it (the
    third digit at least 2, as in every organisation number); Danish CVR numbers are a
    running number now in the 40 millions, so these are in the 99 millions."""
    while True:
        if country == "NO":
            stem = f"1{rng.randint(0, 9_999_999):07d}"
            candidates = [f"{stem}{check}" for check in range(10)]
            number = next((c for c in candidates if no_orgnr.is_valid(c)), "")
        elif country == "DK":
            stem = f"99{rng.randint(0, 99_999):05d}"
            number = next((c for c in (f"{stem}{check}" for check in range(10))
                           if cvr.is_valid(c)), "")
        else:
            nine = f"4{rng.randint(0, 9)}{rng.randint(2, 9)}{rng.randint(0, 999_999):06d}"
            number = f"{nine}{luhn.calc_check_digit(nine)}"
        if number:
            return number


def _ascii(text: str) -> str:
    for letters, plain in (("æ", "ae"), ("ø", "o"), ("å", "a"), ("ä", "a"), ("ö", "o"),
                           ("é", "e"), ("ü", "u")):
        text = text.replace(letters, plain)
    return text


def anchor_for(today: dt.date) -> dt.date:
    """The demo's "today": REFERENCE_DAY moved by whole weeks to the last day before
    ``today`` that falls on its weekday."""
    return REFERENCE_DAY + dt.timedelta(weeks=(today - dt.timedelta(days=1) - REFERENCE_DAY).days
                                        // 7)


def project_start(code: str, anchor: dt.date) -> dt.date:
    """A demo project's start, moved with the anchor."""
    reference = dt.date.fromisoformat(next(p[3] for p in PROJECTS if p[0] == code))
    return reference + (anchor - REFERENCE_DAY)


def demo_bundle(*, seed: int = SEED, anchor: dt.date = REFERENCE_DAY
                ) -> dict[str, list[dict[str, str]]]:
    """The demo as file name -> rows; every value is already the CSV text."""
    return _Generator(random.Random(seed), anchor).bundle()


def write_demo_bundle(folder: Path | str, *, seed: int = SEED,
                      anchor: dt.date = REFERENCE_DAY) -> dict[str, int]:
    """Write the demo's CSV files into ``folder``; return the number of rows per file."""
    folder = Path(folder)
    counts = {}
    for name, rows in demo_bundle(seed=seed, anchor=anchor).items():
        with open(folder / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=FILE_COLUMNS[name], lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        counts[name] = len(rows)
    return counts


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _mod11(digits: str, weights: tuple[int, ...]) -> int:
    return (11 - sum(w * int(d) for w, d in zip(weights, digits, strict=False))) % 11


class _Generator:
    def __init__(self, rng: random.Random, anchor: dt.date):
        self.anchor = anchor
        self.rng = rng
        self.files: dict[str, list[dict[str, str]]] = {name: [] for name in FILE_COLUMNS}
        self.measures_by_area: dict[str, dict[str, list[str]]] = {}
        for code, _name, kind, *_rest in MEASURES:
            area = code.split("-")[1]
            self.measures_by_area.setdefault(area, {}).setdefault(kind, []).append(code)

    def bundle(self) -> dict[str, list[dict[str, str]]]:
        self.files["projects.csv"] = [
            dict(zip(FILE_COLUMNS["projects.csv"], self.moved(row), strict=True))
            for row in PROJECTS]
        self.files["providers.csv"] = [
            dict(zip(FILE_COLUMNS["providers.csv"], row, strict=True)) for row in PROVIDERS]
        self.files["measures.csv"] = [
            {"code": code, "name": name, "measure_type": kind, "provider_code": provider,
             "setting": setting, "capacity": "" if capacity is None else str(capacity)}
            for code, name, kind, provider, setting, capacity in MEASURES]
        number = 0
        for project_code, count in PARTICIPANTS_PER_PROJECT.items():
            for _ in range(count):
                number += 1
                self.participant(f"{REF_PREFIX}{number:04d}", project_code)
        return self.files

    def moved(self, project: tuple) -> tuple:
        """A PROJECTS row with its start and end moved with the anchor."""
        code, name, parent, starts_on, ends_on, *targets = project
        shift = self.anchor - REFERENCE_DAY
        ends_on = (dt.date.fromisoformat(ends_on) + shift).isoformat() if ends_on else ""
        return (code, name, parent, project_start(code, self.anchor).isoformat(), ends_on,
                *targets)

    def participant(self, ref: str, project_code: str) -> None:
        rng = self.rng
        country, area = country_of(project_code), project_code.split("-")[1]
        self.area, self.spells = area, set()
        self.proportions = SUMMARY_PROPORTIONS[project_code.split("-")[0]]
        young = project_code.endswith("-UNG")
        birth_year = rng.randint(1996, 2006) if young else round(rng.triangular(1960, 2006, 1990))
        gender = rng.choices(("female", "male", "other"), (49, 48, 3))[0]
        immigrant = rng.random() < (0.3 if country == "SE" else 0.2)
        names = NAMES["other" if immigrant and rng.random() < 0.75 else country]
        given = rng.choice(UNISEX if gender == "other" else names[gender])
        offices = [code for code, (_n, office_area, _w) in OFFICES.items() if office_area == area]
        office = rng.choices(offices, [OFFICES[code][2] for code in offices])[0]
        workers = [name for name, (*_n, o, _w) in CASE_WORKERS.items() if o == office]
        primary = rng.choices(workers, [CASE_WORKERS[name][3] for name in workers])[0]
        national_id = ""
        if rng.random() < {"NO": 0.7, "DK": 0.6, "SE": 0.5}[country]:
            birth = dt.date(birth_year, 1, 1) + _days(rng.randint(0, 364))
            national_id = self.national_id(country, birth, gender, foreign=immigrant)
        consent = {"NO": "", "DK": rng.choices(("true", "false"), (93, 7))[0],
                   "SE": rng.choices(("true", "false", ""), (90, 5, 5))[0]}[country]
        self.files["participants.csv"].append({
            "ref": ref, "project_code": project_code, "office": office,
            "birth_year": str(birth_year), "gender": gender,
            "immigrant_background": _bool(immigrant), "primary_case_worker": primary,
            "given_name": given, "family_name": rng.choice(names["family"]),
            "national_id": national_id, "national_id_country": country if national_id else "",
            "evaluation_consent": consent,
        })
        start = max(project_start(project_code, self.anchor), self.anchor - _days(4 * 365))
        # Most came in while the programmes grew; some are this spring's new intake.
        span = (self.anchor - start).days - 5
        first_referral = start + _days(round(rng.triangular(0, span, span * 0.7)))
        if rng.random() < 0.1:
            first_referral = self.anchor - _days(rng.randint(3, 120))
        enrollments = self.history(ref, young, first_referral)
        for number, row in enumerate(sorted(enrollments, key=lambda e: e["referred_on"]), 1):
            self.files["enrollments.csv"].append({"ref": f"{ref}-E{number:02d}", **row})
        colleagues = [w for w in workers if w != primary]
        self.follow_ups(ref, primary, colleagues, first_referral, enrollments)
        self.responses(ref, enrollments)

    def national_id(self, country: str, birth: dt.date, gender: str, *, foreign: bool) -> str:
        """A random number that passes the country's checks, verified by the function the
        import uses. Some foreign-born people get the number for those without a residence:
        a Norwegian D-number (day + 40) or a Swedish samordningsnummer (day + 60)."""
        rng = self.rng
        while True:
            odd = {"male": True, "female": False}.get(gender, rng.random() < 0.5)
            if country == "NO":
                day = birth.day + (40 if foreign and rng.random() < 0.3 else 0)
                # The individual number tells the century; its last digit, the gender.
                individual = rng.randint(0, 498) if birth.year < 2000 else rng.randint(500, 998)
                individual += (individual % 2 == 1) != odd
                number = f"{day:02d}{birth:%m%y}{individual:03d}"
                first = _mod11(number, (3, 7, 6, 1, 8, 9, 4, 5, 2))
                second = _mod11(f"{number}{first}", (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
                if 10 in (first, second):
                    continue  # a check digit of 10: such individual numbers are never issued
                number += f"{first}{second}"
            elif country == "DK":
                # The serial number's first digit tells the century; its last, the gender.
                serial = rng.randint(0, 3998) if birth.year < 2000 else rng.randint(4000, 4998)
                serial += (serial % 2 == 1) != odd
                number = f"{birth:%d%m%y}-{serial:04d}"
            else:
                day = birth.day + (60 if foreign and rng.random() < 0.3 else 0)
                serial = rng.randint(0, 998)
                serial += (serial % 2 == 1) != odd
                nine = f"{birth:%y%m}{day:02d}{serial:03d}"
                number = f"{nine[:6]}-{nine[6:]}{luhn.calc_check_digit(nine)}"
            normalize_national_id(number, country)  # raises if the generator is wrong
            return number

    def pathway(self, young: bool) -> list[str]:
        """Kinds of measure in the order of referral: assessment, one or two training
        steps, then supported employment (or, for the young, support in education)."""
        rng, kinds = self.rng, self.measures_by_area[self.area]
        pathway = ["assessment"] if "assessment" in kinds and rng.random() < 0.9 else []
        if young and "education_support" in kinds and rng.random() < 0.45:
            return [*pathway, "education_support"]
        middle = [k for k in ("course", "work_practice", "work_training", "other") if k in kinds]
        if middle and (rng.random() < 0.9 or not pathway):
            pathway += sorted(rng.sample(middle, 2 if len(middle) > 1 and rng.random() < 0.6
                                         else 1), key=middle.index)
        if "supported_employment" in kinds and rng.random() < 0.8:
            pathway.append("supported_employment")
        return pathway

    def history(self, ref: str, young: bool, referred: dt.date) -> list[dict]:
        """Referrals along a pathway, some withdrawn or ended early, the last ones still
        waiting or under way; sometimes a parallel measure with the treatment service."""
        rng = self.rng
        kinds = self.measures_by_area[self.area]
        pathway, position, retried, reentered = self.pathway(young), 0, False, False
        enrollments = []
        while position < len(pathway) and referred <= self.anchor:
            kind, last = pathway[position], position == len(pathway) - 1
            row = self.enrollment(ref, kind, referred, None if last else "step")
            enrollments.append(row)
            if row["end_reason"] == "not_started":
                referred = dt.date.fromisoformat(row["ended_on"]) + _days(rng.randint(3, 30))
                position += retried  # referred once more to the same kind of measure
                retried = not retried
                continue
            if not row["ended_on"]:
                if row["started_on"] and not last and rng.random() < 0.5:
                    next_referral = self.anchor - _days(rng.randint(0, 40))
                    if next_referral >= dt.date.fromisoformat(row["started_on"]):
                        # referred on while still in this measure, and now waiting
                        enrollments.append(self.enrollment(
                            ref, pathway[position + 1], next_referral, None, waiting=True))
                break
            reason, ended = row["end_reason"], dt.date.fromisoformat(row["ended_on"])
            if reason in ("other_support", *EARLY) and last and not reentered and (
                    rng.random() < 0.5):
                # back after a while, this time straight to a work-oriented measure
                pathway += [k for k in ("work_practice", "supported_employment") if k in kinds]
                reentered, referred = True, ended + _days(rng.randint(60, 240))
                position, retried = position + 1, False
                continue
            if reason in COMPLETING or reason == "moved" or (
                    reason in EARLY and rng.random() < 0.2):
                break
            pause = rng.randint(60, 180) if reason == "health" else 0
            referred = max(dt.date.fromisoformat(row["referred_on"]),
                           ended - _days(rng.randint(0, 21))) + _days(pause)
            position, retried = position + 1, False
        side = [k for k in ("treatment_coordination", "other") if k in kinds and k not in pathway]
        if side and enrollments and rng.random() < 0.5:
            first = dt.date.fromisoformat(enrollments[0]["referred_on"])
            side_referral = first + _days(rng.randint(0, 90))
            if side_referral <= self.anchor:
                enrollments.append(self.enrollment(ref, rng.choice(side), side_referral, "side"))
        return enrollments

    def enrollment(self, ref: str, kind: str, referred: dt.date, weights: str | None, *,
                   waiting: bool = False) -> dict[str, str]:
        rng = self.rng
        row = {"participant_ref": ref,
               "measure_code": rng.choice(self.measures_by_area[self.area][kind]),
               "referred_on": referred.isoformat(), "started_on": "", "ended_on": "",
               "end_reason": ""}
        if waiting:
            return row
        if rng.random() < 0.07:
            withdrawn = referred + _days(rng.randint(5, 45))
            if withdrawn <= self.anchor:
                row.update(ended_on=withdrawn.isoformat(), end_reason="not_started")
            return row
        wait = rng.randint(2, 40) + (rng.randint(20, 70) if rng.random() < 0.2 else 0)  # queue
        started = referred + _days(wait)
        if started > self.anchor:
            return row
        row["started_on"] = started.isoformat()
        ended = started + _days(rng.randint(*DURATION[kind]))
        outcome = self.proportions.outcome
        if ended > self.anchor:
            if kind == "supported_employment" and rng.random() < 0.35 * outcome:
                self.outcome(ref, "work", started + _days(rng.randint(30, 150)), part_time=True)
            return row
        key = weights or (kind if kind in END_WEIGHTS else "last")
        reason = rng.choices(END_REASONS, self.end_weights(key))[0]
        row.update(ended_on=ended.isoformat(), end_reason=reason)
        if reason == "got_job":
            self.outcome(ref, "work", max(started, ended - _days(rng.randint(0, 20))))
        elif reason == "started_education":
            self.outcome(ref, "education", ended + _days(rng.randint(0, 40)))
        elif reason == "completed" and weights is None and rng.random() < 0.2 * outcome:
            self.outcome(ref, "work", ended + _days(rng.randint(14, 120)))
        return row

    def end_weights(self, key: str) -> list[float]:
        """END_WEIGHTS[key] scaled to the programme's proportions."""
        scale = {**dict.fromkeys(EARLY, self.proportions.early),
                 **dict.fromkeys(("got_job", "started_education"), self.proportions.outcome)}
        return [weight * scale.get(reason, 1)
                for reason, weight in zip(END_REASONS, END_WEIGHTS[key], strict=True)]

    def outcome(self, ref: str, kind: str, started: dt.date, *, part_time: bool = False) -> None:
        rng = self.rng
        if started > self.anchor:
            return
        if (kind, started) in self.spells:
            return
        self.spells.add((kind, started))
        ended = started + _days(rng.randint(60, 500)) if rng.random() < 0.25 else None
        hours = ""
        if kind == "work":
            choices = (8, 10, 12, 15, 20) if part_time else (10, 15, 20, 22.5, 25, 30, 37.5)
            hours = f"{rng.choice(choices):g}"
        self.files["outcomes.csv"].append({
            "participant_ref": ref, "kind": kind, "started_on": started.isoformat(),
            "ended_on": ended.isoformat() if ended and ended <= self.anchor else "",
            "hours_per_week": hours,
        })

    def follow_ups(self, ref: str, primary: str, colleagues: list[str], first: dt.date,
                   enrollments: list[dict]) -> None:
        """Contacts spread from the first referral to some weeks after the last end."""
        rng = self.rng
        spans = [(dt.date.fromisoformat(e["started_on"]),
                  dt.date.fromisoformat(e["ended_on"]) if e["ended_on"] else self.anchor,
                  e["measure_code"]) for e in enrollments if e["started_on"]]
        open_case = any(not e["ended_on"] for e in enrollments)
        ends = [dt.date.fromisoformat(e["ended_on"]) for e in enrollments if e["ended_on"]]
        last = self.anchor if open_case or not ends else min(self.anchor, max(ends) + _days(
            rng.randint(0, 45)))
        span = (last - first).days
        count = min(rng.randint(5, 15), span // 10 + 1)
        kinds = {code: kind for code, _n, kind, *_rest in MEASURES}
        for offset in sorted(rng.sample(range(span + 1), count)):
            day = first + _days(offset)
            active = {kinds[code] for start, end, code in spans if start <= day <= end}
            at_work = bool(active & {"work_practice", "supported_employment"})
            with_employer = rng.random() < (0.3 if at_work else 0.02)
            with_treatment = rng.random() < (0.35 if "treatment_coordination" in active
                                             else 0.07)
            channel = rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
            worker = rng.choice(colleagues) if colleagues and rng.random() < 0.15 else primary
            self.files["follow_ups.csv"].append({
                "participant_ref": ref, "occurred_on": day.isoformat(), "case_worker": worker,
                "channel": "meeting" if with_employer else channel,
                "with_employer": _bool(with_employer), "with_treatment": _bool(with_treatment),
            })

    def responses(self, ref: str, enrollments: list[dict]) -> None:
        """The voice questionnaire near the first start, and again near the exit (or half
        a year on, for those still in a measure)."""
        rng = self.rng
        starts = sorted(e["started_on"] for e in enrollments if e["started_on"])
        if not starts or rng.random() < 0.25:
            return
        baseline = dt.date.fromisoformat(starts[0]) + _days(rng.randint(0, 14))
        ended_all = all(e["ended_on"] for e in enrollments)
        if ended_all:
            final = max(dt.date.fromisoformat(e["ended_on"]) for e in enrollments)
            final -= _days(rng.randint(0, 10))
        else:
            final = baseline + _days(rng.randint(150, 200))
        dates = [d for d in (baseline, final) if d <= self.anchor]
        if len(dates) == 2 and (final - baseline).days < 30:
            dates.pop()
        got_work = any(kind == "work" for kind, _started in self.spells)
        for item in VOICE_ITEMS:
            score = rng.choices((1, 2, 3, 4, 5), (15, 30, 30, 18, 7))[0]
            for number, day in enumerate(dates):
                if number:
                    change = rng.choices((-1, 0, 1, 2), (12, 33, 38, 17))[0] + got_work
                    score = min(5, max(1, score + change))
                if rng.random() < 0.07:
                    continue  # left unanswered
                self.files["responses.csv"].append({
                    "participant_ref": ref, "answered_on": day.isoformat(),
                    "instrument": "voice", "item": item, "score": str(score)})
