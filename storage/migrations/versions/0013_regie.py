"""regie: one regisseur per resident (by the blind index), its plan, its history, escalations up the
ladder, reminders people set, and the signals linked to it

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "regies",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ref", sa.String(16), nullable=False, unique=True),
        sa.Column("resident_key", sa.String(64), nullable=False, index=True),
        sa.Column("gemeente", sa.String(60), nullable=False),
        sa.Column("signal_id", sa.Integer(), sa.ForeignKey("signals.id", ondelete="SET NULL")),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("regisseur_id", sa.Integer(), sa.ForeignKey("users.id"), index=True),
        sa.Column("asked_id", sa.Integer(), sa.ForeignKey("users.id"), index=True),
        sa.Column("asked_by", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True)),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.Column("outcome", sa.String(20)),
    )
    op.create_table(
        "plan_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "regie_id",
            sa.Integer(),
            sa.ForeignKey("regies.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("due_on", sa.String(10), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(20)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
    )
    op.create_table(
        "regie_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "regie_id",
            sa.Integer(),
            sa.ForeignKey("regies.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("note", sa.String(60)),
    )
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("ref", sa.String(16), nullable=False, unique=True),
        sa.Column("gemeente", sa.String(60), nullable=False),
        sa.Column("subject", sa.String(16), nullable=False),
        sa.Column("regie_id", sa.Integer(), sa.ForeignKey("regies.id", ondelete="CASCADE"), index=True),
        sa.Column("signal_id", sa.Integer(), sa.ForeignKey("signals.id", ondelete="CASCADE"), index=True),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("rung", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("raised_by", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("acts_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("back_reason", sa.String(20)),
    )
    op.create_table(
        "escalation_steps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "escalation_id",
            sa.Integer(),
            sa.ForeignKey("escalations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("rung", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("kind", sa.String(20), nullable=False),
    )
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(16), nullable=False, index=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False, index=True),
        sa.Column("desk", sa.String(60)),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.add_column("signals", sa.Column("regie_id", sa.Integer()))
    op.create_index("ix_signals_regie_id", "signals", ["regie_id"])


def downgrade() -> None:
    op.drop_index("ix_signals_regie_id", "signals")
    with op.batch_alter_table("signals") as batch:
        batch.drop_column("regie_id")
    op.drop_table("reminders")
    op.drop_table("escalation_steps")
    op.drop_table("escalations")
    op.drop_table("regie_events")
    op.drop_table("plan_lines")
    op.drop_table("regies")
