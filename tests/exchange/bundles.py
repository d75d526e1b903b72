"""Editable copies of the example bundle (tests/data/bundle) for the importer's tests.

``copy_example(tmp_path)`` gives a folder to break or change; ``edit(folder, "x.csv")``
yields the file as a Table (columns and rows as dicts) and writes it back on exit.
The example has no line breaks inside cells, so row ``i`` is on file line ``i + 2``.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "data" / "bundle"


def copy_example(tmp_path: Path, name: str = "bundle") -> Path:
    target = tmp_path / name
    shutil.copytree(EXAMPLE, target)
    return target


def line_of(index: int) -> int:
    """The file line of row ``index`` (0-based, header excluded)."""
    return index + 2


@dataclass
class Table:
    columns: list[str]
    rows: list[dict[str, str]]

    def index(self, **match: str) -> int:
        """The index of the first row whose cells equal ``match``."""
        for i, row in enumerate(self.rows):
            if all(row.get(k) == v for k, v in match.items()):
                return i
        raise LookupError(match)

    def append(self, **values: str) -> int:
        """Add a row (missing cells empty); return its file line."""
        self.rows.append({c: values.get(c, "") for c in self.columns})
        return line_of(len(self.rows) - 1)

    def drop_column(self, column: str) -> None:
        self.columns.remove(column)
        for row in self.rows:
            row.pop(column, None)

    def add_column(self, column: str, value: str = "") -> None:
        self.columns.append(column)
        for row in self.rows:
            row[column] = value


def read_table(path: Path) -> Table:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return Table(columns=list(reader.fieldnames or []), rows=list(reader))


def render(table: Table, *, delimiter: str = ",", line_end: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=table.columns, delimiter=delimiter,
                            lineterminator=line_end, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(table.rows)
    return out.getvalue()


def write_table(path: Path, table: Table, *, delimiter: str = ",", line_end: str = "\n",
                encoding: str = "utf-8", bom: bool = False) -> None:
    data = render(table, delimiter=delimiter, line_end=line_end).encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


@contextmanager
def edit(folder: Path, name: str) -> Iterator[Table]:
    table = read_table(folder / name)
    yield table
    write_table(folder / name, table)


def zip_folder(folder: Path, target: Path, *, inside: str | None = None) -> Path:
    """Zip the CSV files of ``folder``, at the zip's root or in the folder ``inside``."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.glob("*.csv")):
            zf.write(path, f"{inside}/{path.name}" if inside else path.name)
    return target
