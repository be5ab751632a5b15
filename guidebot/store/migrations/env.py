"""Alembic environment; the URL is the Config's `sqlalchemy.url`, set by `guidebot.store.db.upgrade`."""

from logging.config import fileConfig
from typing import Any

from alembic import context
from sqlalchemy import text

from guidebot.store.db import make_engine, normalise_url
from guidebot.store.models import Base, UTCDateTime

config = context.config

# Only the `alembic` command line has a config file; the app's own logging is left alone otherwise.
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata
MIGRATION_LOCK_KEY = 0x6775696465626F74  # "guidebot"


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no sqlalchemy.url: run migrations through guidebot.store.db.upgrade(url)")
    return url


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Autogenerate would write `guidebot.store.models.UTCDateTime()` without importing it (NameError)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    """Emit SQL instead of running it (`alembic upgrade --sql`)."""
    context.configure(
        url=normalise_url(_url()),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                compare_type=True,
                render_item=render_item,
                # SQLite cannot ALTER most things: batch mode recreates the table instead.
                render_as_batch=sqlite,
                # SQLite DDL is transactional too; one transaction lets the lock below cover all of it.
                transactional_ddl=True,
            )
            with context.begin_transaction():
                # Web and worker processes migrate at start: one at a time, and the rest then find head.
                if sqlite:
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                else:
                    connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
