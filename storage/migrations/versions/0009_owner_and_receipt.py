"""the owner who claimed the bot; a payslip's "Received"

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch copy of `person` would trip SQLite's foreign keys.
    op.add_column(
        "person", sa.Column("is_owner", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.add_column(
        "payslip",
        sa.Column("received_at", storage.types.UTCDateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("payslip", "received_at")
    op.drop_column("person", "is_owner")
