"""The performance figures, measured against the database in DATABASE_URL.

    python benchmarks/run.py --participants N [--seed S] [--page-seconds 30] [--users 16]
                             [--think 1 3] [--no-full-snapshots] [--check]

Fills the database with N synthetic participants (generate_synthetic) unless it already
holds them, then prints one JSON object per figure, and a table at the end:

- vacuum_s: VACUUM (ANALYZE) of the database first, so that it is measured as autovacuum
  leaves it rather than as a bulk load does;
- indicators_s, indicators_by_s: one year of indicators without and with --by provider
  (median of 3);
- snapshots_full_s: every snapshot of every scope computed from scratch (as after an
  upgrade; skipped with --no-full-snapshots);
- snapshots_s: the nightly snapshot job after a day of case work (a follow-up today for
  one participant in 200, saved through the models), in this process;
- page_p95_ms (caseload, participant page, dashboard): USERS simulated users for
  PAGE_SECONDS against gunicorn on 127.0.0.1, each waiting 1 to 3 s between pages
  (--think), with the error count;
- export_s, export_peak_mb: export_bundle of everything, in a process of its own;
- baseline_ratio: our one-year indicators' time divided by the time pandas takes to load
  the exported bundle and compute the same headline indicators (benchmarks/requirements.txt).

Use a database of its own: the run adds data and users.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")

from benchmarks.export_bundle import run_export  # noqa: E402

TARGETS = {"indicators_s": 10, "indicators_by_s": 15, "snapshots_s": 1800,
           "page_p95_ms": 200, "export_s": 180, "export_peak_mb": 300, "baseline_ratio": 1}
PASSWORD = "benchmark-password-2026"
results: list[dict] = []
baseline_figures: dict = {}


def figure(name: str, n: int, value, unit: str, **extra) -> None:
    row = {"figure": name, "participants": n, "value": value, "unit": unit,
           "target": TARGETS.get(name.split("[")[0]), **extra}
    results.append(row)
    print(json.dumps(row), flush=True)


def timed(function, repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--page-seconds", type=float, default=30)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--think", type=float, nargs=2, default=(1.0, 3.0),
                        metavar=("MIN", "MAX"),
                        help="seconds a simulated user waits between pages (locust's between)")
    parser.add_argument("--no-full-snapshots", action="store_true",
                        help="skip computing every snapshot from scratch (hours at 1,000,000)")
    parser.add_argument("--skip", nargs="+", default=(), metavar="PART",
                        choices=("indicators", "snapshots", "pages", "export"),
                        help="leave these figures out (indicators, snapshots, pages, export)")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless every figure was produced and no page failed "
                             "(the CI smoke run; timings are not judged)")
    args = parser.parse_args()
    n = args.participants

    import django

    django.setup()
    from django.core.management import call_command

    from evaluations.indicators import IndicatorQuery, compute
    from participants.models import Participant

    call_command("migrate", verbosity=0)
    if Participant.objects.count() < n:
        call_command("generate_synthetic", participants=n - Participant.objects.count(),
                     seed=args.seed, verbosity=0)
    figure("vacuum_s", n, round(timed(vacuum), 1), "s")
    year_end = dt.date.today() - dt.timedelta(days=1)
    year = IndicatorQuery(year_end - dt.timedelta(days=364), year_end, None, None)
    by_provider = IndicatorQuery(year.date_from, year.date_to, None, "provider")
    ours = None
    if "indicators" not in args.skip:
        ours = timed(lambda: compute(year), repeat=3)
        figure("indicators_s", n, round(ours, 3), "s")
        figure("indicators_by_s", n, round(timed(lambda: compute(by_provider), repeat=3), 3),
               "s")
    if "snapshots" not in args.skip:
        if not args.no_full_snapshots:
            figure("snapshots_full_s", n, round(timed(lambda: nightly_job(full=True)), 1), "s")
        a_day_of_case_work(args.seed)
        figure("snapshots_s", n, round(timed(nightly_job), 1), "s")
    if "pages" not in args.skip:
        for name, p95, errors in page_load(args.users, args.page_seconds, args.think):
            figure(f"page_p95_ms[{name}]", n, p95, "ms", errors=errors)
    if "export" not in args.skip:
        work = Path(tempfile.mkdtemp(prefix="bench-run-"))
        try:
            seconds, peak = run_export(work / "all.zip")
            figure("export_s", n, round(seconds, 1), "s")
            figure("export_peak_mb", n, round(peak, 1), "MB")
            if ours is not None:
                theirs = pandas_baseline(work / "all.zip", year.date_from, year.date_to)
                figure("baseline_ratio", n,
                       None if theirs is None else round(ours / theirs, 3), "ratio",
                       baseline_s=theirs)
        finally:
            shutil.rmtree(work)
    summary()
    if args.check:
        missing = [row["figure"] for row in results
                   if row["value"] is None or row.get("errors")]
        expected = {"indicators_s", "indicators_by_s", "snapshots_s", "export_s",
                    "export_peak_mb", "baseline_ratio"}
        absent = expected - {row["figure"] for row in results}
        pages = [row for row in results if row["figure"].startswith("page_p95_ms")]
        if missing or absent or len(pages) != 3:
            print(f"not every figure was produced: {sorted(set(missing) | absent)}",
                  file=sys.stderr)
            sys.exit(1)


def vacuum() -> None:
    """Measure a database in its steady state, as autovacuum leaves it. Right after a bulk
    load no row is marked all-visible: every read checks the commit log and marks the
    rows, and no index-only scan is possible. At 1,000,000 that made one year of
    indicators 18.6 s instead of 12.1 s and the caseload page 207 ms instead of 96 ms."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


def nightly_job(full: bool = False) -> None:
    """The nightly snapshot job (refresh_all_snapshots), in this process."""
    from evaluations.snapshots import service

    for project_id in service.all_scope_project_ids():
        service.refresh_scope(project_id, trigger="nightly", full=full)


def a_day_of_case_work(seed: int) -> None:
    """What a working day adds: a follow-up today for one participant in 200, written
    through the models as the pages do, so the snapshots learn what changed."""
    import random

    from django.db import transaction
    from django.utils import timezone

    from participants.models import FollowUp, Participant

    ids = list(Participant.objects.values_list("pk", "primary_case_worker_id"))
    chosen = random.Random(seed).sample(ids, max(1, len(ids) // 200))
    with transaction.atomic():
        for participant_id, case_worker_id in chosen:
            if case_worker_id is not None:
                FollowUp.objects.create(participant_id=participant_id,
                                        case_worker_id=case_worker_id,
                                        occurred_on=timezone.localdate(), channel="phone")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def page_load(users: int, seconds: float, think: tuple[float, float]
              ) -> list[tuple[str, float, int]]:
    """p95 of three pages under ``users`` simulated users for ``seconds``, against
    gunicorn: each user opens the page, waits ``think`` seconds (uniformly between the
    two), and again, as locust's users do."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from evaluations.models import Project
    from participants.models import Participant

    User = get_user_model()
    worker = Participant.objects.filter(ref__startswith="SYN-").values_list(
        "primary_case_worker", flat=True).first()
    case_worker = User.objects.get(pk=worker)
    lead, _ = User.objects.get_or_create(username="bench-lead")
    for user in (case_worker, lead):
        user.set_password(PASSWORD)
        user.is_active = True
        user.save()
    Group.objects.get(name="project_lead").user_set.add(lead)
    Project.objects.get(code="SYN").leads.add(lead)
    participant = Participant.objects.filter(primary_case_worker=case_worker).first()
    pages = {"caseload": (case_worker, "/caseload/"),
             "participant": (case_worker, f"/participants/{participant.pk}/"),
             "dashboard": (lead, "/evaluations/dashboard/")}
    port = free_port()
    env = {**os.environ, "REQUIRE_TWO_FACTOR": "0", "DEBUG": os.environ.get("DEBUG", "1")}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", "4", "--log-level", "warning", "rehab.wsgi:application"],
        cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        found = []
        for name, (user, path) in pages.items():
            opener = signed_in(base, user.username)
            found.append((name, *hammer(opener, base + path, users, seconds, think)))
        return found
    finally:
        server.terminate()
        server.wait(timeout=30)


def signed_in(base: str, username: str):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username,
                                   "password": PASSWORD}).encode()
    opener.open(urllib.request.Request(base + "/accounts/login/", data=data,
                                       headers={"Referer": base + "/accounts/login/"}))
    return opener


def hammer(opener, url: str, users: int, seconds: float, think: tuple[float, float]
           ) -> tuple[float, int]:
    import random

    timings: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def user_loop():
        nonlocal errors
        time.sleep(random.uniform(0, think[1]))  # users arrive over time, not all at once
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                response = opener.open(url, timeout=30)
                response.read()
                ok = response.status == 200 and response.geturl() == url
            except OSError:
                ok = False
            with lock:
                timings.append((time.perf_counter() - started) * 1000)
                errors += 0 if ok else 1
            time.sleep(random.uniform(*think))

    for _ in range(3):  # warm up: each server process compiles templates and connects once
        opener.open(url, timeout=30).read()
    threads = [threading.Thread(target=user_loop) for _ in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))] if timings else None
    return (round(p95, 1) if p95 is not None else None), errors


def pandas_baseline(bundle: Path, start: dt.date, end: dt.date) -> float | None:
    """What an evaluator does without the system: load the bundle with pandas and compute
    one year's indicators as of its last day. It loads every file the indicators need
    (enrollments, outcomes, follow-ups, answers) and computes the headline families:
    referrals, starts, new participants, active, participants, exits with their completed
    and early-end rates, work or education within 180 days of exit, continuity of the case
    worker, follow-up within 30 days, contact with employers and treatment, and the voice
    change. On the example bundle these equal the engine's, except the voice change
    (its pairing of answers is simplified here). Fewer figures than the engine's 36, so
    the ratio flatters pandas a little."""
    try:
        import pandas as pd
    except ImportError:
        return None
    import zipfile

    started = time.perf_counter()
    low, high = pd.Timestamp(start), pd.Timestamp(end)
    with zipfile.ZipFile(bundle) as archive:
        def load(name, dates, **options):
            return pd.read_csv(archive.open(name), parse_dates=dates, **options)

        enrollments = load("enrollments.csv", ["referred_on", "started_on", "ended_on"],
                           usecols=["ref", "participant_ref", "referred_on", "started_on",
                                    "ended_on", "end_reason"])
        outcomes = load("outcomes.csv", ["started_on", "ended_on"],
                        usecols=["participant_ref", "kind", "started_on", "ended_on"])
        follow_ups = load("follow_ups.csv", ["occurred_on"])
        answers = load("responses.csv", ["answered_on"])
    figures = {}
    # As of the year's last day: later referrals do not exist, later dates are empty.
    e = enrollments[enrollments["referred_on"] <= high].copy()
    e.loc[e["started_on"] > high, "started_on"] = pd.NaT
    late_end = e["ended_on"] > high
    e.loc[late_end, "ended_on"] = pd.NaT
    e.loc[late_end, "end_reason"] = None
    figures["referrals"] = int(e["referred_on"].between(low, high).sum())
    figures["starts"] = int(e["started_on"].between(low, high).sum())
    begun = e[e["started_on"].notna()]
    per = begun.groupby("participant_ref").agg(
        programme_start=("started_on", "min"), exit_date=("ended_on", "max"),
        open=("ended_on", lambda ended: ended.isna().any()))
    figures["new_participants"] = int(per["programme_start"].between(low, high).sum())
    figures["active"] = int(per["open"].sum())
    figures["participants"] = int((per["open"] | (per["exit_date"] >= low)).sum())
    waiting = set(e.loc[e["started_on"].isna() & e["ended_on"].isna(), "participant_ref"])
    exits = per[~per["open"] & per["exit_date"].between(low, high)
                & ~per.index.isin(list(waiting))].copy()
    last = begun.sort_values(["participant_ref", "ended_on", "started_on", "ref"]).groupby(
        "participant_ref").tail(1).set_index("participant_ref")["end_reason"]
    exits["end_reason"] = last.reindex(exits.index)
    figures["exits"] = len(exits)
    figures["completed_rate"] = exits["end_reason"].isin(
        ["completed", "got_job", "started_education", "other_support"]).mean()
    figures["dropout_rate"] = exits["end_reason"].isin(
        ["dropped_out", "health", "moved", "other"]).mean()
    spells = outcomes[outcomes["started_on"] <= high].merge(
        exits[["programme_start", "exit_date"]], left_on="participant_ref", right_index=True)
    window_end = (spells["exit_date"] + pd.Timedelta(days=180)).clip(upper=high)
    in_window = (spells["started_on"] <= window_end) & (
        spells["ended_on"].isna() | (spells["ended_on"] >= spells["programme_start"]))
    reached = spells[in_window].groupby("participant_ref")["kind"].agg(set)
    figures["work_or_education_rate"] = len(reached) / max(len(exits), 1)
    held = follow_ups[follow_ups["occurred_on"] <= high].merge(
        exits[["programme_start", "exit_date"]], left_on="participant_ref", right_index=True)
    held = held[held["occurred_on"].between(held["programme_start"], held["exit_date"])]
    workers = held.groupby("participant_ref")["case_worker"].nunique()
    figures["continuity_rate"] = (workers == 1).mean()
    recent = follow_ups["occurred_on"].between(high - pd.Timedelta(days=29), high)
    followed = set(follow_ups.loc[recent, "participant_ref"])
    active = per.index[per["open"]]
    figures["followed_up_30d_rate"] = active.isin(list(followed)).mean()
    in_year = follow_ups[follow_ups["occurred_on"].between(low, high)]
    def share(column):
        return (in_year[column].astype(str).str.lower() == "true").mean()

    figures["employer_contact_share"] = share("with_employer")
    figures["treatment_contact_share"] = share("with_treatment")
    voice = answers[(answers["instrument"] == "voice") & (answers["answered_on"] <= high)]
    responses = voice.groupby(["participant_ref", "answered_on"])["score"].mean().reset_index()
    paired = responses.merge(exits[["programme_start", "exit_date"]],
                             left_on="participant_ref", right_index=True)
    baseline = paired[(paired["answered_on"] - paired["programme_start"]).abs()
                      <= pd.Timedelta(days=30)].groupby("participant_ref").first()
    final = paired[paired["answered_on"].between(paired["exit_date"] - pd.Timedelta(days=30),
                                                 paired["exit_date"] + pd.Timedelta(days=90))
                   ].groupby("participant_ref").last()
    both = baseline.merge(final, left_index=True, right_index=True, how="inner",
                          suffixes=("_first", "_last"))
    figures["voice_change_mean"] = (both["score_last"] - both["score_first"]).mean()
    seconds = round(time.perf_counter() - started, 3)
    baseline_figures.clear()
    baseline_figures.update(figures)  # to check the baseline against the engine by hand
    return seconds


def summary() -> None:
    print("\nfigure                         participants       value  unit     target  ok")
    for row in results:
        value, target = row["value"], row["target"]
        ok = "" if value is None or target is None else (
            "yes" if (value < target if row["figure"] == "baseline_ratio" else
                      value <= target) and not row.get("errors") else "no")
        print(f"{row['figure']:<30} {row['participants']:>12,} {value!s:>11}  "
              f"{row['unit']:<7} {target!s:>6}  {ok}")


if __name__ == "__main__":
    main()
