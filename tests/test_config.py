"""Settings: run with no setup, overridden by environment variables, secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from guidebot.config import PROJECT_ROOT, Settings

ENV_VARS = [
    "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_API_URL", "DATABASE_URL",
    "GUIDEBOT_KNOWLEDGE_DIR", "GUIDEBOT_INDEX_DIR", "GUIDEBOT_TZ", "GUIDEBOT_ADMINS", "PORT",
    "GUIDEBOT_ESCALATION_CHANNEL", "GUIDEBOT_LOG_QUESTIONS", "GUIDEBOT_LOG_LEVEL",
]  # fmt: skip


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults_run_with_no_environment(clean_env: Path) -> None:
    s = Settings()
    # run from another folder: the index and database sit beside the shipped knowledge, not in ./var
    assert s.index_dir == PROJECT_ROOT / "var" / "index"
    assert s.database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'guidebot.db'}"
    assert not (clean_env / "var").exists()
    assert s.tz == "Europe/London"
    assert s.knowledge_dir == PROJECT_ROOT / "knowledge"  # no ./knowledge here: the shipped one
    assert (s.knowledge_dir / "documents").is_dir()
    assert s.slack_bot_token.get_secret_value() == ""
    assert s.log_questions is False
    assert s.port == 3000


def test_knowledge_dir_defaults_to_the_one_in_the_working_directory(clean_env: Path) -> None:
    (clean_env / "knowledge").mkdir()
    assert Settings().index_dir == Path("var/index")  # a checkout's root keeps its ./var
    assert Settings().knowledge_dir == Path("knowledge")


def test_environment_overrides(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUIDEBOT_INDEX_DIR", "/srv/ix")
    monkeypatch.setenv("GUIDEBOT_KNOWLEDGE_DIR", "/srv/knowledge")
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@db/guidebot")
    monkeypatch.setenv("GUIDEBOT_TZ", "UTC")
    monkeypatch.setenv("GUIDEBOT_ADMINS", "U1,U2")
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api/")
    monkeypatch.setenv("PORT", "8080")
    monkeypatch.setenv("GUIDEBOT_LOG_QUESTIONS", "true")
    s = Settings()
    assert s.index_dir == Path("/srv/ix")
    assert s.knowledge_dir == Path("/srv/knowledge")
    assert s.database_url == "postgresql+psycopg://u@db/guidebot"
    assert s.tz == "UTC"
    assert s.admins == "U1,U2"
    assert s.slack_api_url == "http://127.0.0.1:9/api/"
    assert s.port == 8080
    assert s.log_questions is True


def test_fields_can_be_set_by_name_in_code(clean_env: Path, tmp_path: Path) -> None:
    s = Settings(index_dir=tmp_path / "ix", knowledge_dir=tmp_path / "k")
    assert s.index_dir == tmp_path / "ix" and s.knowledge_dir == tmp_path / "k"


def test_secrets_are_secret_and_never_shown(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secrets = {
        "SLACK_BOT_TOKEN": "xoxb-123-very-secret",
        "SLACK_SIGNING_SECRET": "sign-secret-abc",
        "SLACK_APP_TOKEN": "xapp-1-secret-app",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    s = Settings()
    for field, value in zip(
        ("slack_bot_token", "slack_signing_secret", "slack_app_token"), secrets.values(), strict=True
    ):
        secret = getattr(s, field)
        assert isinstance(secret, SecretStr)
        assert secret.get_secret_value() == value
    shown = [repr(s), str(s), s.model_dump_json()]
    for value in secrets.values():
        assert all(value not in text for text in shown)


def test_bad_value_is_refused(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "not-a-port")
    with pytest.raises(ValueError, match="port"):
        Settings()
