"""streaks and the service star: nothing to change

0010 already gave each payslip its rank, score, points lost and `star`, and each
one-off its `source` and void; streaks read those. Kept as the chain's 0012.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24
"""

from collections.abc import Sequence

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
