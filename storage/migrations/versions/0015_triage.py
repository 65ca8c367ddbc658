"""triage: a triaging desk's verdict on a signal, and its werkvoorraad (priority, since when)

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("signals") as batch:
        batch.add_column(sa.Column("triage", sa.String(20)))
        batch.add_column(sa.Column("priority", sa.Integer()))
        batch.add_column(sa.Column("queued_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    with op.batch_alter_table("signals") as batch:
        batch.drop_column("queued_at")
        batch.drop_column("priority")
        batch.drop_column("triage")
