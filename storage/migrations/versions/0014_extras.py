"""public sales, exams and the annual review

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, *, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "public_sales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(), nullable=False),
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        _when("entered_at"),
        sa.Column("entered_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period"),
    )
    op.create_index("ix_public_sales_month", "public_sales", ["month"])
    op.create_table(
        "exam",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("month", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        _when("taken_at"),
        sa.Column("recorded_by", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "month", "kind", name="uq_exam_month_kind"),
    )
    op.create_index("ix_exam_month", "exam", ["month"])
    op.create_table(
        "annual_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), sa.ForeignKey("person.id"), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("mean_cents", sa.Integer(), nullable=True),
        sa.Column("grade", sa.String(), nullable=False),
        sa.Column("adjustment_bp", sa.Integer(), nullable=True),
        _when("drafted_at"),
        _when("confirmed_at", nullable=True),
        sa.Column("confirmed_by", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "person_id", name="uq_annual_review_year_person"),
    )
    op.create_index("ix_annual_review_year", "annual_review", ["year"])


def downgrade() -> None:
    op.drop_index("ix_annual_review_year", table_name="annual_review")
    op.drop_table("annual_review")
    op.drop_index("ix_exam_month", table_name="exam")
    op.drop_table("exam")
    op.drop_index("ix_public_sales_month", table_name="public_sales")
    op.drop_table("public_sales")
