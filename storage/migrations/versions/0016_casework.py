"""casework: discounts, complaint cases, follow-ups and the problem log

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, *, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def _person(name: str = "person_id") -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.BigInteger(), sa.ForeignKey("person.id"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "discount",
        sa.Column("id", sa.Integer(), nullable=False),
        _person(),
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("order_no", sa.String(), nullable=False),
        sa.Column("amount_fen", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        _when("asked_at"),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        _when("decided_at", nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_discount_person_id", "discount", ["person_id"])
    op.create_index("ix_discount_month", "discount", ["month"])
    op.create_table(
        "complaint_case",
        sa.Column("id", sa.Integer(), nullable=False),
        _person(),
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("order_no", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        _when("opened_at"),
        sa.Column("opened_by", sa.BigInteger(), nullable=False),
        _when("replied_at", nullable=True),
        _when("solved_at", nullable=True),
        sa.Column("solved_how", sa.String(), nullable=True),
        _when("arbitration_at", nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_complaint_case_person_id", "complaint_case", ["person_id"])
    op.create_index("ix_complaint_case_month", "complaint_case", ["month"])
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        _person(),
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("buyer", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        _when("created_at"),
        sa.Column("due_on", sa.Date(), nullable=False),
        _when("done_at", nullable=True),
        sa.Column("done_month", sa.String(), nullable=True),
        sa.Column("recovered_fen", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_follow_up_person_id", "follow_up", ["person_id"])
    op.create_index("ix_follow_up_month", "follow_up", ["month"])
    op.create_index("ix_follow_up_due_on", "follow_up", ["due_on"])
    op.create_index("ix_follow_up_done_month", "follow_up", ["done_month"])
    op.create_table(
        "problem",
        sa.Column("id", sa.Integer(), nullable=False),
        _person(),
        sa.Column("week", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        _when("created_at"),
        sa.Column("answer", sa.String(), nullable=True),
        sa.Column("answered_by", sa.BigInteger(), nullable=True),
        _when("answered_at", nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_problem_person_id", "problem", ["person_id"])
    op.create_index("ix_problem_week", "problem", ["week"])


def downgrade() -> None:
    op.drop_table("problem")
    op.drop_table("follow_up")
    op.drop_table("complaint_case")
    op.drop_table("discount")
