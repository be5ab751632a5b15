"""feedback and processed_events

Revision ID: 0001
Revises:
Create Date: 2026-11-23 14:47:47

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.String(length=64), nullable=False),
        sa.Column("doc_ids", sa.String(length=1000), nullable=False),
        sa.Column("vote", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("question", sa.Text(), nullable=True),
        sa.CheckConstraint("vote IN ('helpful', 'not_helpful')", name=op.f("ck_feedback_vote")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
    )
    op.create_index(op.f("ix_feedback_answer_id"), "feedback", ["answer_id"], unique=False)

    op.create_table(
        "processed_events",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_processed_events")),
    )
    op.create_index(op.f("ix_processed_events_seen_at"), "processed_events", ["seen_at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_processed_events_seen_at"), table_name="processed_events")
    op.drop_table("processed_events")
    op.drop_index(op.f("ix_feedback_answer_id"), table_name="feedback")
    op.drop_table("feedback")
