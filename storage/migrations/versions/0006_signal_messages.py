"""the messages that show a signal, so that an erasure or the retention purge can take them out of the chats

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "signal_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("signal_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
    )
    op.create_index("ix_signal_messages_signal_id", "signal_messages", ["signal_id"])
    op.create_index("ix_signal_messages_outbox_id", "signal_messages", ["outbox_id"])


def downgrade() -> None:
    op.drop_table("signal_messages")
