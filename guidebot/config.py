"""One Settings object, read from the environment once at start and passed down (never os.environ in the core)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_knowledge_dir() -> Path:
    """./knowledge when run from a checkout's root, else the knowledge shipped beside the package."""
    here = Path("knowledge")
    return here if here.is_dir() else PROJECT_ROOT / "knowledge"


def _default_var_dir() -> Path:
    """Where the index and database live by default: beside the default knowledge, never in whatever folder
    `guidebot` happens to be run from."""
    return _default_knowledge_dir().parent / "var"


class Settings(BaseSettings):
    """Configuration by environment (12-factor); every field has a default that runs with no setup."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    knowledge_dir: Path = Field(
        default_factory=_default_knowledge_dir, validation_alias=AliasChoices("GUIDEBOT_KNOWLEDGE_DIR")
    )
    index_dir: Path = Field(
        default_factory=lambda: _default_var_dir() / "index", validation_alias=AliasChoices("GUIDEBOT_INDEX_DIR")
    )
    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{_default_var_dir() / 'guidebot.db'}",
        validation_alias=AliasChoices("DATABASE_URL"),
    )
    tz: str = Field("Europe/London", validation_alias=AliasChoices("GUIDEBOT_TZ"))
    admins: str = Field("", validation_alias=AliasChoices("GUIDEBOT_ADMINS"))

    slack_bot_token: SecretStr = Field(SecretStr(""), validation_alias=AliasChoices("SLACK_BOT_TOKEN"))
    slack_signing_secret: SecretStr = Field(SecretStr(""), validation_alias=AliasChoices("SLACK_SIGNING_SECRET"))
    slack_app_token: SecretStr = Field(SecretStr(""), validation_alias=AliasChoices("SLACK_APP_TOKEN"))
    slack_api_url: str | None = Field(None, validation_alias=AliasChoices("SLACK_API_URL"))
    port: int = Field(3000, validation_alias=AliasChoices("PORT"))

    escalation_channel: str | None = Field(None, validation_alias=AliasChoices("GUIDEBOT_ESCALATION_CHANNEL"))
    log_questions: bool = Field(False, validation_alias=AliasChoices("GUIDEBOT_LOG_QUESTIONS"))
    log_level: str = Field("INFO", validation_alias=AliasChoices("GUIDEBOT_LOG_LEVEL"))
    # the semantic stage of search (a small embedding model beside Whoosh); off: lexical only
    semantic: bool = Field(True, validation_alias=AliasChoices("GUIDEBOT_SEMANTIC"))
