"""The demo's fixed tables (programmes, providers, measures, offices, case workers,
employers, names, how long measures last and how they end, the proportions each programme's
summary is drawn to) and the lookups and dates that hang on them."""

import datetime as dt
from dataclasses import dataclass

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


def country_of(project_code: str) -> str:
    return COUNTRY_OF_PROGRAMME[project_code.split("-")[0]]


def country_of_area(area: str) -> str:
    return country_of(next(code for code in PARTICIPANTS_PER_PROJECT if f"-{area}" in code))


def anchor_for(today: dt.date) -> dt.date:
    """The demo's "today": REFERENCE_DAY moved by whole weeks to the last day before
    ``today`` that falls on its weekday."""
    return REFERENCE_DAY + dt.timedelta(weeks=(today - dt.timedelta(days=1) - REFERENCE_DAY).days
                                        // 7)


def project_start(code: str, anchor: dt.date) -> dt.date:
    """A demo project's start, moved with the anchor."""
    reference = dt.date.fromisoformat(next(p[3] for p in PROJECTS if p[0] == code))
    return reference + (anchor - REFERENCE_DAY)
