"""checklist runs

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 18:02:11

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checklist_runs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("checklist_id", sa.String(length=64), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=64), nullable=True),
        sa.Column("case_ref", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('active', 'finished', 'cancelled')", name=op.f("ck_checklist_runs_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_runs")),
    )
    with op.batch_alter_table("checklist_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checklist_runs_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_checklist_runs_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("checklist_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checklist_runs_user_id"))
        batch_op.drop_index(batch_op.f("ix_checklist_runs_updated_at"))

    op.drop_table("checklist_runs")
