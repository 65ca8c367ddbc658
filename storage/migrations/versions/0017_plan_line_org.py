"""plan_line_org: a plan line may name an organisation; whoever of it accepts becomes its owner

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan_lines") as batch:
        batch.add_column(sa.Column("org", sa.String(120)))
        batch.alter_column("owner_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM plan_lines WHERE owner_id IS NULL")
    with op.batch_alter_table("plan_lines") as batch:
        batch.alter_column("owner_id", existing_type=sa.Integer(), nullable=False)
        batch.drop_column("org")
