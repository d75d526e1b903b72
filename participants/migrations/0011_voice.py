from django.conf import settings
from django.db import migrations, models


TABLE = "participants_accesslogentry"
# Changing the access log's CHECK constraint makes SQLite copy the table, which drops the
# append-only trigger of 0003_access_log with the old table: it is made again here.
SQLITE_TRIGGER = f"""
    CREATE TRIGGER IF NOT EXISTS access_log_append_only BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only: UPDATE refused'); END
"""


def keep_access_log_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


# The built-in `voice` instrument of EXCHANGE.md: five items scored 1 (not at all) to 5
# (very much), written for this project in the four languages. Built-in instruments are
# not editable in the admin; a change of these texts is a new migration.
VOICE = {
    "name": {"en": "My own view", "nb": "Min egen vurdering", "da": "Min egen vurdering",
             "sv": "Min egen skattning"},
    "low_label": {"en": "Not at all", "nb": "Ikke i det hele tatt", "da": "Slet ikke",
                  "sv": "Inte alls"},
    "high_label": {"en": "Very much", "nb": "Svært mye", "da": "Rigtig meget",
                   "sv": "Väldigt mycket"},
}
VOICE_ITEMS = [
    ("joy", {"en": "I feel joy in my life", "nb": "Jeg kjenner glede i livet mitt",
             "da": "Jeg føler glæde i mit liv", "sv": "Jag känner glädje i mitt liv"}),
    ("self_belief", {"en": "I believe in myself", "nb": "Jeg har tro på meg selv",
                     "da": "Jeg tror på mig selv", "sv": "Jag tror på mig själv"}),
    ("mastery", {"en": "I manage what I set out to do",
                 "nb": "Jeg klarer det jeg setter meg fore",
                 "da": "Jeg klarer det, jeg sætter mig for",
                 "sv": "Jag klarar det jag föresätter mig"}),
    ("structure", {"en": "My days have a structure", "nb": "Dagene mine har en struktur",
                   "da": "Mine dage har en struktur", "sv": "Mina dagar har en struktur"}),
    ("heard", {"en": "I am heard and taken seriously", "nb": "Jeg blir hørt og tatt på alvor",
               "da": "Jeg bliver hørt og taget alvorligt",
               "sv": "Jag blir lyssnad på och tagen på allvar"}),
]
LANGUAGES = ("nb", "da", "sv", "en")


def write_voice_texts(apps, schema_editor):
    Instrument = apps.get_model("participants", "Instrument")
    InstrumentItem = apps.get_model("participants", "InstrumentItem")
    texts = {f"{field}_{code}": value[code] for field, value in VOICE.items() for code in LANGUAGES}
    voice, _ = Instrument.objects.update_or_create(
        code="voice", defaults={**texts, "languages": ",".join(LANGUAGES), "scale_min": 1,
                                "scale_max": 5, "built_in": True})
    for position, (code, text) in enumerate(VOICE_ITEMS, start=1):
        InstrumentItem.objects.update_or_create(
            instrument=voice, code=code,
            defaults={"position": position, **{f"text_{c}": text[c] for c in LANGUAGES}})


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0010_caseload"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("instrument", "name", "name_en"),
        migrations.RenameField("instrumentitem", "text", "text_en"),
        migrations.RemoveConstraint(
            model_name='accesslogentry',
            name='access_log_what_valid',
        ),
        migrations.AddField(
            model_name='historicalparticipant',
            name='language',
            field=models.CharField(blank=True, choices=[('nb', 'Norwegian Bokmål'), ('da', 'Danish'), ('sv', 'Swedish'), ('en', 'English')], db_default='', default='', help_text="The language questionnaires are shown in, in participant mode. Empty: the site's language.", max_length=2, verbose_name='language'),
        ),
        migrations.AddField(
            model_name='historicalparticipant',
            name='voice_shared_with_provider',
            field=models.BooleanField(db_default=False, default=False, help_text="The provider's staff see the participant's own answers (questionnaires) only when this is set.", verbose_name='own answers shared with the provider'),
        ),
        migrations.AddField(
            model_name='instrument',
            name='high_label_da',
            field=models.CharField(blank=True, max_length=60, verbose_name='highest score means (Danish)'),
        ),
        migrations.AddField(
            model_name='instrument',
            name='high_label_en',
            field=models.CharField(blank=True, max_length=60, verbose_name='highest score means (English)'),
        ),
        migrations.AddField(
            model_name='instrument',
            name='high_label_nb',
            field=models.CharField(blank=True, max_length=60, verbose_name='highest score means (Norwegian Bokmål)'),
        ),
        migrations.AddField(
            model_name='instrument',
            name='high_label_sv',
            field=models.CharField(blank=True, max_length=60, verbose_name='highest score means (Swedish)'),
        ),
        migrations.AddField(
            model_name='instrument',
            name='languages',
            field=models.CharField(default='nb,da,sv,en', help_text='The languages the instrument has texts in, as codes separated by commas (nb, da, sv, en). English is required; a participant whose language is not offered sees the English texts.', max_length=20, verbose_name='languages'),
        ),
        migrations.AddField(
            model_name='instrument',
            name='low_label_da',
            field=models.CharField(blank=True, max_length=60, verbose_name='lowest score means (Danish)'),
        ),
        migrations.AddField(
            model_name='instrument',
            name='low_label_en',
            field=models.CharField(blank=True, max_length=60, verbose_name='lowest score means (English)'),
        ),
        migrations.AddField(
            model_name='instrument',
            name='low_label_nb',
            field=models.CharField(blank=True, max_length=60, verbose_name='lowest score means (Norwegian Bokmål)'),
        ),
        migrations.AddField(
            model_name='instrument',
            name='low_label_sv',
            field=models.CharField(blank=True, max_length=60, verbose_name='lowest score means (Swedish)'),
        ),
        migrations.AddField(
            model_name='instrument',
            name='name_da',
            field=models.CharField(blank=True, max_length=200, verbose_name='name (Danish)'),
        ),
        migrations.AddField(
            model_name='instrument',
            name='name_nb',
            field=models.CharField(blank=True, max_length=200, verbose_name='name (Norwegian Bokmål)'),
        ),
        migrations.AddField(
            model_name='instrument',
            name='name_sv',
            field=models.CharField(blank=True, max_length=200, verbose_name='name (Swedish)'),
        ),
        migrations.AddField(
            model_name='instrumentitem',
            name='text_da',
            field=models.CharField(blank=True, max_length=300, verbose_name='question (Danish)'),
        ),
        migrations.AddField(
            model_name='instrumentitem',
            name='text_nb',
            field=models.CharField(blank=True, max_length=300, verbose_name='question (Norwegian Bokmål)'),
        ),
        migrations.AddField(
            model_name='instrumentitem',
            name='text_sv',
            field=models.CharField(blank=True, max_length=300, verbose_name='question (Swedish)'),
        ),
        migrations.AddField(
            model_name='participant',
            name='language',
            field=models.CharField(blank=True, choices=[('nb', 'Norwegian Bokmål'), ('da', 'Danish'), ('sv', 'Swedish'), ('en', 'English')], db_default='', default='', help_text="The language questionnaires are shown in, in participant mode. Empty: the site's language.", max_length=2, verbose_name='language'),
        ),
        migrations.AddField(
            model_name='participant',
            name='voice_shared_with_provider',
            field=models.BooleanField(db_default=False, default=False, help_text="The provider's staff see the participant's own answers (questionnaires) only when this is set.", verbose_name='own answers shared with the provider'),
        ),
        migrations.AddField(
            model_name='staffprofile',
            name='participant_mode_pin',
            field=models.CharField(blank=True, editable=False, max_length=128, verbose_name='PIN for participant mode'),
        ),
        migrations.AlterField(
            model_name='accesslogentry',
            name='what',
            field=models.CharField(choices=[('case_file', 'Participant page'), ('timeline', 'Timeline'), ('provider_enrollment', 'Enrollment page (provider)'), ('identity_number', 'Identity number shown'), ('extract', 'Data extract with identity'), ('raw_report', 'Report with raw values'), ('admin', 'Administration page'), ('employer', 'Employer page'), ('voice', "Participant's own answers"), ('participant_mode', 'Participant mode')], max_length=30, verbose_name='what'),
        ),
        migrations.AlterField(
            model_name='instrument',
            name='name_en',
            field=models.CharField(max_length=200, verbose_name='name (English)'),
        ),
        migrations.AlterField(
            model_name='instrumentitem',
            name='text_en',
            field=models.CharField(max_length=300, verbose_name='question (English)'),
        ),
        migrations.AddConstraint(
            model_name='accesslogentry',
            constraint=models.CheckConstraint(condition=models.Q(('what__in', ['case_file', 'timeline', 'provider_enrollment', 'identity_number', 'extract', 'raw_report', 'admin', 'employer', 'voice', 'participant_mode'])), name='access_log_what_valid'),
        ),
        migrations.AddConstraint(
            model_name='participant',
            constraint=models.CheckConstraint(condition=models.Q(('language__in', ['nb', 'da', 'sv', 'en', ''])), name='participant_language_valid'),
        ),
        migrations.RunPython(keep_access_log_append_only, migrations.RunPython.noop),
        migrations.RunPython(write_voice_texts, migrations.RunPython.noop),
    ]
