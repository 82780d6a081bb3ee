"""the month's ranking beside each payslip; one-offs that the lock adds, and their voids

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24

Payslips locked before this revision get their rank and score from their snapshots:
ranked by score, then by the daily-assessment score (the points lost were not kept
then), then by name.
"""

import json
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch copy would trip SQLite's foreign keys.
    op.add_column("payslip", sa.Column("rank", sa.Integer(), nullable=True))
    op.add_column("payslip", sa.Column("score_cents", sa.Integer(), nullable=True))
    op.add_column("payslip", sa.Column("points_lost", sa.Integer(), nullable=True))
    op.add_column(
        "payslip", sa.Column("star", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column("one_off", sa.Column("source", sa.String(), server_default="", nullable=False))
    op.add_column(
        "one_off",
        sa.Column("voided_at", storage.types.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column("one_off", sa.Column("voided_by", sa.BigInteger(), nullable=True))
    op.add_column(
        "one_off", sa.Column("void_reason", sa.String(), server_default="", nullable=False)
    )
    _rank_old_payslips()


def _rank_old_payslips() -> None:
    bind = op.get_bind()
    payslip = sa.table(
        "payslip",
        sa.column("id", sa.Integer()),
        sa.column("month", sa.String()),
        sa.column("card", sa.Text()),
        sa.column("rank", sa.Integer()),
        sa.column("score_cents", sa.Integer()),
    )
    months: dict[str, list[tuple[Decimal, int, str, int]]] = defaultdict(list)
    for row in bind.execute(sa.select(payslip.c.id, payslip.c.month, payslip.c.card)):
        card = json.loads(row.card)
        score = Decimal(card["score"])
        months[row.month].append((-score, -int(card["ledger_score"]), card["name"], row.id))
    for rows in months.values():
        for place, (minus_score, _, _, row_id) in enumerate(sorted(rows), start=1):
            bind.execute(
                payslip.update()
                .where(payslip.c.id == row_id)
                .values(rank=place, score_cents=int(-minus_score * 100))
            )


def downgrade() -> None:
    for column in ("void_reason", "voided_by", "voided_at", "source"):
        op.drop_column("one_off", column)
    for column in ("star", "points_lost", "score_cents", "rank"):
        op.drop_column("payslip", column)
