"""levels: promotions proposed at the lock, and each change of level with its effective day

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24

Levels changed before this revision have no history: each agent's level counts as in
force since their service start.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString()
    op.create_table(
        "promotion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("month", text, nullable=False),
        sa.Column("from_level", text, nullable=False),
        sa.Column("to_level", text, nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("months_in_level", sa.Integer(), nullable=False),
        sa.Column("scores", text, nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", text, nullable=False),
        sa.Column("decided_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("person_id", "month", name="uq_promotion_person_month"),
    )
    with op.batch_alter_table("promotion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_promotion_month"), ["month"], unique=False)
    op.create_table(
        "level_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.BigInteger(), nullable=False),
        sa.Column("from_level", text, nullable=True),
        sa.Column("to_level", text, nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("by", sa.BigInteger(), nullable=True),
        sa.Column("source", text, nullable=False),
        sa.Column("promotion_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["promotion_id"], ["promotion.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("level_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_level_change_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("level_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_level_change_person_id"))
    op.drop_table("level_change")
    with op.batch_alter_table("promotion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_promotion_month"))
    op.drop_table("promotion")
