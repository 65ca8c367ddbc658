"""outbox without a due index: a claim walks the replies-first index of rows still to go in order and stops
at its limit, instead of finding every due row by (status, not_before), checking each one's chat order
against all rows before it and sorting them (issue 40: a busy group's backlog, a claim of 0.6 s)

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_outbox_due", table_name="outbox")


def downgrade() -> None:
    op.create_index("ix_outbox_due", "outbox", ["status", "not_before"])
