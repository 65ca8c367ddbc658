"""senders: each running instance's part of the bot's one sending rate, so that several instances together
keep to Telegram's ~30 messages a second for the bot (issue 40)

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "senders",
        sa.Column("name", sa.String(120), primary_key=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("share", sa.SmallInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("senders")
