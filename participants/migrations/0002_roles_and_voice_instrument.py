from django.db import migrations

ROLES = ["case_worker", "provider_staff", "project_lead", "administrator"]

# The built-in `voice` instrument of EXCHANGE.md: five items scored 1 (not at all) to 5
# (very much). The texts shown to participants are translated by code in the interface.
VOICE_ITEMS = [
    ("joy", "Joy in life"),
    ("self_belief", "Belief in myself"),
    ("mastery", "I manage what I set out to do"),
    ("structure", "A structure to my days"),
    ("heard", "I am heard and taken seriously"),
]


def create_roles_and_voice(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    Instrument = apps.get_model("participants", "Instrument")
    InstrumentItem = apps.get_model("participants", "InstrumentItem")
    voice, _ = Instrument.objects.get_or_create(
        code="voice",
        defaults={"name": "Participant voice", "scale_min": 1, "scale_max": 5, "built_in": True},
    )
    for position, (code, text) in enumerate(VOICE_ITEMS, start=1):
        InstrumentItem.objects.get_or_create(
            instrument=voice, code=code, defaults={"position": position, "text": text}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("participants", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles_and_voice, migrations.RunPython.noop)]
