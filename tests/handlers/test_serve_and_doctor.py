"""`serve` refuses bad credentials naming the variable; `check_slack` says what works, via auth.test."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from guidebot.config import Settings
from handlers.app import build_bot
from handlers.doctor import check_slack
from handlers.serve import serve
from tests.fakeslack.socketmode import FakeSocketMode
from tests.fakeslack.webapi import FakeSlack
from tests.handlers.conftest import settings_for


@pytest.mark.parametrize(
    ("fields", "variable"),
    [
        ({}, "SLACK_BOT_TOKEN is missing"),
        ({"slack_bot_token": "xoxp-user-token", "slack_signing_secret": "s"}, "SLACK_BOT_TOKEN is malformed"),
        ({"slack_bot_token": "xoxb-1", "slack_app_token": "xoxb-1"}, "SLACK_APP_TOKEN is malformed"),
        ({"slack_bot_token": "xoxb-1"}, "SLACK_SIGNING_SECRET is missing"),
    ],
)
def test_serve_exits_naming_the_variable(fields: dict[str, str], variable: str) -> None:
    with pytest.raises(SystemExit, match=variable):
        serve(Settings(**fields))


def test_doctor_reports_a_working_token_and_mode(fake: FakeSlack) -> None:
    checks = check_slack(settings_for(fake))
    assert (True, "SLACK_BOT_TOKEN works: bot @guidebot in workspace Probation") in checks
    assert (True, "SLACK_SIGNING_SECRET is set: serve will use HTTP on port 3000") in checks
    assert all(ok for ok, _ in checks)
    assert fake.calls_to("auth.test")[0].headers["Authorization"] == "Bearer xoxb-test-token"


def test_doctor_reports_a_rejected_token(fake: FakeSlack) -> None:
    fake.queue("auth.test", body={"ok": False, "error": "invalid_auth"})
    checks = check_slack(settings_for(fake))
    assert any(not ok and "invalid_auth" in what and "SLACK_BOT_TOKEN" in what for ok, what in checks)


def test_doctor_checks_the_socket_mode_token(fake: FakeSlack) -> None:
    with FakeSocketMode() as endpoint:
        fake.socket_url = endpoint.url
        checks = check_slack(settings_for(fake, slack_app_token="xapp-1-test"))
    assert (True, "SLACK_APP_TOKEN works: Socket Mode can connect (serve will use Socket Mode)") in checks


def test_doctor_when_slack_is_unreachable() -> None:
    settings = Settings(slack_bot_token="xoxb-1", slack_signing_secret="s", slack_api_url="http://127.0.0.1:9/api/")
    checks = check_slack(settings)
    assert any(not ok and "auth.test" in what for ok, what in checks)


def test_building_the_bot_warns_about_nothing(
    fake: FakeSlack,
    knowledge_engine: Any,
    store: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Bolt warns that `token` is unused whenever SLACK_BOT_TOKEN is set and a client is given: a false alarm."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test-token")
    caplog.set_level(logging.INFO)
    build_bot(settings_for(fake), engine=knowledge_engine, store=store)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
