"""The CSV bundle format of ../shared/EXCHANGE.md: reading, validating, importing."""

from django.utils.translation import ngettext


def rows_of_file(file_name: str, rows: int) -> str:
    """How the bundle commands report one file: "participants.csv: 267 rows"."""
    return ngettext("%(file)s: %(rows)d row", "%(file)s: %(rows)d rows", rows) % {
        "file": file_name, "rows": rows}
