"""The demo bundle drawn from the tables: the generator of the invented case histories
and the writer of the CSV files."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from stdnum import luhn

from evaluations.exchange import schema
from participants.identity import normalize_national_id

from .data import (
    CASE_WORKERS,
    CHANNEL_WEIGHTS,
    CHANNELS,
    COMPLETING,
    DURATION,
    EARLY,
    END_REASONS,
    END_WEIGHTS,
    MEASURES,
    NAMES,
    OFFICES,
    PARTICIPANTS_PER_PROJECT,
    PROJECTS,
    PROVIDERS,
    REF_PREFIX,
    REFERENCE_DAY,
    SEED,
    SUMMARY_PROPORTIONS,
    UNISEX,
    VOICE_ITEMS,
    country_of,
    project_start,
)

FILE_COLUMNS = {spec.name: spec.columns for spec in schema.FILES}


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
        # About one job in five is over within the first three months, as in the IPS
        # evaluations (the retention figures would read 100 % otherwise). Drawn from a
        # generator of its own, so that everything else in the demo stays as it was.
        short = random.Random(f"short job {ref} {started.isoformat()}")
        if kind == "work" and short.random() < 0.2:
            ended = started + _days(short.randint(14, 85))
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
