"""the roster: days, drafts, swaps and make-up punches

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, *, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def _person(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.BigInteger(), sa.ForeignKey("person.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "roster_day",
        sa.Column("id", sa.Integer(), nullable=False),
        _person("person_id"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("shift", sa.String(), nullable=True),
        sa.Column("draft", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        _when("set_at"),
        sa.Column("set_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "day", "draft", name="uq_roster_day"),
    )
    op.create_index("ix_roster_day_draft_day", "roster_day", ["draft", "day"])
    op.create_table(
        "roster_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        _when("drafted_at"),
        sa.Column("drafted_by", sa.BigInteger(), nullable=True),
        _when("published_at", nullable=True),
        sa.Column("published_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("month"),
    )
    op.create_table(
        "shift_swap",
        sa.Column("id", sa.Integer(), nullable=False),
        _person("asker_id"),
        _person("colleague_id"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("other_day", sa.Date(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        _when("asked_at"),
        _when("answered_at", nullable=True),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        _when("decided_at", nullable=True),
        sa.Column("withdrawn_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_shift_swap_asker_id", "shift_swap", ["asker_id"])
    op.create_index("ix_shift_swap_colleague_id", "shift_swap", ["colleague_id"])
    op.create_index("ix_shift_swap_day", "shift_swap", ["day"])
    op.create_table(
        "punch_fix",
        sa.Column("id", sa.Integer(), nullable=False),
        _person("person_id"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        _when("punched_at"),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        _when("asked_at"),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        _when("decided_at", nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_punch_fix_person_id", "punch_fix", ["person_id"])
    op.create_index("ix_punch_fix_month", "punch_fix", ["month"])
    op.create_index(
        "uq_punch_fix_pending",
        "punch_fix",
        ["person_id", "day", "kind"],
        unique=True,
        sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_table("punch_fix")
    op.drop_table("shift_swap")
    op.drop_table("roster_plan")
    op.drop_table("roster_day")
