"""samenloop: keyed pseudonyms of match keys, and the routeeroverleg with the desks taking part

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "match_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("pseudonym", sa.String(90), nullable=False, index=True),
        sa.Column("signal_id", sa.Integer(), sa.ForeignKey("signals.id", ondelete="CASCADE"), index=True),
        sa.Column("agreement_id", sa.Integer(), sa.ForeignKey("agreements.id", ondelete="CASCADE")),
        sa.Column("regie_id", sa.Integer(), sa.ForeignKey("regies.id", ondelete="CASCADE")),
        sa.Column("org", sa.String(120), nullable=False),
        sa.Column("gemeente", sa.String(60), nullable=False),
        sa.Column("given_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "overleggen",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ref", sa.String(16), nullable=False, unique=True),
        sa.Column(
            "signal_id",
            sa.Integer(),
            sa.ForeignKey("signals.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("gemeente", sa.String(60), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(12), nullable=False),
        sa.Column("started_by", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("climbed", sa.Boolean(), nullable=False),
        sa.Column("route", sa.String(20)),
        sa.Column("lead", sa.String(60)),
        sa.Column("proposer_desk", sa.String(60)),
        sa.Column("proposed_by", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("proposed_at", sa.DateTime(timezone=True)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "overleg_parts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "overleg_id",
            sa.Integer(),
            sa.ForeignKey("overleggen.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("meldpunt_id", sa.String(60), nullable=False),
        sa.Column("in_view", sa.String(10)),
        sa.Column("vote", sa.String(10)),
        sa.Column("note", sa.Text()),
        sa.Column("by_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("at", sa.DateTime(timezone=True)),
        sa.Column("card_outbox_id", sa.Integer()),
    )


def downgrade() -> None:
    op.drop_table("overleg_parts")
    op.drop_table("overleggen")
    op.drop_table("match_keys")
