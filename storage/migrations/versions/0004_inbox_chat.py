"""the inbox knows each update's chat, so instances handle one chat's updates in order

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbox") as batch:
        batch.add_column(sa.Column("chat_id", sa.BigInteger(), nullable=True))
    op.create_index(
        "ix_inbox_unfinished_chat",
        "inbox",
        ["chat_id", "update_id"],
        postgresql_where=sa.text("processed_at IS NULL"),
        sqlite_where=sa.text("processed_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_inbox_unfinished_chat", table_name="inbox")
    with op.batch_alter_table("inbox") as batch:
        batch.drop_column("chat_id")
