"""The demo's written texts in each country's language: goals, plan reviews,
contact notes, job-development notes; and the language of each country."""

GOALS = {
    "NO": [
        "Komme i jobb i en deltidsstilling, minst 40 %",
        "Fullføre arbeidspraksisen og få en attest",
        "Få en fast døgnrytme med oppmøte kl. 09 fire dager i uka",
        "Starte på videregående opplæring og ta fagbrev",
        "Ta førerkort klasse B",
        "Avklare hvor mye og hva slags arbeid som passer",
        "Reise alene til og fra arbeidsplassen med buss",
    ],
    "DK": [
        "Komme i ordinært job på deltid, mindst 15 timer om ugen",
        "Gennemføre virksomhedspraktikken",
        "Få en fast døgnrytme og møde op til aftaler",
        "Starte på en uddannelse (HF eller erhvervsuddannelse)",
        "Tage kørekort",
        "Afklare arbejdsevnen og hvilke job der passer",
        "Bruge værktøjerne fra mestringskurset i hverdagen",
    ],
    "SE": [
        "Komma ut i arbete på deltid, minst 25 %",
        "Fullfölja arbetsträningen",
        "Få en fungerande dygnsrytm och komma i tid",
        "Börja studera på folkhögskola eller Komvux",
        "Ta körkort",
        "Klargöra arbetsförmågan och vilka arbeten som passar",
        "Använda det jag lär mig på kursen i vardagen",
    ],
}
REVIEW_NOTES = {
    "NO": ["Planen gjennomgått sammen med deltaker. Målene står fast.",
           "Justert måldato etter samtale om helsesituasjonen.",
           "God framgang; nytt mål om flere timer i praksis."],
    "DK": ["Planen gennemgået med borgeren. Målene fastholdes.",
           "Ny måldato aftalt efter en sygdomsperiode.",
           "God fremgang; nyt mål om flere timer i praktik."],
    "SE": ["Planen genomgången tillsammans med deltagaren. Målen ligger fast.",
           "Nytt måldatum efter samtal om hälsan.",
           "God utveckling; nytt mål om fler timmar i praktiken."],
}
FOLLOW_UP_NOTES = {  # general, with the employer, with the treatment service
    "NO": (["Samtale om hvordan uka har gått.", "Avtalt neste møte og gått gjennom planen.",
            "Ringte for å høre hvordan oppstarten gikk.",
            "Trives og ønsker å øke antall dager."],
           "Møte med arbeidsgiver om tilrettelegging og arbeidsoppgaver.",
           "Samarbeidsmøte med behandler om videre plan."),
    "DK": (["Samtale om hvordan ugen er gået.", "Aftalt næste møde og gennemgået planen.",
            "Ringede for at høre, hvordan opstarten gik.",
            "Trives og vil gerne have flere timer."],
           "Møde med arbejdsgiver om skånehensyn og opgaver.",
           "Samarbejdsmøde med behandler om den videre plan."),
    "SE": (["Samtal om hur veckan har gått.", "Bokat nästa möte och gått igenom planen.",
            "Ringde för att höra hur starten gick.", "Trivs och vill öka antalet dagar."],
           "Möte med arbetsgivaren om anpassningar och arbetsuppgifter.",
           "Samverkansmöte med behandlare om fortsatt plan."),
}

SUPPORT_NOTES = {  # contacts in the support phase, after a job has started
    "NO": ["Samtale om hvordan det går i jobben.", "Ringte etter første uke i jobb.",
           "Snakket om arbeidstid og om å øke stillingen.",
           "Gått gjennom vaktlisten og reisevei sammen."],
    "DK": ["Samtale om, hvordan det går på jobbet.", "Ringede efter den første uge i job.",
           "Talt om arbejdstid og om at gå op i timer.",
           "Gennemgået vagtplanen og transporten sammen."],
    "SE": ["Samtal om hur det går på jobbet.", "Ringde efter första veckan på jobbet.",
           "Pratat om arbetstid och om att gå upp i tid.",
           "Gått igenom schemat och resvägen tillsammans."],
}
JOB_DEVELOPMENT_NOTES = {
    "NO": ["Presentert IPS og hva vi kan tilby av oppfølging.",
           "Besøk på arbeidsplassen; mulige oppgaver på lager og i kantine.",
           "Avtalt nytt møte om ledige deltidsstillinger.",
           "Ringte daglig leder om behov for ekstrahjelp."],
    "DK": ["Præsenteret IPS og den støtte, vi kan tilbyde.",
           "Besøg på virksomheden; mulige opgaver på lager og i kantinen.",
           "Aftalt nyt møde om ledige deltidsstillinger.",
           "Ringede til indehaveren om behov for ekstra hænder."],
    "SE": ["Presenterat IPS och vilket stöd vi kan erbjuda.",
           "Besök på arbetsplatsen; möjliga uppgifter på lagret och i köket.",
           "Bokat nytt möte om lediga deltidstjänster.",
           "Ringde chefen om behov av extra personal."],
}
LANGUAGE_OF_COUNTRY = {"NO": "nb", "DK": "da", "SE": "sv"}
