"""Opening a bundle (a folder or a .zip of one) and reading its CSV files row by row.

Reading accepts what spreadsheet programs write: a UTF-8 byte-order mark, CRLF line
ends and ``;`` as separator (told apart by the header row). Lines are decoded one at
a time, so a file that is not UTF-8 is reported with the line where it stops being
UTF-8, and a large file is never held in memory: a line is read up to MAX_LINE_BYTES
and no further, so a file without line ends (or a .zip that unpacks to gigabytes of
one) is refused at that line instead of filling the memory.
"""

from __future__ import annotations

import csv
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

UTF8_BOM = b"\xef\xbb\xbf"
# No cell of the format is longer than a few hundred characters; a line this long is not
# a row of a bundle.
MAX_LINE_BYTES = 1024 * 1024
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
        # A file name found more than once in a .zip (in different folders): which one is
        # the bundle's cannot be told, so none is read.
        self.repeated: dict[str, list[str]] = {}
        # Members of a .zip that would unpack to more than IMPORT_MAX_UNPACKED_MB (a zip
        # bomb, or a bundle for the server's command): name -> unpacked bytes, not read.
        self.too_large: dict[str, int] = {}
        if self.path.is_dir():
            self._members = {p.name: str(p) for p in self.path.iterdir()
                             if p.suffix == ".csv" and not p.name.startswith(".")}
        elif self.path.is_file() and zipfile.is_zipfile(self.path):
            self._zip = zipfile.ZipFile(self.path)
            limit = settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024
            for info in self._zip.infolist():
                name = info.filename.rsplit("/", 1)[-1]
                if (info.is_dir() or not name.endswith(".csv") or "__MACOSX" in info.filename
                        or name.startswith(".")):  # macOS resource forks, hidden files
                    continue
                if name in self._members:
                    self.repeated.setdefault(name, [self._members[name]]).append(info.filename)
                    continue
                self._members[name] = info.filename
                if info.file_size > limit:
                    self.too_large[name] = info.file_size
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
        """Raises ReadProblem (line 0) for a member of the .zip that cannot be unpacked."""
        member = self._members[name]
        if self._zip is None:
            return open(member, "rb")  # noqa: SIM115 (closed by the caller's context manager)
        if self._zip.getinfo(member).flag_bits & 0x1:
            raise ReadProblem(0, _("the file is encrypted in the .zip file; pack the bundle "
                                   "again without a password"))
        try:
            return self._zip.open(member)
        except NotImplementedError:
            raise ReadProblem(0, _("the .zip file packs this file in a way the import cannot "
                                   "unpack; pack the bundle again with ordinary (deflate) "
                                   "compression")) from None
        except (zipfile.BadZipFile, OSError) as error:
            raise damaged(0, error) from None


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


class ReadProblem(Exception):
    """The file cannot be read as CSV from ``line`` on; the message says why."""

    def __init__(self, line: int, message: str):
        super().__init__(line, message)
        self.line = line
        self.message = message


class EncodingProblem(ReadProblem):
    def __init__(self, line: int):
        super().__init__(line, _('the file is not UTF-8 text; open it in your spreadsheet '
                                 'program and save it as "CSV UTF-8"'))


def damaged(line: int, error: Exception) -> ReadProblem:
    return ReadProblem(line, _("the .zip file is damaged here (%(error)s); pack the bundle "
                               "again") % {"error": error})


def _decoded_lines(raw: IO[bytes]) -> Iterator[str]:
    number = 0
    while True:
        try:
            line = raw.readline(MAX_LINE_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise damaged(number + 1, error) from None
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES:
            raise ReadProblem(number, _(
                "the line is longer than %(limit)d bytes: this is not a CSV file of the "
                "bundle, or a quotation mark is not closed") % {"limit": MAX_LINE_BYTES})
        if number == 1 and line.startswith(UTF8_BOM):
            line = line[len(UTF8_BOM):]
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            raise EncodingProblem(number) from None
        if "\x00" in text:
            # PostgreSQL cannot store it, and no text of the format has one: a binary file
            # (or UTF-16, which spreadsheet programs also call "Unicode text").
            raise ReadProblem(number, _(
                'the line holds a NUL character: this is not a CSV text file; save it as '
                '"CSV UTF-8"'))
        yield text


def _quoting_problem(error: csv.Error, line: int) -> ReadProblem:
    if "field larger than field limit" in str(error):
        return ReadProblem(line, _(
            "a cell is longer than %(limit)d characters: a quotation mark is probably not "
            "closed") % {"limit": csv.field_size_limit()})
    if "new-line character" in str(error):
        return ReadProblem(line, _(
            "the lines end with a carriage return alone, as old Mac spreadsheet programs "
            'write; save the file as "CSV UTF-8"'))
    return ReadProblem(line, _(
        "the quotation marks are out of order: a quoted cell must end with a quotation "
        "mark followed by the separator or the end of the line (write a quotation mark "
        "inside a quoted cell twice)"))


def sniff_delimiter(header: str) -> str:
    try:
        return csv.Sniffer().sniff(header, delimiters=",;").delimiter
    except csv.Error:
        return ";" if header.count(";") > header.count(",") else ","


def read_csv(bundle: Bundle, name: str) -> CsvFile | None:
    """Open ``name`` for row-by-row reading; None when the file is empty.

    Raises ReadProblem (with the line) when the header cannot be read: not UTF-8, no
    line end, broken quoting. The rows iterator raises it too, for a bad line further down.
    """
    raw = bundle.open_binary(name)
    lines = _decoded_lines(raw)
    try:
        header = next(lines, "")
        if not header.strip():
            # Only a byte-order mark or blank lines: empty. Rows below a blank first line
            # have no header to name their columns.
            if any(line.strip() for line in lines):
                raise ReadProblem(1, _("the first line is empty; it must be the header "
                                       "row, naming the columns"))
            raw.close()
            return None
        delimiter = sniff_delimiter(header)
        try:
            columns = [c.strip() for c in
                       next(csv.reader([header], delimiter=delimiter, strict=True))]
        except csv.Error as error:
            raise _quoting_problem(error, 1) from None
    except ReadProblem:
        raw.close()
        raise

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        # reader.line_num counts the lines after the header, so a record that starts
        # right after the previous one starts on file line previous_line_num + 2.
        # strict: an unclosed quotation mark is an error, not a cell that runs to the
        # end of the file and swallows the rows after it.
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        consumed = 0
        try:
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    raise _quoting_problem(error, consumed + 2) from None
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
