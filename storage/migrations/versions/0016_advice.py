"""advice: /advies, a question to a desk without a resident, and its answer

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "advice_questions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ref", sa.String(16), nullable=False, unique=True),
        sa.Column("desk", sa.String(60), nullable=False, index=True),
        sa.Column("asker_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("gemeente", sa.String(60), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text()),
        sa.Column("answered_by", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        sa.Column("card_outbox_id", sa.Integer()),
        sa.Column("signal_id", sa.Integer(), sa.ForeignKey("signals.id", ondelete="SET NULL")),
    )


def downgrade() -> None:
    op.drop_table("advice_questions")
