"""Cases in and out of CSV: `guidebot cases import FILE.csv` reads, `guidebot cases export` writes the same shape.

Reading never stops at the first bad row: every refused row is reported with the physical line it starts on
(header = line 1, quoted fields spanning lines counted), and the good rows are returned for one transaction.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from guidebot.cases.models import (
    DEFAULT_CASE_REF_PATTERN,
    PROGRAMMES,
    CaseIn,
    CaseInvalid,
    CaseView,
    normalise_case_ref,
)

REQUIRED_COLUMNS = ("case_ref", "programme", "group_start", "om", "team_channel", "order_date")
OPTIONAL_COLUMNS = ("gap_weeks", "status")
EXPORT_COLUMNS = (*REQUIRED_COLUMNS, "gap_weeks", "status")
MAX_BYTES = 5_000_000  # thousands of cases; anything bigger is not a caseload file


@dataclass(frozen=True)
class RowError:
    """Why one row (or, with `line` None, the whole file) was refused; `reason` names fields, never values."""

    line: int | None
    reason: str


@dataclass
class ImportReport:
    """The rows fit to import and the refused ones; `readable` is False when the whole file was refused."""

    rows: list[CaseIn] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    readable: bool = True


def _refused(reason: str, line: int | None = None) -> ImportReport:
    return ImportReport(errors=[RowError(line, reason)], readable=False)


def _header_problem(header: list[str]) -> str | None:
    repeated = sorted(name or "(blank)" for name, count in Counter(header).items() if count > 1)
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = sorted({name or "(blank)" for name in header if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS})
    problems = []
    if missing:
        problems.append(f"missing columns: {', '.join(missing)}")
    if unknown:
        problems.append(f"unknown columns: {', '.join(unknown)}")
    if repeated:
        problems.append(f"repeated columns: {', '.join(repeated)}")
    if not problems:
        return None
    expected = ",".join(REQUIRED_COLUMNS)
    return f"header: {'; '.join(problems)} (expected {expected}, optionally gap_weeks and status)"


def read_cases_csv(
    path: str | Path,
    pattern: str | re.Pattern[str] = DEFAULT_CASE_REF_PATTERN,
    programmes: Collection[str] = PROGRAMMES,
) -> ImportReport:
    """Read a caseload CSV (UTF-8, BOM and CRLF tolerated); never raises for what is in the file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return _refused(f"{path}: cannot be read ({error.strerror or type(error).__name__})")
    if len(data) > MAX_BYTES:
        return _refused(f"{path}: too large (at most {MAX_BYTES // 1_000_000} MB)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return _refused(f"{path}: not UTF-8 text (first bad byte on line {line}); save it as 'CSV UTF-8'")
    return parse_cases_csv(text, pattern, programmes)


def parse_cases_csv(
    text: str,
    pattern: str | re.Pattern[str] = DEFAULT_CASE_REF_PATTERN,
    programmes: Collection[str] = PROGRAMMES,
) -> ImportReport:
    """The CSV text already decoded (what `read_cases_csv` reads, or an upload in Slack)."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        raw_header = next(reader, None)
    except csv.Error as error:
        return _refused(f"header: not valid CSV ({error})", 1)
    if raw_header is None or not any(cell.strip() for cell in raw_header):
        return _refused(f"header: missing (expected {','.join(REQUIRED_COLUMNS)})", 1)
    header = [cell.strip().lower() for cell in raw_header]
    problem = _header_problem(header)
    if problem is not None:
        return _refused(problem, 1)

    report = ImportReport()
    first_seen: dict[str, int] = {}
    previous_end = reader.line_num
    while True:
        line = previous_end + 1  # where this record starts; reader.line_num is where it ends
        try:
            cells = next(reader, None)
        except csv.Error as error:
            report.errors.append(RowError(line, f"not valid CSV ({error}); the rest of the file was not read"))
            break
        if cells is None:
            break
        previous_end = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, or a row of empty cells as spreadsheets leave at the end
        while len(cells) > len(header) and not cells[-1].strip():
            cells.pop()  # trailing commas, as spreadsheets write when another row is wider
        if len(cells) != len(header):
            report.errors.append(RowError(line, f"{len(cells)} values, but the header has {len(header)} columns"))
            continue
        values = dict(zip(header, cells, strict=True))
        problems: list[str] = []
        try:
            ref = normalise_case_ref(values["case_ref"], pattern)
        except ValueError:
            pass  # CaseIn.parse below says what is wrong with it
        else:
            if ref in first_seen:
                problems.append(f"case_ref: already on line {first_seen[ref]}")
            else:
                first_seen[ref] = line
        try:
            case = CaseIn.parse(values, pattern, programmes)
        except CaseInvalid as error:
            problems.extend(error.problems)
        if problems:
            report.errors.append(RowError(line, "; ".join(problems)))
        else:
            report.rows.append(case)
    return report


def write_cases_csv(cases: Iterable[CaseView], out: TextIO) -> int:
    """Write cases in the import's shape (plus gap_weeks and status), so the file imports back unchanged.

    Open `out` with newline="" (the csv module writes CRLF, as spreadsheets expect). Returns rows written.
    """
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    written = 0
    for case in cases:
        writer.writerow(
            [
                case.case_ref,
                case.programme,
                case.group_start.isoformat() if case.group_start else "",
                case.om,
                case.team_channel,
                case.order_date.isoformat() if case.order_date else "",
                " ".join(day.isoformat() for day in case.gap_weeks),
                case.status,
            ]
        )
        written += 1
    return written


def _rows(count: int) -> str:
    return f"{count} row{'' if count == 1 else 's'}"


def format_report(report: ImportReport, counts: Mapping[str, int] | None) -> list[str]:
    """What the terminal (or Slack) shows after an import: one line per refusal, then the totals.

    `counts` is what `Cases.import_rows` returned, or None when nothing was written.
    """
    lines = [error.reason if error.line is None else f"line {error.line}: {error.reason}" for error in report.errors]
    if not report.readable:
        lines.append("nothing imported: the file was refused")
        return lines
    refused = f"{_rows(len(report.errors))} refused"
    if counts is None:
        lines.append(f"nothing imported; {refused}")
    else:
        added, updated, unchanged = (counts.get(key, 0) for key in ("added", "updated", "unchanged"))
        lines.append(f"imported: {added} added, {updated} updated, {unchanged} unchanged; {refused}")
    return lines
