"""elsewhere: whether a signal also plays in another gemeente (yes / no / unknown), for the desk and the
regiobeeld's count of signals about more than one gemeente

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Signals filed before the question was asked: not known.
    op.add_column("signals", sa.Column("elsewhere", sa.String(10), nullable=False, server_default="unknown"))


def downgrade() -> None:
    with op.batch_alter_table("signals") as batch:
        batch.drop_column("elsewhere")
