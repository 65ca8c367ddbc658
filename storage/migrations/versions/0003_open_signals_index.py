"""a partial index of open signals (nearly all signals are closed)

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_signals_open",
        "signals",
        ["created_at"],
        postgresql_where=sa.text("status <> 'afgesloten'"),
        sqlite_where=sa.text("status <> 'afgesloten'"),
    )


def downgrade() -> None:
    op.drop_index("ix_signals_open", table_name="signals")
