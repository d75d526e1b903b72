"""Opening a bundle (a folder or a .zip of one) and reading its CSV files row by row.

Reading accepts what spreadsheet programs write: a UTF-8 byte-order mark, CRLF line
ends and ``;`` as separator (told apart by the header row). Lines are decoded one at
a time, so a file that is not UTF-8 is reported with the line where it stops being
UTF-8, and a large file is never held in memory.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

UTF8_BOM = b"\xef\xbb\xbf"
# The key under which a row carries the news that it has more cells than the header.
EXTRA_CELLS = "\x00extra"


@dataclass(frozen=True, order=True)
class Problem:
    """One broken rule, reported as ``file:line: column: message``."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.column}: {self.message}"


class Bundle:
    """A folder or a .zip holding the bundle's CSV files (at its root or in one folder)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._members: dict[str, str] = {}
        if self.path.is_dir():
            self._members = {p.name: str(p) for p in self.path.iterdir() if p.suffix == ".csv"}
        elif self.path.is_file() and zipfile.is_zipfile(self.path):
            self._zip = zipfile.ZipFile(self.path)
            names = [n for n in self._zip.namelist() if n.endswith(".csv") and "__MACOSX" not in n]
            for name in names:
                self._members.setdefault(name.rsplit("/", 1)[-1], name)
        else:
            raise FileNotFoundError(
                _("%(path)s is neither a folder nor a .zip file.") % {"path": self.path}
            )

    def __enter__(self) -> Bundle:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def has(self, name: str) -> bool:
        return name in self._members

    def names(self) -> list[str]:
        return sorted(self._members)

    def open_binary(self, name: str) -> IO[bytes]:
        member = self._members[name]
        if self._zip is not None:
            return self._zip.open(member)
        return open(member, "rb")  # noqa: SIM115 (closed by the caller's context manager)


@dataclass
class CsvFile:
    """Rows of one CSV file as dicts, with the line each row starts on."""

    name: str
    columns: list[str]
    delimiter: str
    rows: Iterator[tuple[int, dict[str, str]]]

    @property
    def decimal_comma(self) -> bool:
        return self.delimiter == ";"


class EncodingProblem(Exception):
    def __init__(self, line: int):
        super().__init__(line)
        self.line = line


def _decoded_lines(raw: IO[bytes]) -> Iterator[str]:
    for number, line in enumerate(raw, start=1):
        if number == 1 and line.startswith(UTF8_BOM):
            line = line[len(UTF8_BOM):]
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            raise EncodingProblem(number) from None


def sniff_delimiter(header: str) -> str:
    try:
        return csv.Sniffer().sniff(header, delimiters=",;").delimiter
    except csv.Error:
        return ";" if header.count(";") > header.count(",") else ","


def read_csv(bundle: Bundle, name: str) -> CsvFile | None:
    """Open ``name`` for row-by-row reading; None when the file is empty.

    Raises EncodingProblem (with the line) when the file is not UTF-8; the rows
    iterator raises it too, for a bad line further down.
    """
    raw = bundle.open_binary(name)
    lines = _decoded_lines(raw)
    try:
        header = next(lines)
    except StopIteration:
        raw.close()
        return None
    except EncodingProblem:
        raw.close()
        raise
    delimiter = sniff_delimiter(header)
    columns = [c.strip() for c in next(csv.reader([header], delimiter=delimiter))]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        # reader.line_num counts the lines after the header, so a record that starts
        # right after the previous one starts on file line previous_line_num + 2.
        reader = csv.reader(lines, delimiter=delimiter)
        consumed = 0
        try:
            for values in reader:
                start, consumed = consumed + 2, reader.line_num
                if not any(v.strip() for v in values):
                    continue
                padded = values + [""] * (len(columns) - len(values))
                row = {c: v.strip() for c, v in zip(columns, padded, strict=False)}
                if len(values) > len(columns):
                    row[EXTRA_CELLS] = ""
                yield start, row
        finally:
            raw.close()

    return CsvFile(name=name, columns=columns, delimiter=delimiter, rows=rows())
