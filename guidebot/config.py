"""One Settings object, read from the environment once at start and passed down (never os.environ in the core)."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator
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
    # Slack user ids (comma-separated) who may change any case and see every team's reminders
    admins: str = Field("", validation_alias=AliasChoices("GUIDEBOT_ADMINS"))
    # what a case reference looks like; the default is an nDelius CRN (a letter and six digits). A pattern
    # is what keeps names out: "J Smith" is refused wherever a case reference is typed.
    case_ref_pattern: str = Field(r"^[A-Z][0-9]{6}$", validation_alias=AliasChoices("GUIDEBOT_CASE_REF_PATTERN"))
    # local time reminders are sent at, and when each team's weekly digest goes out ("MON 09:00")
    reminder_time: str = Field("09:00", validation_alias=AliasChoices("GUIDEBOT_REMINDER_TIME"))
    digest_at: str = Field("MON 09:00", validation_alias=AliasChoices("GUIDEBOT_DIGEST_AT"))
    # checklist runs idle this long are deleted (and finished ones once this old)
    checklist_ttl_days: int = Field(30, ge=1, le=3650, validation_alias=AliasChoices("GUIDEBOT_CHECKLIST_TTL_DAYS"))

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

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"GUIDEBOT_TZ: unknown time zone {value!r} (for example Europe/London)") from None
        return value

    @field_validator("case_ref_pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as error:
            raise ValueError(f"GUIDEBOT_CASE_REF_PATTERN is not a regular expression: {error}") from None
        return value

    @field_validator("reminder_time")
    @classmethod
    def _clock(cls, value: str) -> str:
        _parse_clock(value, "GUIDEBOT_REMINDER_TIME")
        return value

    @field_validator("digest_at")
    @classmethod
    def _slot(cls, value: str) -> str:
        _parse_slot(value)
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def admin_ids(self) -> frozenset[str]:
        return frozenset(part.strip() for part in self.admins.split(",") if part.strip())

    @property
    def reminder_clock(self) -> time:
        return _parse_clock(self.reminder_time, "GUIDEBOT_REMINDER_TIME")

    @property
    def digest_slot(self) -> tuple[int, time]:
        """(weekday, local time) of the weekly digest; Monday is 0."""
        return _parse_slot(self.digest_at)


_WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")


def _parse_clock(value: str, variable: str) -> time:
    try:
        hours, minutes = value.strip().split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"{variable}: expected HH:MM, got {value!r}") from None


def _parse_slot(value: str) -> tuple[int, time]:
    parts = value.split()
    if len(parts) != 2 or parts[0].upper()[:3] not in _WEEKDAYS:
        raise ValueError(f"GUIDEBOT_DIGEST_AT: expected a weekday and HH:MM such as 'MON 09:00', got {value!r}")
    return _WEEKDAYS.index(parts[0].upper()[:3]), _parse_clock(parts[1], "GUIDEBOT_DIGEST_AT")
