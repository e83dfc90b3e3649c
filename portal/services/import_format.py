"""What a CSV export from a social-care system looks like to PEP Portal: its encoding, its columns
and how its cells are written.

Liquid Logic, Mosaic and the like each name their columns differently, and councils rename them in
their own reports, so every column has a list of aliases (:data:`COLUMNS`), matched ignoring case,
spaces, underscores and punctuation. Nothing here touches the database: it turns bytes into rows of
named cells, and cells into dates and yes/no answers, or into a problem in plain words.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass

from portal.models.setting import SettingType

#: The largest file accepted, and the most rows: a whole authority's caseload fits easily.
LARGEST_FILE = 5 * 1024 * 1024
MOST_ROWS = 10_000

KINDS = {"children": "Children", "settings": "Settings"}


@dataclass(frozen=True)
class Column:
    key: str
    #: How the column is named in messages ("date of birth").
    label: str
    required: bool
    #: Header names it is known by in social-care exports, in lower case.
    aliases: tuple[str, ...]


#: Every column PEP Portal reads, per kind of file, with the header names social-care systems and
#: councils' own reports give it. Liquid Logic (LCS) exports "Person ID", "Forename", "Surname",
#: "DOB", "CLA start date"; Mosaic "Mosaic ID", "First name", "Last name", "Date of birth",
#: "Legal status start date". Settings follow the DfE's Get Information about Schools export
#: ("URN", "EstablishmentName", "PhaseOfEducation (name)", "LA (name)"). Add an alias here and
#: every import reads it; other columns in a file are ignored and listed on the preview.
COLUMNS: dict[str, tuple[Column, ...]] = {
    "children": (
        Column(
            "case_reference",
            "case reference",
            True,
            ("case reference", "case ref", "person id", "lcs id", "mosaic id", "child id", "person ref"),
        ),
        Column("first_name", "first name", True, ("first name", "forename", "forenames", "given name")),
        Column("last_name", "last name", True, ("last name", "surname", "family name")),
        Column("date_of_birth", "date of birth", True, ("date of birth", "dob", "birth date")),
        Column(
            "became_looked_after_on",
            "date became looked after",
            True,
            (
                "date became looked after",
                "cla start date",
                "legal status start date",
                "looked after since",
                "period of care start date",
            ),
        ),
        Column("emergency_placement", "emergency placement", False, ("emergency placement", "emergency")),
        Column(
            "setting_urn",
            "school URN",
            False,
            ("school urn", "setting urn", "establishment urn", "education setting urn", "urn"),
        ),
        Column(
            "social_worker_email",
            "allocated worker email",
            False,
            ("allocated worker email", "social worker email", "worker email", "allocated worker e-mail"),
        ),
    ),
    "settings": (
        Column("urn", "URN", True, ("urn", "school urn", "setting urn", "establishment urn")),
        Column(
            "name",
            "name",
            True,
            ("name", "establishment name", "school name", "setting name", "establishmentname"),
        ),
        Column(
            "setting_type",
            "type",
            True,
            (
                "type",
                "phase",
                "setting type",
                "establishment type",
                "phase of education",
                "phaseofeducation name",
            ),
        ),
        Column(
            "local_authority_area",
            "local authority",
            False,
            ("local authority", "local authority area", "la", "la name", "la (name)"),
        ),
    ),
}


class UnreadableFileError(Exception):
    """The upload is not a CSV file PEP Portal can read; the message says what to do."""


def normalise_header(text: str) -> str:
    """ "Date_of_Birth", " DATE OF BIRTH " and "Date-of-birth" all become "date of birth"."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def _normalised_aliases(column: Column) -> set[str]:
    return {normalise_header(alias) for alias in column.aliases}


def decode(raw: bytes) -> str:
    """UTF-8 (with or without Excel's byte-order mark), else Windows-1252, as Excel on Windows
    saves "CSV (Comma delimited)". Refuses spreadsheets and other binary files by their content."""
    if not raw.strip():
        raise UnreadableFileError("The selected file is empty")
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFileError(
            "The selected file is an Excel workbook, not a CSV file. In Excel choose Save as, "
            "then CSV UTF-8, and upload that file"
        )
    if b"\x00" in raw:
        raise UnreadableFileError("The selected file is not a CSV file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        raise UnreadableFileError(
            "The selected file is not text PEP Portal can read. Save it as CSV UTF-8 and upload it again"
        ) from None


@dataclass(frozen=True)
class ParsedFile:
    #: Column key -> the header as written in the file.
    headers: dict[str, str]
    #: (row number as a spreadsheet shows it, column key -> cell text stripped)
    rows: list[tuple[int, dict[str, str]]]
    missing: list[Column]
    ignored: list[str]


def read_rows(text: str) -> list[list[str]]:
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as error:
        raise UnreadableFileError(f"The selected file is not a valid CSV file ({error})") from None


def parse(kind: str, text: str) -> ParsedFile:
    """Match the header row to ``kind``'s columns and name every row's cells by column key.
    Row numbers count the header as row 1, as a spreadsheet does; empty rows are skipped."""
    records = read_rows(text)
    if not records or not any(cell.strip() for cell in records[0]):
        raise UnreadableFileError("The selected file has no header row")
    header_row = records[0]
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    ignored: list[str] = []
    for index, header in enumerate(header_row):
        name = normalise_header(header)
        column = next((c for c in COLUMNS[kind] if name in _normalised_aliases(c)), None)
        if column is None or column.key in positions:
            if header.strip():
                ignored.append(header.strip())
            continue
        positions[column.key] = index
        headers[column.key] = header.strip()
    missing = [c for c in COLUMNS[kind] if c.required and c.key not in positions]
    rows = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        rows.append(
            (number, {key: record[i].strip() if i < len(record) else "" for key, i in positions.items()})
        )
    if len(rows) > MOST_ROWS:
        raise UnreadableFileError(
            f"The selected file has {len(rows):,} rows. Import at most {MOST_ROWS:,} rows at a time: "
            "split the file and upload each part"
        )
    return ParsedFile(headers=headers, rows=rows, missing=missing, ignored=ignored)


def looks_like(text: str) -> str | None:
    """The kind of file whose required columns all appear in ``text``'s header, if any."""
    try:
        records = read_rows(text)
    except UnreadableFileError:
        return None
    names = {normalise_header(h) for h in (records[0] if records else [])}
    for kind, columns in COLUMNS.items():
        if all(names & _normalised_aliases(c) for c in columns if c.required):
            return kind
    return None


def missing_columns_message(kind: str, missing: list[Column], text: str) -> str:
    labels = [c.label for c in missing]
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    noun = "a column" if len(labels) == 1 else "columns"
    message = f"The file has no {noun} for {listed}"
    other = looks_like(text)
    if other is not None and other != kind:
        message += f". It looks like a file of {other}: upload it again and choose {KINDS[other]}"
    return message


class CellProblemError(ValueError):
    """A cell that cannot be read; the message completes "Row 7: date of birth 'x' ..."."""


DATE_FORMATS = (
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), (3, 2, 1)),
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), (1, 2, 3)),
)


def parse_date(text: str) -> dt.date:
    """dd/mm/yyyy (as English spreadsheets write dates) or yyyy-mm-dd; an optional time after a
    space (Mosaic writes "01/09/2026 00:00") is ignored."""
    day_part = text.split(" ")[0] if re.match(r"^\S+ \d{1,2}:\d{2}", text) else text
    for pattern, (y, m, d) in DATE_FORMATS:
        match = pattern.match(day_part)
        if match:
            try:
                return dt.date(int(match.group(y)), int(match.group(m)), int(match.group(d)))
            except ValueError:
                raise CellProblemError("is not a real date") from None
    raise CellProblemError("is not a date: write it as dd/mm/yyyy, for example 27/03/2015")


YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


def parse_yes_no(text: str) -> bool:
    if text.lower() in YES:
        return True
    if text.lower() in NO:
        return False
    raise CellProblemError("is not Yes or No")


#: Words in a "Type" or "Phase" cell, checked in this order (a "special academy" is special, not
#: an academy of some phase). GIAS phases ("16 plus", "All-through", "Middle deemed primary") and
#: establishment types ("Pupil referral unit", "Further education") are covered.
SETTING_TYPE_WORDS: tuple[tuple[tuple[str, ...], SettingType], ...] = (
    (("alternative provision", "pupil referral", "pru"), SettingType.ALTERNATIVE_PROVISION),
    (("special",), SettingType.SPECIAL),
    (("all through", "all_through"), SettingType.ALL_THROUGH),
    (("nursery", "early years", "pre school"), SettingType.NURSERY),
    (("college", "further education", "16 plus", "sixth form", "post 16"), SettingType.COLLEGE),
    (("primary", "infant", "junior", "first school"), SettingType.PRIMARY),
    (("secondary", "high school", "upper school"), SettingType.SECONDARY),
)


def parse_setting_type(text: str) -> SettingType:
    name = normalise_header(text)
    for words, setting_type in SETTING_TYPE_WORDS:
        if any(re.search(rf"\b{re.escape(word)}\b", name) for word in words):
            return setting_type
    raise CellProblemError(
        "is not a type of setting PEP Portal knows: use one of "
        + ", ".join(t.label.lower() for t in SettingType)
    )
