"""outbox lanes: a reply to a person (lane 0) is claimed before bulk (lane 1: a burst of check-ins), so
someone who files at 09:00 does not wait behind 10,000 questions queued before her reply

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("lane", sa.SmallInteger(), nullable=False, server_default="0"))
    op.create_index(
        "ix_outbox_pending_lane",
        "outbox",
        ["lane", "id"],
        postgresql_where=sa.text("status = 'pending'"),
        sqlite_where=sa.text("status = 'pending'"),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_pending_lane", table_name="outbox")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("lane")
