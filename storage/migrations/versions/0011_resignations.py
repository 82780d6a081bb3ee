"""resignations (/resign): the last working day and its reason on the person

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN: a batch copy would trip SQLite's foreign keys.
    op.add_column("person", sa.Column("left_on", sa.Date(), nullable=True))
    op.add_column("person", sa.Column("left_reason", sa.String(), nullable=True))


def downgrade() -> None:
    for column in ("left_reason", "left_on"):
        op.drop_column("person", column)
