"""Persistence: SQLAlchemy tables, the Store the app calls, and Alembic migrations shipped in the package."""

from guidebot.store.db import current_revision, head_revision, make_engine, upgrade
from guidebot.store.store import Store

__all__ = ["Store", "current_revision", "head_revision", "make_engine", "upgrade"]
