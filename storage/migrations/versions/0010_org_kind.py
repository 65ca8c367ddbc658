"""org_kind: the kind of organisation a professional (and their invite) belongs to, for the regiobeeld

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("users", "invites"):
        op.add_column(table, sa.Column("org_kind", sa.String(20), nullable=False, server_default="anders"))
    # Existing professionals: desk staff count as their desk; the others by a word in their organisation's
    # name (as bot.domain.organisations guesses today, frozen here), else "anders".
    clues = [
        ("gemeente", "gemeente"),
        ("zorg", "thuiszorg"),
        ("welzijn", "wijkteam"),
        ("welzijn", "welzijn"),
        ("woningcorporatie", "wo"),
        ("ggz", "ggz"),
        ("huisarts", "huisarts"),
        ("politie", "politie"),
    ]
    for kind, word in clues:  # later ones win, as the first clue wins in the guess
        pattern = "%woning%" if word == "wo" else f"%{word}%"
        op.execute(
            sa.text("UPDATE users SET org_kind = :kind WHERE lower(org) LIKE :pattern").bindparams(
                kind=kind, pattern=pattern
            )
        )
    op.execute("UPDATE users SET org_kind = 'meldpunt' WHERE role = 'meldpunt'")


def downgrade() -> None:
    for table in ("users", "invites"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("org_kind")
