"""The indicator definitions as project leads read them next to each figure: the text of
INDICATORS.md in plain words, translated. The codes are the contract's; a test checks that
every indicator has its text here.
"""

from django.utils.translation import gettext_lazy as _

# The concepts the definitions rely on, in the order a reader needs them.
CONCEPTS = (
    ("period", _("The period"),
     _("Every figure is computed for a period from its first to its last day, both "
       "included, and optionally for one project together with all its sub-projects.")),
    ("as-of", _("As of the last day"),
     _("Everything dated after the last day of the period is treated as not yet "
       "happened: a referral after it does not exist, a start or end after it counts as "
       "not yet there, and work or education that ends after it is still ongoing.")),
    ("programme-start", _("Programme start"),
     _("The earliest start of any of the participant's measures.")),
    ("active-waiting", _("Active and waiting"),
     _("A participant is active at the end of the period when a measure has started and "
       "not ended. A referral is waiting when it has neither started nor ended.")),
    ("exit", _("Exit and exit cohort"),
     _("A participant has exited when a measure has started, none is active and none is "
       "waiting. The exit date is the latest end among the started measures, and that "
       "measure's end reason says whether the exit was completed (completed, got a job, "
       "started education, other support) or early (dropped out, health, moved, other). "
       "The exit cohort is everyone whose exit date falls in the period.")),
    ("outcome-window", _("Outcome window"),
     _("For someone in the exit cohort: from programme start to 180 days after the exit "
       "(but not past the end of the period). Work or education counts when it overlaps "
       "this window, so a job that began before the programme and went on counts too.")),
    ("quarters", _("Quarters after exit"),
     _("Calendar quarters. For an exit in the first quarter, the 2nd quarter after is the "
       "third quarter of the same year and the 4th quarter after is the first quarter of "
       "the next year.")),
    ("first-job", _("First job"),
     _("The earliest work that starts on or after programme start (work that began "
       "before the programme does not count here). The job cohort is those whose first "
       "job started in the period and at least 90 days before its end.")),
    ("voice", _("The participant's own view"),
     _("The mean of the answered items of the voice questionnaire on one day (items left "
       "out are ignored). The baseline is the earliest answer from 30 days before to 30 "
       "days after programme start; the final one the latest answer from 30 days before "
       "to 90 days after the exit, after the baseline. Someone with both is a pair.")),
    ("small-numbers", _("Small numbers"),
     _("To protect privacy, a count from 1 to 4 is shown as “<5”, and a share, mean or "
       "median over 1 to 4 people, referrals or follow-ups is not shown. When one cell of "
       "a breakdown is hidden, the next smallest is hidden too, so the hidden value cannot "
       "be worked out from the total. The same holds over time: when a month or quarter of "
       "the trend is hidden, the next smallest month or quarter of the same quarter, year "
       "or 12 months is hidden too.")),
    ("breakdowns", _("Breakdowns"),
     _("A breakdown by provider, type of measure or setting uses the measure the "
       "indicator is about: the enrollment itself, the first, the latest active, the latest "
       "in the period (for participants in the period), the exit or the job enrollment; "
       "the follow-up shares have none and are left empty there. Age is the year of the "
       "referral (for referrals, starts and "
       "waiting), of the follow-up (for the follow-up shares) or of programme start (for "
       "the rest), minus the birth year. The project breakdown uses each participant's "
       "own project, not its parent.")),
)

DEFINITIONS = {
    "referrals": _("Referrals made in the period."),
    "starts": _("Measures started in the period."),
    "new_participants": _("Participants whose programme start falls in the period."),
    "active": _("Participants with a measure that has started and not ended at the end of "
                "the period."),
    "waiting": _("Referrals waiting at the end of the period: neither started nor ended."),
    "waiting_age_median": _("Median number of days the referrals waiting at the end of "
                            "the period have waited so far."),
    "wait_days_mean": _("Mean number of days from referral to start, over the measures "
                        "started in the period."),
    "wait_days_median": _("Median number of days from referral to start, over the "
                          "measures started in the period."),
    "wait_days_p90": _("Nine in ten of the measures started in the period began within "
                       "this many days of the referral (the 90th percentile)."),
    "exits": _("Participants whose exit date falls in the period (the exit cohort)."),
    "completed_rate": _("Share of the exit cohort whose exit was completed."),
    "dropout_rate": _("Share of the exit cohort whose exit was early (dropout)."),
    "work_rate": _("Share of the exit cohort with work in the outcome window."),
    "education_rate": _("Share of the exit cohort with education in the outcome window."),
    "work_or_education_rate": _("Share of the exit cohort with work or education in the "
                                "outcome window."),
    "days_to_work_median": _("For those in the exit cohort with work starting inside the "
                             "outcome window: median days from programme start to the "
                             "first such work."),
    "q2_cohort": _("Those in the exit cohort whose 2nd quarter after the exit quarter has "
                   "ended by the end of the period."),
    "employed_q2_rate": _("Share of them with work at some time in that quarter."),
    "q4_cohort": _("Those in the exit cohort whose 4th quarter after the exit quarter has "
                   "ended by the end of the period."),
    "employed_q4_rate": _("Share of them with work at some time in that quarter."),
    "measures_per_exit": _("Mean number of measures started per person in the exit cohort "
                           "(all of them, also those before the period)."),
    "continuity_rate": _("Among those in the exit cohort with follow-ups between programme "
                         "start and exit: share whose follow-ups were all held by one and "
                         "the same case worker (one fixed contact person)."),
    "followed_up_30d_rate": _("Among participants active at the end of the period: share "
                              "with a follow-up in its last 30 days."),
    "long_stayers": _("Participants active at the end of the period who started the "
                      "programme two years or more before that end, and have started no "
                      "work or education since."),
    "employer_contact_share": _("Share of the follow-ups in the period where the employer "
                                "took part."),
    "treatment_contact_share": _("Share of the follow-ups in the period where the "
                                 "treatment service took part."),
    "participants": _("Participants in a measure at some time in the period: how many "
                      "took part."),
    "completers": _("Those in the exit cohort whose exit was completed."),
    "completers_work_or_education_rate": _("Among the completers: share with work or "
                                           "education in the outcome window."),
    "onward_rate": _("Share of the exit cohort whose last measure ended because they got "
                     "a job, started education or went on to other support."),
    "job_starts": _("Participants whose first job started in the period."),
    "retained_90d_rate": _("Of the job cohort: share still in the first job 90 days after "
                           "it started."),
    "supported_after_job_rate": _("Of the job cohort: share with a follow-up in the first "
                                  "90 days of the job (support continued after the job "
                                  "began)."),
    "voice_pairs": _("Those in the exit cohort with both a baseline and a final answer of "
                     "their own view."),
    "voice_change_mean": _("Mean change in their own view from baseline to final answer "
                           "(on the 1 to 5 scale)."),
    "voice_improved_rate": _("Share of the pairs whose final answer is higher than the "
                             "baseline."),
}
