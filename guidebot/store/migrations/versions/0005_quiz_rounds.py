"""quiz rounds and answers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 20:50:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quiz_rounds",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("owner", sa.String(length=32), nullable=False),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("shown", sa.Integer(), nullable=False),
        sa.Column("shown_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("view_position", sa.Integer(), nullable=False),
        sa.Column("view_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("mode IN ('solo', 'group')", name=op.f("ck_quiz_rounds_mode")),
        sa.CheckConstraint("state IN ('asking', 'revealed', 'finished', 'stopped')", name=op.f("ck_quiz_rounds_state")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_rounds")),
    )
    with op.batch_alter_table("quiz_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_rounds_created_at"), ["created_at"], unique=False)
    op.create_table(
        "quiz_answers",
        sa.Column("round_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("choice", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("round_id", "position", "user_id", name=op.f("pk_quiz_answers")),
    )


def downgrade() -> None:
    op.drop_table("quiz_answers")
    with op.batch_alter_table("quiz_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_rounds_created_at"))
    op.drop_table("quiz_rounds")
