"""Cases on SQLite and PostgreSQL: upserts that write only real changes, lists, status, who may change, imports."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from guidebot.cases.csvio import read_cases_csv, write_cases_csv
from guidebot.cases.models import CaseIn
from guidebot.store import Store
from guidebot.store.cases import CaseNotFound, Cases
from guidebot.store.models import Case

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
T1 = T0 + timedelta(days=1)
ADMINS = frozenset({"U0ADMIN"})


@pytest.fixture
def cases(store: Store) -> Iterator[Cases]:
    yield Cases(store.engine)


def _case(ref: str = "A123456", **changes: Any) -> CaseIn:
    data: dict[str, Any] = {
        "case_ref": ref,
        "programme": "IDAP",
        "group_start": "2026-01-05",
        "om": "U01OM",
        "team_channel": "C01TEAM",
        "order_date": "2025-11-20",
    }
    return CaseIn.parse({**data, **changes})


def _count(cases: Cases) -> int:
    with cases.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(Case)).scalar_one()


def test_upsert_adds_then_updates_then_leaves_alone(cases: Cases) -> None:
    assert cases.upsert(_case(), by="U01OM", now=T0) == "added"
    added = cases.get("A123456")
    assert added is not None and added.status == "active" and added.created_at == added.updated_at == T0
    assert added.group_start == date(2026, 1, 5) and added.order_date == date(2025, 11, 20)

    assert cases.upsert(_case(), by="U01OM", now=T1) == "unchanged"
    assert cases.get("A123456") == added  # updated_at kept: nothing was written

    assert cases.upsert(_case(om="U02OM"), by="U0ADMIN", now=T1) == "updated"
    updated = cases.get("A123456")
    assert updated is not None and updated.om == "U02OM" and updated.updated_at == T1 and updated.created_at == T0
    assert _count(cases) == 1


def test_an_upsert_replaces_group_start_by_gap_weeks(cases: Cases) -> None:
    cases.upsert(_case(), by="cli", now=T0)
    assert cases.upsert(_case(group_start="", gap_weeks="2026-02-23 2026-02-16"), by="cli", now=T1) == "updated"
    view = cases.get("a123456")
    assert view is not None and view.group_start is None
    assert view.gap_weeks == (date(2026, 2, 16), date(2026, 2, 23))
    with cases.engine.connect() as connection:
        assert connection.execute(select(Case.gap_weeks)).scalar_one() == "2026-02-16,2026-02-23"
    assert cases.upsert(_case(group_start="", gap_weeks="2026-02-16;2026-02-23"), by="cli", now=T1) == "unchanged"


def test_an_upsert_without_a_status_keeps_the_status_one_with_a_status_sets_it(cases: Cases) -> None:
    cases.upsert(_case(), by="cli", now=T0)
    cases.set_status("A123456", "paused", by="U01OM", now=T0)
    assert cases.upsert(_case(), by="cli", now=T1) == "unchanged"
    assert cases.get("A123456").status == "paused"  # type: ignore[union-attr]
    assert cases.upsert(_case(status="active"), by="cli", now=T1) == "updated"
    assert cases.get("A123456").status == "active"  # type: ignore[union-attr]
    assert cases.upsert(_case("B654321", status="completed"), by="cli", now=T1) == "added"
    assert cases.get("B654321").status == "completed"  # type: ignore[union-attr]


def test_get_of_an_unknown_case_is_none(cases: Cases) -> None:
    assert cases.get("Z999999") is None


def test_list_by_om_and_team_open_cases_by_default(cases: Cases) -> None:
    cases.upsert(_case("C333333", om="U01OM", team_channel="C01TEAM"), by="cli", now=T0)
    cases.upsert(_case("A111111", om="U01OM", team_channel="C02TEAM"), by="cli", now=T0)
    cases.upsert(_case("B222222", om="U02OM", team_channel="C01TEAM"), by="cli", now=T0)
    cases.upsert(_case("D444444", om="U01OM", team_channel="C01TEAM", status="withdrawn"), by="cli", now=T0)
    cases.upsert(_case("E555555", om="U01OM", team_channel="C01TEAM", status="paused"), by="cli", now=T0)

    def refs(**kwargs: Any) -> list[str]:
        return [view.case_ref for view in cases.list(**kwargs)]

    assert refs() == ["A111111", "B222222", "C333333", "E555555"]
    assert refs(om="U01OM") == ["A111111", "C333333", "E555555"]
    assert refs(team_channel="C01TEAM") == ["B222222", "C333333", "E555555"]
    assert refs(om="U01OM", team_channel="C01TEAM") == ["C333333", "E555555"]
    assert refs(om="U01OM", statuses=("active",)) == ["A111111", "C333333"]
    assert refs(statuses=None) == ["A111111", "B222222", "C333333", "D444444", "E555555"]
    assert refs(om="U09NOBODY") == []


def test_set_status_changes_only_the_status_and_only_when_it_differs(cases: Cases) -> None:
    cases.upsert(_case(), by="cli", now=T0)
    paused = cases.set_status("a123456", "paused", by="U01OM", now=T1)
    assert paused.status == "paused" and paused.updated_at == T1 and paused.om == "U01OM"
    again = cases.set_status("A123456", "paused", by="U01OM", now=T1 + timedelta(days=1))
    assert again.updated_at == T1
    assert cases.get("A123456") == again


def test_set_status_refuses_an_unknown_status_or_case(cases: Cases) -> None:
    cases.upsert(_case(), by="cli", now=T0)
    with pytest.raises(ValueError, match="unknown status"):
        cases.set_status("A123456", "closed", by="U01OM")
    with pytest.raises(CaseNotFound):
        cases.set_status("Z999999", "paused", by="U01OM")
    assert cases.get("A123456").status == "active"  # type: ignore[union-attr]


def test_only_the_om_and_admins_may_change_a_case(cases: Cases) -> None:
    cases.upsert(_case(om="U01OM"), by="cli", now=T0)
    assert cases.can_change("A123456", "U01OM", ADMINS)
    assert cases.can_change("a123456", "U01OM", ADMINS)
    assert cases.can_change("A123456", "U0ADMIN", ADMINS)
    assert not cases.can_change("A123456", "U02OTHER", ADMINS)
    assert not cases.can_change("A123456", "U02OTHER", frozenset())
    assert not cases.can_change("Z999999", "U01OM", ADMINS)  # no case: only an admin
    assert cases.can_change("Z999999", "U0ADMIN", ADMINS)
    cases.upsert(_case(om="U02OTHER"), by="U0ADMIN", now=T1)  # handed over
    assert cases.can_change("A123456", "U02OTHER", ADMINS) and not cases.can_change("A123456", "U01OM", ADMINS)


def test_import_counts_each_outcome(cases: Cases) -> None:
    cases.upsert(_case("A111111"), by="cli", now=T0)
    cases.upsert(_case("B222222"), by="cli", now=T0)
    counts = cases.import_rows([_case("A111111"), _case("B222222", programme="HRP"), _case("C333333")], now=T1)
    assert counts == {"added": 1, "updated": 1, "unchanged": 1}
    assert cases.get("B222222").programme == "HRP"  # type: ignore[union-attr]
    assert cases.get("A111111").updated_at == T0  # type: ignore[union-attr]


def test_an_import_refused_by_the_database_writes_nothing(cases: Cases) -> None:
    cases.upsert(_case("A111111"), by="cli", now=T0)
    # Past validation (model_construct) so that only the database can refuse it: om is NOT NULL.
    broken = CaseIn.model_construct(**{**_case("C333333").model_dump(), "om": None})
    with pytest.raises(IntegrityError):
        cases.import_rows([_case("A111111", programme="HRP"), _case("B222222"), broken], now=T1)
    assert [view.case_ref for view in cases.list(statuses=None)] == ["A111111"]
    assert cases.get("A111111").programme == "IDAP"  # type: ignore[union-attr]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "cases.csv"
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_a_csv_file_imports_its_good_rows_and_reimporting_it_changes_nothing(cases: Cases, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "case_ref,programme,group_start,om,team_channel,order_date,gap_weeks\n"
        "A111111,IDAP,2026-01-05,U01OM,C01TEAM,2025-11-20,\n"
        "John Smith,IDAP,2026-01-05,U01OM,C01TEAM,,\n"
        "B222222,KAIZEN,,U02OM,C01TEAM,,2026-02-16;2026-02-23\n",
    )
    report = read_cases_csv(path)
    assert [e.line for e in report.errors] == [3]
    assert cases.import_rows(report.rows, now=T0) == {"added": 2, "updated": 0, "unchanged": 0}
    before = cases.list(statuses=None)

    assert cases.import_rows(read_cases_csv(path).rows, now=T1) == {"added": 0, "updated": 0, "unchanged": 2}
    assert cases.list(statuses=None) == before


def test_an_export_imports_back_unchanged_here_and_restores_a_fresh_database(cases: Cases, tmp_path: Path) -> None:
    cases.upsert(_case("A111111"), by="cli", now=T0)
    cases.upsert(_case("B222222", group_start="", gap_weeks="2026-02-16 2026-02-23", order_date=""), by="cli", now=T0)
    cases.upsert(_case("C333333", programme="up2u"), by="cli", now=T0)
    cases.set_status("C333333", "withdrawn", by="U01OM", now=T0)
    before = cases.list(statuses=None)

    out = io.StringIO(newline="")
    write_cases_csv(before, out)
    report = read_cases_csv(_write(tmp_path, out.getvalue()))
    assert report.errors == []
    assert cases.import_rows(report.rows, now=T1) == {"added": 0, "updated": 0, "unchanged": 3}
    assert cases.list(statuses=None) == before

    # The same file into an empty cases table gives the same cases, statuses included.
    with cases.engine.begin() as connection:
        connection.execute(Case.__table__.delete())
    assert cases.import_rows(report.rows, now=T0) == {"added": 3, "updated": 0, "unchanged": 0}
    assert cases.list(statuses=None) == before
