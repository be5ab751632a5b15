"""Caseload CSV files: every bad row reported at its physical line, the good rows kept, exports read back."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from guidebot.cases.csvio import (
    EXPORT_COLUMNS,
    ImportReport,
    RowError,
    format_report,
    read_cases_csv,
    write_cases_csv,
)
from guidebot.cases.models import CaseView

HEADER = "case_ref,programme,group_start,om,team_channel,order_date"


def _file(tmp_path: Path, text: str, name: str = "cases.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_good_rows_are_read(tmp_path: Path) -> None:
    path = _file(
        tmp_path,
        f"{HEADER}\nA123456,IDAP,2026-01-05,U01OM,C01TEAM,2025-11-20\nb654321,kaizen,2026-02-02,U02OM,C01TEAM,\n",
    )
    report = read_cases_csv(path)
    assert report.errors == [] and report.readable
    assert [(c.case_ref, c.programme, c.order_date) for c in report.rows] == [
        ("A123456", "IDAP", date(2025, 11, 20)),
        ("B654321", "KAIZEN", None),
    ]


def test_bad_rows_are_reported_at_their_physical_line_and_good_rows_kept(tmp_path: Path) -> None:
    text = "\n".join(
        [
            HEADER,  # line 1
            "A123456,IDAP,2026-01-05,U01OM,C01TEAM,",  # 2 good
            "John Smith,IDAP,2026-01-05,U01OM,C01TEAM,",  # 3 a name
            '"B654321",IDAP,2026-01-05,"U01OM\nU02OM",C01TEAM,',  # 4-5: a quoted newline inside om
            "C111111,IDAP,2026-01-05,Jane,C01TEAM,",  # 6 om not an id
            "",  # 7 blank, skipped
            "D222222,IDAP,05/01/2026,U01OM,C01TEAM,",  # 8 date not ISO
            "E333333,IDAP,2026-01-05,U01OM,C01TEAM",  # 9 one value short
            "F444444,HRP,2026-01-05,U03OM,C02TEAM,",  # 10 good
            "",
        ]
    )
    report = read_cases_csv(_file(tmp_path, text))
    assert [c.case_ref for c in report.rows] == ["A123456", "F444444"]
    assert report.errors == [
        RowError(3, "case_ref: not a case reference (expected GUIDEBOT_CASE_REF_PATTERN ^[A-Z][0-9]{6}$)"),
        RowError(4, "om: not a Slack user id (expected U... or W...)"),
        RowError(6, "om: not a Slack user id (expected U... or W...)"),
        RowError(8, "group_start: not a date (expected YYYY-MM-DD)"),
        RowError(9, "5 values, but the header has 6 columns"),
    ]


def test_a_multi_line_good_row_does_not_shift_later_line_numbers(tmp_path: Path) -> None:
    text = f'{HEADER},gap_weeks\nA123456,IDAP,,U01OM,C01TEAM,,"2026-02-16\n2026-02-23"\nB1,IDAP,2026-01-05,U01OM,C01TEAM,,\n'
    report = read_cases_csv(_file(tmp_path, text))
    assert report.rows[0].gap_weeks == (date(2026, 2, 16), date(2026, 2, 23))
    assert [e.line for e in report.errors] == [4]


def test_all_problems_of_a_row_are_given_together(tmp_path: Path) -> None:
    report = read_cases_csv(_file(tmp_path, f"{HEADER}\nA123456,Anger,,Jane,#team,\n"))
    (error,) = report.errors
    assert error.line == 2
    assert error.reason.split("; ") == [
        "programme: unknown programme (expected one of BBR, CDVP, HRP, IDAP, KAIZEN, UP2U)",
        "om: not a Slack user id (expected U... or W...)",
        "team_channel: not a Slack channel id (expected C... or G...)",
        "group_start or gap_weeks: one is required",
    ]


def test_a_repeated_case_ref_is_refused_on_the_later_line(tmp_path: Path) -> None:
    text = f"{HEADER}\nA123456,IDAP,2026-01-05,U01OM,C01TEAM,\nB654321,IDAP,2026-01-05,U01OM,C01TEAM,\na123456,HRP,2026-01-05,U01OM,C01TEAM,\n"
    report = read_cases_csv(_file(tmp_path, text))
    assert [c.case_ref for c in report.rows] == ["A123456", "B654321"]
    assert report.errors == [RowError(4, "case_ref: already on line 2")]


def test_columns_may_come_in_any_order_with_gap_weeks_and_status(tmp_path: Path) -> None:
    text = "om,status,gap_weeks,team_channel,order_date,programme,case_ref,group_start\nU01OM,paused,2026-02-16;2026-02-23,C01TEAM,,bbr,A123456,\n"
    (case,) = read_cases_csv(_file(tmp_path, text)).rows
    assert case.programme == "BBR" and case.status == "paused" and case.group_start is None
    assert case.gap_weeks == (date(2026, 2, 16), date(2026, 2, 23))


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (
            "case_ref,programme,group_start,om,order_date",
            "header: missing columns: team_channel (expected "
            "case_ref,programme,group_start,om,team_channel,order_date, optionally gap_weeks and status)",
        ),
        (
            f"{HEADER},name,notes",
            "header: unknown columns: name, notes (expected "
            "case_ref,programme,group_start,om,team_channel,order_date, optionally gap_weeks and status)",
        ),
        (
            f"{HEADER},om",
            "header: repeated columns: om (expected "
            "case_ref,programme,group_start,om,team_channel,order_date, optionally gap_weeks and status)",
        ),
    ],
)
def test_a_bad_header_refuses_the_whole_file_with_one_error(tmp_path: Path, header: str, reason: str) -> None:
    report = read_cases_csv(_file(tmp_path, f"{header}\nA123456,IDAP,2026-01-05,U01OM,C01TEAM,\n"))
    assert report.rows == [] and not report.readable
    assert report.errors == [RowError(1, reason)]


def test_header_names_are_trimmed_and_case_insensitive(tmp_path: Path) -> None:
    text = "Case_Ref , PROGRAMME,group_start,om,team_channel,order_date\nA123456,IDAP,2026-01-05,U01OM,C01TEAM,\n"
    assert len(read_cases_csv(_file(tmp_path, text)).rows) == 1


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    report = read_cases_csv(_file(tmp_path, ""))
    assert not report.readable and report.errors[0].line == 1 and report.errors[0].reason.startswith("header: missing")


def test_a_bom_and_crlf_line_ends_are_tolerated(tmp_path: Path) -> None:
    text = f"\ufeff{HEADER}\r\nA123456,IDAP,2026-01-05,U01OM,C01TEAM,\r\nBob,IDAP,2026-01-05,U01OM,C01TEAM,\r\n"
    report = read_cases_csv(_file(tmp_path, text))
    assert [c.case_ref for c in report.rows] == ["A123456"]
    assert [e.line for e in report.errors] == [3]


def test_trailing_empty_cells_from_a_spreadsheet_are_ignored(tmp_path: Path) -> None:
    text = f"{HEADER}\nA123456,IDAP,2026-01-05,U01OM,C01TEAM,,,\n,,,,,\n"
    report = read_cases_csv(_file(tmp_path, text))
    assert len(report.rows) == 1 and report.errors == []


def test_a_file_that_is_not_utf8_is_one_clear_error_naming_it(tmp_path: Path) -> None:
    path = _file(tmp_path, f"{HEADER}\nA123456,IDAP,2026-01-05,U01OM,C01TEAM,\nB654321,Ménage", "legacy.csv", "cp1252")
    report = read_cases_csv(path)
    assert not report.readable and report.rows == []
    (error,) = report.errors
    assert error.line is None and str(path) in error.reason
    assert "not UTF-8" in error.reason and "line 3" in error.reason


def test_a_missing_file_is_reported_not_raised(tmp_path: Path) -> None:
    report = read_cases_csv(tmp_path / "nope.csv")
    assert not report.readable and "nope.csv: cannot be read" in report.errors[0].reason


def test_a_configured_pattern_and_programmes_apply(tmp_path: Path) -> None:
    text = f"{HEADER}\nX1234,NEW,2026-01-05,U01OM,C01TEAM,\nA123456,IDAP,2026-01-05,U01OM,C01TEAM,\n"
    report = read_cases_csv(_file(tmp_path, text), pattern=r"^X[0-9]{4}$", programmes={"NEW"})
    assert [c.case_ref for c in report.rows] == ["X1234"]
    assert report.errors[0].line == 3 and "case_ref:" in report.errors[0].reason


def _view(ref: str, **changes: object) -> CaseView:
    fields: dict[str, object] = {
        "case_ref": ref,
        "programme": "IDAP",
        "group_start": date(2026, 1, 5),
        "gap_weeks": (),
        "om": "U01OM",
        "team_channel": "C01TEAM",
        "order_date": None,
        "status": "active",
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        "updated_at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    return CaseView.model_validate({**fields, **changes})


def test_an_export_reads_back_as_the_same_cases(tmp_path: Path) -> None:
    views = [
        _view("A123456", order_date=date(2025, 11, 20)),
        _view("B654321", group_start=None, gap_weeks=(date(2026, 2, 16), date(2026, 2, 23)), status="paused"),
        _view("C111111", programme="UP2U", status="withdrawn"),
    ]
    out = io.StringIO(newline="")
    assert write_cases_csv(views, out) == 3
    text = out.getvalue()
    assert text.splitlines()[0] == ",".join(EXPORT_COLUMNS)
    assert "B654321,IDAP,,U01OM,C01TEAM,,2026-02-16 2026-02-23,paused" in text.splitlines()
    report = read_cases_csv(_file(tmp_path, text))
    assert report.errors == []
    fields = ("case_ref", "programme", "group_start", "gap_weeks", "om", "team_channel", "order_date", "status")
    assert [{f: getattr(c, f) for f in fields} for c in report.rows] == [
        {f: getattr(v, f) for f in fields} for v in views
    ]


def test_the_report_gives_each_refusal_then_the_totals() -> None:
    report = ImportReport(errors=[RowError(4, "om: not a Slack user id (expected U... or W...)"), RowError(7, "x: y")])
    assert format_report(report, {"added": 3, "updated": 1, "unchanged": 2}) == [
        "line 4: om: not a Slack user id (expected U... or W...)",
        "line 7: x: y",
        "imported: 3 added, 1 updated, 2 unchanged; 2 rows refused",
    ]
    assert (
        format_report(ImportReport(), {"added": 1})[-1] == "imported: 1 added, 0 updated, 0 unchanged; 0 rows refused"
    )
    assert format_report(ImportReport(errors=[RowError(2, "x: y")]), None) == [
        "line 2: x: y",
        "nothing imported; 1 row refused",
    ]


def test_the_report_of_a_refused_file_says_nothing_was_imported() -> None:
    report = ImportReport(errors=[RowError(None, "f.csv: not UTF-8 text")], readable=False)
    assert format_report(report, None) == ["f.csv: not UTF-8 text", "nothing imported: the file was refused"]
